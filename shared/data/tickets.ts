// Queue tickets and the day's queue of each centre's window. A ticket's own item keeps its times for the
// statistics; the queue partition holds one small entry per waiting ticket, keyed so that a plain Query
// returns the waiting in call order, and one entry per ticket being served at a window. Every change of a
// ticket and its queue entries is one transaction guarded by the ticket's status, so two clerks pressing
// "call next" at once can never call the same ticket: the second one's condition fails and it takes the next.
//
// Items (keys.ts builds every key)
//   ticket    pk TICKET#<id>  sk TICKET
//             gsi1 OWNER#<residentId> / TICKET#<date>#<id>            (a resident's tickets, when known)
//   waiting   pk QUEUE#<centre>#<category>#<date>  sk WAIT#<priority>#<position>   (the queue entry)
//   serving   pk QUEUE#<centre>#<category>#<date>  sk SERVING#<window>#<ticketId>
//   The queue's entries expire two days after their day: what is left at closing time goes by itself.

import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '../domain/appointments.ts';
import { conflict } from '../domain/errors.ts';
import { queueEntryOf, type QueueEntry, type ServingEntry, type Ticket } from '../domain/tickets.ts';
import { db, tableName } from './client.ts';
import { applied, cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { appointmentKeys, caseKeys, ticketKeys, withoutKeys } from './keys.ts';
import { queryAll } from './pagination.ts';

const QUEUE_KEEP_SECONDS = 2 * 24 * 3600;
const expiresAfter = (date: string) => Math.floor(new Date(`${date}T00:00:00Z`).getTime() / 1000) + QUEUE_KEEP_SECONDS;

export type Queue = { centre: string; category: string; date: string };
const queueOf = (t: Pick<Ticket, 'centre' | 'category' | 'date'>): Queue => ({ centre: t.centre, category: t.category, date: t.date });
const queuePk = (q: Queue) => ticketKeys.queue(q.centre, q.category, q.date);

const toTicket = (item: Record<string, unknown>) => withoutKeys<Ticket>(item);
const toEntry = ({ pk: _pk, sk: _sk, expiresAt: _e, ...entry }: Record<string, unknown>) => entry as QueueEntry;
const toServing = ({ pk: _pk, sk: _sk, expiresAt: _e, ...entry }: Record<string, unknown>) => entry as ServingEntry;

const failedCondition = (error: unknown) => cancellationCodes(error).includes('ConditionalCheckFailed');

function ticketPut(t: Ticket): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...ticketKeys.item(t.id),
        ...t,
        ...(t.residentId ? { gsi1pk: caseKeys.owner(t.residentId), gsi1sk: ticketKeys.ownerOrder(t.date, t.id) } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function entryPut(t: Ticket): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { pk: queuePk(queueOf(t)), sk: ticketKeys.waiting(t.priority, t.position), ...queueEntryOf(t), expiresAt: expiresAfter(t.date) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const servingDelete = (t: Ticket): TransactItem => ({
  Delete: { TableName: tableName, Key: { pk: queuePk(queueOf(t)), sk: ticketKeys.serving(t.window!, t.id) } },
});

/** Issues a walk-in's ticket: the ticket and its place in the queue, together. */
export async function issueTicket(t: Ticket): Promise<void> {
  await transactWrite(new TransactWriteCommand({ TransactItems: [ticketPut(t), entryPut(t)] }));
}

/**
 * Checks a booked appointment in and puts its ticket in the window's queue, all or nothing. 409
 * invalid_state if it is cancelled or checked in already.
 */
export async function checkInToQueue(appointment: Appointment, t: Ticket, staffId: string, at: string): Promise<Appointment> {
  const checkIn: TransactItem = {
    Update: {
      TableName: tableName,
      Key: appointmentKeys.item(appointment.id),
      UpdateExpression: 'SET #status = :checkedIn, checkedInAt = :at, checkedInBy = :staff',
      ConditionExpression: '#status = :booked',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':checkedIn': 'checked_in', ':booked': 'booked', ':at': at, ':staff': staffId },
    },
  };
  await guarded([checkIn, ticketPut(t), entryPut(t)], async () => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: appointmentKeys.item(appointment.id), ConsistentRead: true }));
    return Item?.status === 'cancelled' ? `Appointment ${appointment.id} was cancelled.` : `Appointment ${appointment.id} is checked in already.`;
  });
  return { ...appointment, status: 'checked_in', checkedInAt: at, checkedInBy: staffId };
}

