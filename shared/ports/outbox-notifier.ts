// Local Notifier adapter: every message is appended to DATA_DIR/outbox.jsonl (shown by the local server at
// GET /_local/outbox and printed to the console) instead of being sent. The file plays the phone network and
// keeps whole numbers; the console line is a log line, so the number in it is masked like everywhere else. As
// the provider stand-in it knows at once that an SMS arrived, so it answers `delivered`.

import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { render, smsSegments, smsText } from '../domain/messages.ts';
import { maskPhone, normalizeMobile } from '../domain/phone.ts';
import type { Channel, DirectMessage, Notifier, StaffMessage } from './notifier.ts';

export type OutboxEntry = {
  id: string;
  channel: Channel;
  to: string;
  template: string;
  body: string;
  segments?: number;
  reference: string;
  at: string;
};

/** Staff have no single address locally; their tasks go to a named queue per centre, role and category. */
export const staffAddress = (centre: string, role: string, category: string) => `staff:${centre}:${role}:${category}`;

/** What the console shows of a message: a phone number masked (+86138****8000), a staff queue as it is. */
export function outboxConsoleLine(line: Pick<OutboxEntry, 'channel' | 'to' | 'body'>): string {
  const phone = normalizeMobile(line.to);
  return `[outbox] ${line.channel} → ${phone ? maskPhone(phone) : line.to}: ${line.body}`;
}

export function outboxNotifier(file: string): Notifier {
  const append = (entry: Omit<OutboxEntry, 'id' | 'at'>) => {
    const line: OutboxEntry = { id: randomUUID(), ...entry, at: new Date().toISOString() };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    if (process.env.LOG_LEVEL !== 'silent') console.log(outboxConsoleLine(line));
    return line.id;
  };
  return {
    async send(message: DirectMessage) {
      const text = smsText(render(message.template, message.params));
      const id = append({
        channel: 'sms',
        to: message.to,
        template: message.template,
        body: text,
        segments: smsSegments(text),
        reference: message.reference,
      });
      return { providerId: id, status: 'delivered', awaitsReceipt: false };
    },
    async notifyStaff(message: StaffMessage) {
      append({
        channel: 'email',
        to: staffAddress(message.centre, message.role, message.category),
        template: message.template,
        body: render(message.template, message.params),
        reference: message.reference,
      });
    },
  };
}
