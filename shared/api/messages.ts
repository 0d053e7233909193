// Messages: a resident's inbox of everything the platform sent them, the channel they choose per kind of
// message, staff's view of a case's messages, and the public intake of the SMS provider's delivery reports.

import * as z from 'zod/mini';
import { MESSAGE_CHANNELS, messageText, type Message, type MessagePreferences } from '../domain/messages.ts';
import { maskPhone } from '../domain/phone.ts';
import { caseIdParams } from './cases.ts';
import { endpoint } from './endpoint.ts';
import { pageQuerySchema } from './fields.ts';

export const listMyMessages = endpoint({
  route: 'GET /me/messages',
  summary: 'Every message the platform sent the caller, on any channel, newest first, with its status',
  query: pageQuerySchema,
});

export const getMyPreferences = endpoint({ route: 'GET /me/preferences', summary: 'The channel (sms or inbox) the caller chose per kind of message' });

const channel = z.enum(MESSAGE_CHANNELS);

export const putMyPreferences = endpoint({
  route: 'PUT /me/preferences',
  summary: 'Choose sms or inbox per kind of message; case results, appointment changes and emergencies always come by SMS',
  body: z.strictObject({ billReminders: channel, receipts: channel, appointmentReminders: channel, communityNotices: channel }),
});

export const listCaseMessages = endpoint({
  route: 'GET /cases/{id}/messages',
  summary: "The messages sent to the resident about a case of the caller's centre, newest first",
  params: caseIdParams,
  query: pageQuerySchema,
});

export const receiveSmsReceipts = endpoint({
  route: 'POST /sms-receipts/{token}',
  summary: "The SMS provider's delivery reports (Aliyun SmsReport); the secret token is part of the URL",
  params: z.object({ token: z.string().check(z.minLength(1), z.maxLength(256)) }),
  // The intake checks the reports itself, after the token: a body is only looked at behind the right URL.
  // The document still says what Aliyun sends: a JSON array of SmsReport objects.
  body: z.unknown().register(z.globalRegistry, { type: 'array', items: { type: 'object' }, description: 'Aliyun SmsReport objects' }),
});

/** A message as its reader sees it. The resident sees their own phone; staff see it masked. */
export const messageView = (m: Message, reader: 'owner' | 'staff') => ({
  id: m.id,
  channel: m.channel,
  template: m.template,
  text: messageText(m),
  reference: m.reference,
  status: m.status,
  ...(m.to ? { to: reader === 'owner' ? m.to : maskPhone(m.to) } : {}),
  ...(m.reason ? { reason: m.reason } : {}),
  createdAt: m.createdAt,
  ...(m.heldUntil ? { heldUntil: m.heldUntil } : {}),
  ...(m.sentAt ? { sentAt: m.sentAt } : {}),
  ...(m.deliveredAt ? { deliveredAt: m.deliveredAt } : {}),
  ...(m.failedAt ? { failedAt: m.failedAt } : {}),
});

export const preferencesView = (p: MessagePreferences & { updatedAt?: string }) => ({
  billReminders: p.billReminders,
  receipts: p.receipts,
  appointmentReminders: p.appointmentReminders,
  communityNotices: p.communityNotices,
  updatedAt: p.updatedAt ?? null,
});
