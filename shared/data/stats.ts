// Statistics counters behind GET /stats. Each event (a case submitted, returned or decided, a staff
// decision, a rating) adds to the counters of its centre's Shanghai business day and its category or staff member,
// in ONE transaction with a marker item named after the event. The marker's attribute_not_exists makes a
// second recording of the same event (a retried workflow Lambda, a repeated call) a no-op, so each event
// counts once. A centre's report Queries one partition per day of its period: O(days) Queries of at most
// (categories + staff who decided that day) items each, whatever the number of cases.
// Recording never fails the caller: the case's own write is done and matters more than a counter.
//
// Items
//   counters  pk STATS#<centre>#<date>  sk CATEGORY#<code> | STAFF#<userId>   numbers, only ever changed with ADD
//   marker    pk STATSEVENT#<event id>  sk STATSEVENT               (that event has been counted)

import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { caseStatsEvent, staffDecisionEvent, type CategoryCounters, type CounterOwner, type CounterRow, type StatsEvent } from '../domain/stats.ts';
import { log } from '../log.ts';
import type { Case } from '../domain/cases.ts';
import type { Task } from '../domain/tasks.ts';
import { db, tableName } from './client.ts';
import { cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { statsKeys, unpart } from './keys.ts';
import { queryAll } from './pagination.ts';

/** Days read at once by a report. */
const DAYS_IN_PARALLEL = 8;

const counterKey = (centre: string, date: string, owner: CounterOwner) => ({
  pk: statsKeys.day(centre, date),
  sk: 'category' in owner ? statsKeys.category(owner.category) : statsKeys.staff(owner.staff),
});

/**
 * The two writes that count an event exactly once: the marker (refused if the event was counted before)
 * and the ADD to its counters. Exported for a caller that must count inside its own transaction.
 */
export function statsEventWrites(event: StatsEvent): TransactItem[] {
  const added = Object.entries(event.add);
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...statsKeys.event(event.id), date: event.date },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: counterKey(event.centre, event.date, event.owner),
        UpdateExpression: `ADD ${added.map((_, i) => `#n${i} :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(added.map(([name], i) => [`#n${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(added.map(([, value], i) => [`:v${i}`, value])),
      },
    },
  ];
}


/** Counts an event once; a repeat is a no-op. Logs, never throws: see the module header. */
export async function recordStatsEvent(event: StatsEvent): Promise<void> {
  const command = new TransactWriteCommand({ TransactItems: statsEventWrites(event) });
  try {
    await transactWrite(command);
  } catch (error) {
    // The marker item is the first write: its condition failing means the event was counted already.
    if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return;
    log.error('statistics event not recorded', { eventId: event.id, errorName: (error as Error).name });
  }
}

/** Counts the case's latest transition, if it is one the statistics count (caseStatsEvent). */
export async function recordCaseEvent(c: Case): Promise<void> {
  const event = caseStatsEvent(c);
  if (event) await recordStatsEvent(event);
}

/** Counts a staff member's decision of an approval step. */
export async function recordStaffDecision(task: Task): Promise<void> {
  await recordStatsEvent(
    staffDecisionEvent({ id: task.id, centre: task.centre, openedAt: task.openedAt, decidedBy: task.decidedBy!, decidedAt: task.decidedAt! }),
  );
}

/** One category's counters of a centre's day, as far as they are counted (the hall display's average wait). */
export async function categoryCountersOn(centre: string, date: string, category: string): Promise<Partial<CategoryCounters>> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: counterKey(centre, date, { category }), ConsistentRead: true }));
  return (Item ?? {}) as Partial<CategoryCounters>;
}

async function countersOfDay(centre: string, date: string): Promise<CounterRow[]> {
  const rows: CounterRow[] = [];
  const items = queryAll({ TableName: tableName, KeyConditionExpression: 'pk = :day', ExpressionAttributeValues: { ':day': statsKeys.day(centre, date) } });
  for await (const { sk, ...counts } of items) {
    const key = sk as string;
    const owner = key.startsWith(statsKeys.categoryPrefix)
      ? { category: key.slice(statsKeys.categoryPrefix.length) }
      : { staff: unpart(key.slice(statsKeys.staffPrefix.length)) };
    const { pk: _pk, ...values } = counts;
    rows.push({ owner, counts: values as CounterRow['counts'] });
  }
  return rows;
}

/**
 * Every counter of a centre's days: one Query (rarely more than one page) per day, a few days at a time.
 * A city report calls this once per centre: O(centres × days) small Queries, none reading another centre.
 */
export async function countersOfDays(centre: string, days: string[]): Promise<CounterRow[]> {
  const rows: CounterRow[] = [];
  for (let i = 0; i < days.length; i += DAYS_IN_PARALLEL) {
    const batch = await Promise.all(days.slice(i, i + DAYS_IN_PARALLEL).map((day) => countersOfDay(centre, day)));
    rows.push(...batch.flat());
  }
  return rows;
}