/** One transaction whose failed condition means the item moved on: 409 invalid_state, saying how. */
async function guarded(items: TransactItem[], refusal: () => Promise<string> | string): Promise<void> {
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (failedCondition(error)) throw conflict('invalid_state', await refusal());
    throw error;
  }
}

export async function getTicket(id: string): Promise<Ticket | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: ticketKeys.item(id), ConsistentRead: true }));
  return Item ? toTicket(Item) : undefined;
}

/** Every waiting entry of a queue in sort-key order (priority, then position): one consistent Query. */
export async function waitingEntries(q: Queue): Promise<QueueEntry[]> {
  const entries: QueueEntry[] = [];
  const items = queryAll({
    TableName: tableName,
    KeyConditionExpression: 'pk = :queue AND begins_with(sk, :waiting)',
    ExpressionAttributeValues: { ':queue': queuePk(q), ':waiting': ticketKeys.waitingPrefix },
    ConsistentRead: true,
  });
  for await (const item of items) entries.push(toEntry(item));
  return entries;
}

/** The tickets a queue's windows are serving now (all windows, or one). */
export async function servingEntries(q: Queue, window?: string): Promise<ServingEntry[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :queue AND begins_with(sk, :serving)',
      ExpressionAttributeValues: { ':queue': queuePk(q), ':serving': window === undefined ? ticketKeys.servingPrefix : ticketKeys.servingAtWindow(window) },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map(toServing);
}

/**
 * Calls the entry's ticket to a window: its queue entry goes, the ticket becomes `called` and the window
 * serves it, all or nothing. False when the ticket was no longer waiting at that place (another clerk called
 * it first): the caller takes the next one.
 */
