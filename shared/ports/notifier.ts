// The Notifier port: how a message leaves the platform. An adapter hands a resident's SMS to a provider and
// says what the provider answered; staff get tasks through a channel keyed by centre, role and category (in
// AWS an SNS topic whose subscriptions filter on those attributes). Adapters: outbox-notifier.ts (local),
// sns-notifier.ts, aliyun-sms-notifier.ts. What the platform itself calls is reliable-notifier.ts, which
// records every message to a resident, picks its channel and time, and retries what can be retried.

import type { TemplateName, TemplateParams } from '../domain/messages.ts';
import type { ApprovalRole } from '../domain/catalog.ts';

export type Channel = 'sms' | 'email';

/** An SMS to one resident's phone, as an adapter sends it. (E-mail reaches staff only, through their task subscriptions.) */
export type DirectMessage = {
  channel: 'sms';
  /** E.164 phone number. */
  to: string;
  template: TemplateName;
  params: TemplateParams;
  /** What the message is about (a case id, an appointment id), for tracing; Aliyun keeps it as OutId. */
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

/** What the provider answered to an SMS it took. */
export type SendReceipt = {
  /** The provider's id of the SMS: Aliyun's BizId, an SNS MessageId, the outbox line. */
  providerId: string;
  /** `delivered` when the provider knows at once (the outbox); `sent` when a receipt may follow, or never comes. */
  status: 'sent' | 'delivered';
  /** The provider reports delivery later (Aliyun's SmsReport): the id must be kept to match the report. */
  awaitsReceipt: boolean;
};

export interface Notifier {
  /** Resolves with the provider's answer, or rejects with an error saying (see isRetryable) whether to try again. */
  send(message: DirectMessage): Promise<SendReceipt>;
  notifyStaff(message: StaffMessage): Promise<void>;
}

type ErrorTraits = { retryable?: unknown; $retryable?: unknown; $fault?: unknown; name?: unknown };

/**
 * Whether a later attempt can succeed. An adapter that knows says so with `retryable` (AliyunSmsError, a
 * template that cannot be rendered); an AWS SDK error by its fault: throttling and the service's own
 * faults pass, a request the service refused (a bad number, no permission) does not. Anything else
 * (a timeout, a dropped connection) may have been the network: try again.
 */
export function isRetryable(error: unknown): boolean {
  const traits = (typeof error === 'object' && error !== null ? error : {}) as ErrorTraits;
  if (typeof traits.retryable === 'boolean') return traits.retryable;
  if (traits.$retryable || /Throttl/.test(String(traits.name))) return true;
  return traits.$fault !== 'client';
}

/** The reason kept with a failed attempt: the error's name and words, short (never the message's content). */
export const failureReason = (error: unknown) => `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`.slice(0, 300);
