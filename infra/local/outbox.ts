// Reads the local outbox (DATA_DIR/outbox.jsonl) that the outbox Notifier adapter appends to.

import { existsSync, readFileSync } from 'node:fs';
import { normalizeMobile } from '../../shared/domain/phone.ts';
import type { OutboxEntry } from '../../shared/ports/outbox-notifier.ts';

export function readOutbox(file: string, to?: string): OutboxEntry[] {
  if (!existsSync(file)) return [];
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OutboxEntry);
  if (!to) return entries;
  // A '+' in a query string arrives as a space: accept the number in any form a phone is accepted in.
  const address = normalizeMobile(to.replace(/^ /, '+')) ?? to;
  return entries.filter((e) => e.to === address);
}