export async function callTicket(q: Queue, entry: QueueEntry, window: string, staffId: string, at: string): Promise<boolean> {
  const serving: ServingEntry = { ticketId: entry.ticketId, ticket: entry.ticket, window, ...(entry.name ? { name: entry.name } : {}), announcedAt: at };
  try {
    await transactWrite(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName,
              Key: { pk: queuePk(q), sk: ticketKeys.waiting(entry.priority, entry.position) },
              ConditionExpression: 'ticketId = :id',
              ExpressionAttributeValues: { ':id': entry.ticketId },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: ticketKeys.item(entry.ticketId),
              UpdateExpression: 'SET #status = :called, #window = :window, calledAt = :at, calledBy = :staff, firstCalledAt = if_not_exists(firstCalledAt, :at)',
              ConditionExpression: '#status = :waiting AND #position = :position',
              ExpressionAttributeNames: { '#status': 'status', '#window': 'window', '#position': 'position' },
              ExpressionAttributeValues: { ':called': 'called', ':waiting': 'waiting', ':window': window, ':at': at, ':staff': staffId, ':position': entry.position },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { pk: queuePk(q), sk: ticketKeys.serving(window, entry.ticketId), ...serving, expiresAt: expiresAfter(q.date) },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (failedCondition(error)) return false;
    throw error;
  }
}

/** A called ticket is served: done, and its window no longer shows it. 409 invalid_state unless it is called. */
export async function finishTicket(t: Ticket, at: string): Promise<Ticket> {
  await changeCalledTicket(t, [servingDelete(t)], 'SET #status = :done, doneAt = :at', { ':done': 'done', ':at': at });
  return { ...t, status: 'done', doneAt: at };
}

/**
 * 过号: the called resident did not come. The first time the ticket rejoins the queue at `rejoinAt`; the
 * next time it is removed. 409 invalid_state unless it is called.
 */
export async function skipTicket(t: Ticket, rejoinAt: string | undefined, at: string): Promise<Ticket> {
  if (rejoinAt === undefined) {
    await changeCalledTicket(t, [servingDelete(t)], 'SET #status = :skipped, skippedAt = :at, skips = skips + :one', { ':skipped': 'skipped', ':at': at, ':one': 1 });
    return { ...t, status: 'skipped', skippedAt: at, skips: t.skips + 1 };
  }
  const rejoined: Ticket = { ...t, status: 'waiting', skips: t.skips + 1, priority: 2, position: rejoinAt, skippedAt: at };
  await changeCalledTicket(
    t,
    [servingDelete(t), entryPut(rejoined)],
    'SET #status = :waiting, skippedAt = :at, skips = skips + :one, #priority = :priority, #position = :position REMOVE #window',
    { ':waiting': 'waiting', ':at': at, ':one': 1, ':priority': rejoined.priority, ':position': rejoinAt },
  );
  const { window: _window, ...waiting } = rejoined;
  return waiting;
}

/** 重呼: the window calls the same ticket again; the hall announces it once more. */
export async function recallTicket(t: Ticket, at: string): Promise<Ticket> {
  const announce: TransactItem = {
    Update: {
      TableName: tableName,
      Key: { pk: queuePk(queueOf(t)), sk: ticketKeys.serving(t.window!, t.id) },
      UpdateExpression: 'SET announcedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    },
  };
  await changeCalledTicket(t, [announce], 'SET recalls = if_not_exists(recalls, :zero) + :one, recalledAt = :at', { ':zero': 0, ':one': 1, ':at': at });
  return { ...t, recalls: (t.recalls ?? 0) + 1, recalledAt: at };
}

/** One transaction on a called ticket (condition: still the same call) and the queue items it touches. */
async function changeCalledTicket(t: Ticket, queueItems: TransactItem[], update: string, values: Record<string, unknown>): Promise<void> {
  const names = Object.fromEntries(Object.entries({ '#status': 'status', '#window': 'window', '#position': 'position', '#priority': 'priority' }).filter(([name]) => update.includes(name)));
  const ticket: TransactItem = {
    Update: {
      TableName: tableName,
      Key: ticketKeys.item(t.id),
      UpdateExpression: update,
      ConditionExpression: '#status = :called AND calledAt = :calledAt',
      ExpressionAttributeNames: { ...names, '#status': 'status' },
      ExpressionAttributeValues: { ...values, ':called': 'called', ':calledAt': t.calledAt },
    },
  };
  await guarded([ticket, ...queueItems], () => `Ticket ${t.ticket} is no longer being called at a window.`);
}

/** Claims the ticket's one near-turn SMS: true for the single caller that may send it. */
export async function claimNearTurnSms(ticketIdValue: string, at: string): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: ticketKeys.item(ticketIdValue),
        UpdateExpression: 'SET nearTurnSmsAt = :at',
        ConditionExpression: '#status = :waiting AND attribute_not_exists(nearTurnSmsAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':waiting': 'waiting', ':at': at },
      }),
    ),
  );
}

/** The highest number the window's day has given out so far (0 before the first): where a skipped ticket rejoins. */
export async function lastIssuedSequence(q: Queue): Promise<number> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: appointmentKeys.ticketSequence(q.centre, q.category, q.date), ConsistentRead: true }),
  );
  return (Item?.seq as number | undefined) ?? 0;
}

/** A resident's tickets of one day (the ID-card swipe); a handful at most. */
export async function ticketsOfResidentOn(residentId: string, date: string): Promise<Ticket[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :owner AND begins_with(gsi1sk, :day)',
      ExpressionAttributeValues: { ':owner': caseKeys.owner(residentId), ':day': ticketKeys.ownerDayPrefix(date) },
    }),
  );
  return (Items ?? []).map(toTicket);
}
