// The precomputed hall display of each centre (shared/domain/display.ts): one item per centre that every
// change of one of its queues rewrites, and that a screen's poll reads with one eventually consistent
// GetItem. Rewriting is optimistic: the item's revision is read first, the queue after it, and the new
// item is written only if the revision is still the one read; otherwise the writer reads both again. Of
// two writers racing, the one that writes last has therefore read the queue after the other's change, so
// the item never goes back to an older state.
//
// Item
//   display   pk DISPLAY#<centre>  sk DISPLAY   { centre, date, rev, updatedAt, sections: { <category>: … } }

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { displaySection, type StoredDisplay } from '../domain/display.ts';
import type { QueueEntry } from '../domain/tickets.ts';
import { db, tableName } from './client.ts';
import { applied } from './conditional-writes.ts';
import { displayKeys } from './keys.ts';
import { categoryCountersOn } from './stats.ts';
import { servingEntries, waitingEntries, type Queue } from './tickets.ts';

const ATTEMPTS = 8;

const toDisplay = ({ pk: _pk, sk: _sk, ...display }: Record<string, unknown>) => display as StoredDisplay;

/** What the screens show now. Eventually consistent: half a read unit, and a second's lag is fine on a screen. */
export async function getHallDisplay(centre: string): Promise<StoredDisplay | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: displayKeys.hall(centre) }));
  return Item ? toDisplay(Item) : undefined;
}

/**
 * Rewrites the section of the queue's window from the queue as it is now. Answers the waiting entries it
 * read, so the caller can see who is near their turn without reading the queue again.
 */
export async function refreshHallDisplay(q: Queue, now: Date): Promise<QueueEntry[]> {
  for (let attempt = 1; ; attempt++) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: displayKeys.hall(q.centre), ConsistentRead: true }));
    const current = Item ? toDisplay(Item) : undefined;
    const [entries, serving, counters] = await Promise.all([waitingEntries(q), servingEntries(q), categoryCountersOn(q.centre, q.date, q.category)]);
    const section = displaySection(entries, serving, { ticketsCalled: counters.ticketsCalled ?? 0, waitMs: counters.waitMs ?? 0 }, now);
    const next: StoredDisplay = {
      centre: q.centre,
      date: q.date,
      rev: (current?.rev ?? 0) + 1,
      updatedAt: now.toISOString(),
      // A new day starts from an empty hall: yesterday's sections are not carried over.
      sections: { ...(current?.date === q.date ? current.sections : {}), [q.category]: section },
    };
    const written = await applied(
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...displayKeys.hall(q.centre), ...next },
          ConditionExpression: current ? 'rev = :rev' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: current ? { ':rev': current.rev } : undefined,
        }),
      ),
    );
    if (written) return entries;
    if (attempt >= ATTEMPTS) throw new Error(`The hall display of ${q.centre} changed ${ATTEMPTS} times while it was being rewritten`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
  }
}
