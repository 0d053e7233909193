// The Notifier port: how the platform reaches people. Residents get a message to their own phone or
// address; staff get tasks through a channel keyed by role and category (in AWS an SNS topic whose
// subscriptions filter on those attributes). Adapters: outbox-notifier.ts (local) and sns-notifier.ts.

import type { TemplateName, TemplateParams } from '../domain/messages.ts';
import type { ApprovalRole } from '../domain/catalog.ts';

export type Channel = 'sms' | 'email';

/** A message to one resident's phone. (E-mail reaches staff only, through their task subscriptions.) */
export type DirectMessage = {
  channel: 'sms';
  /** E.164 phone number. */
  to: string;
  template: TemplateName;
  params: TemplateParams;
  /** What the message is about (a case id, an appointment id), for tracing and de-duplication. */
  reference: string;
};

export type StaffMessage = {
  /** The service centre whose staff the task is for. */
  centre: string;
  role: ApprovalRole;
  category: string;
  template: TemplateName;
  params: TemplateParams;
  reference: string;
};

export interface Notifier {
  send(message: DirectMessage): Promise<void>;
  notifyStaff(message: StaffMessage): Promise<void>;
}
