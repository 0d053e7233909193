// Messages as records. Every message to a resident is an item in the resident's own partition, with its
// channel and status, so the resident reads all of them in one Query and staff read a case's messages on the
// case's own index. A message waiting for an attempt (held through the night, retrying after a failure that
// may pass, or in flight) sits on the sparse queue index at the time it is due; whoever attempts it first
// moves it ahead there under a condition (its lease), so two senders never send it twice and a sender that
// dies leaves it to the next run. The one exception is a message of a notice fan-out in flight: the fan-out
// job resumes its own pages, so its claim stays off the index (two index writes fewer per resident) until
// it is held for the morning or waits for a retry. A staff message is kept only when it could not go out at once.
//
//   message      pk RESIDENT#<residentId>  sk MESSAGE#<createdAt>#<id>
//                gsi1 CASE-MESSAGES#<caseId> / <createdAt>#<id>      (messages about a case)
//                gsi2 MESSAGES#QUEUED / <dueAt>#<id>                 (while queued)
//                gsi2 MESSAGES#FAILED / <failedAt>#<id>              (given up on: for an operator)
//                gsi2 MESSAGES#AWAITING-REPORT / <checkAt>#<id>      (sent, its delivery report not yet in)
//   staff retry  pk NOTIFICATION#<id>  sk NOTIFICATION                (on the same two gsi2 lists)
//   receipt      pk SMSRECEIPT#<providerId>  sk SMSRECEIPT  → the message's key
//   preferences  pk RESIDENT#<residentId>  sk PREFERENCES

import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PREFERENCES, MESSAGE_KINDS, TEMPLATE_CLASSES, type Message, type MessagePreferences } from '../domain/messages.ts';
import type { StaffMessage } from '../ports/notifier.ts';
import { db, tableName } from './client.ts';
import { applied, cancellationCodes, transactWrite } from './conditional-writes.ts';
import { messageKeys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, type ListQuery, type Page } from './pagination.ts';

/** A resident's messages stay readable for a year; a staff retry and a receipt's pointer a month. */
const MESSAGE_KEEP_DAYS = 365;
const RECORD_KEEP_DAYS = 30;
/** Aliyun reports within seconds: a report not in after this long is asked for (check-sms-reports). */
const REPORT_OVERDUE_MS = 10 * 60_000;
/** DynamoDB's limits per BatchWriteItem, BatchGetItem and TransactWriteItems call. */
const WRITE_BATCH = 25;
const GET_BATCH = 100;
const CLAIM_BATCH = 100;
const CONCURRENT_CLAIMS = 2;

/** A staff message that could not go out at once, kept until it does or is given up on. */
export type StaffRecord = {
  id: string;
  staffMessage: StaffMessage;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  reason?: string;
  createdAt: string;
  sentAt?: string;
  failedAt?: string;
};

/** What a message has become after a step, and what the item must say for it. */
export type MessageState = {
  message: Message;
  /** Queued on the index: when it is due (an in-flight attempt's lease, the morning, the next retry). */
  dueAt?: Date;
  /** Queued off the index, in flight under the claim of a sender that resumes it itself (a fan-out run): until when. */
  claimedUntil?: Date;
  /** Keep the provider's id to match its report. */
  awaitsReceipt?: boolean;
};

/**
 * What a `once` claim found: written by this call; someone else's claim still in flight; nothing left for this
 * call (sent, held, retrying, failed); or not written, DynamoDB failing.
 */
export type Claim = 'written' | 'claimed' | 'settled' | 'unwritten';
export type StaffState = { record: StaffRecord; dueAt?: Date };

/** An entry of the queue index, with the position it was read at (the lease condition). */
export type QueueEntry = ({ audience: 'resident'; message: Message } | { audience: 'staff'; record: StaffRecord }) & { position: string };

type Key = { pk: string; sk: string };

const position = (at: Date | string, id: string) => `${typeof at === 'string' ? at : at.toISOString()}#${id}`;
const expiry = (from: string, days: number) => Math.floor(new Date(from).getTime() / 1000) + days * 24 * 3600;
const keyOfMessage = (m: Pick<Message, 'residentId' | 'createdAt' | 'id'>): Key => messageKeys.item(m.residentId, m.createdAt, m.id);
const keyOfEntry = (entry: QueueEntry): Key => (entry.audience === 'resident' ? keyOfMessage(entry.message) : messageKeys.staff(entry.record.id));

/**
 * Where the item stands on the gsi2 lists: queued by when it is due, failed by when it failed, else on neither.
 * `dueAt` is also kept on the item: past it, whoever holds a queued message has lost it.
 */
function queuePlace(status: string, id: string, dueAt: Date | undefined, failedAt: string | undefined, claimedUntil?: Date) {
  if (status === 'queued') {
    if (dueAt) return { gsi2pk: messageKeys.queued, gsi2sk: position(dueAt, id), dueAt: dueAt.toISOString() };
    if (claimedUntil) return { dueAt: claimedUntil.toISOString() };
    throw new Error(`A queued message ${id} needs the time it is due`);
  }
  if (status === 'failed') return { gsi2pk: messageKeys.failed, gsi2sk: position(failedAt!, id) };
  return {};
}

function messageItem({ message, dueAt, claimedUntil, awaitsReceipt }: MessageState): Record<string, unknown> {
  const templateClass = TEMPLATE_CLASSES[message.template];
  const aboutCase = templateClass.audience === 'resident' && templateClass.about === 'case';
  const reportOverdue = message.status === 'sent' && awaitsReceipt ? new Date(new Date(message.sentAt!).getTime() + REPORT_OVERDUE_MS) : undefined;
  return {
    ...keyOfMessage(message),
    ...message,
    ...(aboutCase ? { gsi1pk: messageKeys.aboutCase(message.reference), gsi1sk: messageKeys.order(message.createdAt, message.id) } : {}),
    ...queuePlace(message.status, message.id, dueAt, message.failedAt, claimedUntil),
    ...(reportOverdue ? { gsi2pk: messageKeys.awaitingReport, gsi2sk: position(reportOverdue, message.id) } : {}),
    expiresAt: expiry(message.createdAt, MESSAGE_KEEP_DAYS),
  };
}

const staffItem = ({ record, dueAt }: StaffState): Record<string, unknown> => ({
  ...messageKeys.staff(record.id),
  ...record,
  ...queuePlace(record.status, record.id, dueAt, record.failedAt),
  expiresAt: expiry(record.createdAt, RECORD_KEEP_DAYS),
});

/** The items a state is written as: the message, and for an SMS whose report will come, its pointer. */
function itemsOf(state: MessageState | StaffState): Record<string, unknown>[] {
  if ('record' in state) return [staffItem(state)];
  const { message } = state;
  const pointer =
    state.awaitsReceipt && message.providerId
      ? [{ ...messageKeys.receipt(message.providerId), message: keyOfMessage(message), messageId: message.id, expiresAt: expiry(message.createdAt, RECORD_KEEP_DAYS) }]
      : [];
  return [messageItem(state), ...pointer];
}

/** Writes a new message (its id is new: the write cannot find one). */
export async function createMessage(state: MessageState, now: Date): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, ...claimPut(state, now, 'new') }));
}

/**
 * A message with a fixed id and creation time (a notice to one resident) may exist already: it is taken over
 * only while queued and past due (its last sender died), so of any number of callers exactly one writes it.
 */
function claimPut(state: MessageState, now: Date, mode: 'new' | 'once') {
  return {
    Item: messageItem(state),
    ConditionExpression: mode === 'new' ? 'attribute_not_exists(pk)' : 'attribute_not_exists(pk) OR (#status = :queued AND dueAt <= :now)',
    ...(mode === 'once' ? { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':queued': 'queued', ':now': now.toISOString() } } : {}),
  };
}

/**
 * Writes many messages of fixed ids once (see claimPut), up to 100 to a transaction: a fan-out page of
 * residents costs one call, not one per resident. A transaction in which some messages exist already is
 * cancelled whole; it is tried again without them, and those are read to tell a claim still in flight from a
 * message that needs nothing more. A message whose write failed for another reason is `unwritten`, with the error.
 */
export async function createMessagesOnce(states: MessageState[], now: Date): Promise<{ claims: Claim[]; failure?: unknown }> {
  const claims: Claim[] = states.map(() => 'unwritten');
  const existing: number[] = [];
  const claimChunk = async (indexes: number[]): Promise<void> => {
    if (indexes.length === 0) return;
    try {
      await transactWrite(new TransactWriteCommand({ TransactItems: indexes.map((i) => ({ Put: { TableName: tableName, ...claimPut(states[i]!, now, 'once') } })) }));
      for (const i of indexes) claims[i] = 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes.includes('ConditionalCheckFailed')) throw error;
      existing.push(...indexes.filter((_, k) => codes[k] === 'ConditionalCheckFailed'));
      await claimChunk(indexes.filter((_, k) => codes[k] !== 'ConditionalCheckFailed'));
    }
  };
  const chunks: number[][] = [];
  for (let i = 0; i < states.length; i += CLAIM_BATCH) chunks.push(states.slice(i, i + CLAIM_BATCH).map((_, j) => i + j));
  let failure: unknown;
  for (let i = 0; i < chunks.length; i += CONCURRENT_CLAIMS) {
    const results = await Promise.allSettled(chunks.slice(i, i + CONCURRENT_CLAIMS).map(claimChunk));
    failure ??= results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  }
  try {
    const keyText = (key: Key) => `${key.pk}\n${key.sk}`;
    const found = new Map((await itemsAt(existing.map((i) => keyOfMessage(states[i]!.message)))).map((item) => [keyText(item as Key), item]));
    for (const i of existing) {
      const item = found.get(keyText(keyOfMessage(states[i]!.message)));
      claims[i] = item?.status === 'queued' && item.gsi2pk === undefined ? 'claimed' : 'settled';
    }
  } catch (error) {
    // Unknown: counted as still claimed elsewhere, so the page is read again.
    for (const i of existing) claims[i] = 'claimed';
    failure ??= error;
  }
  return { claims, ...(failure !== undefined ? { failure } : {}) };
}

/** The items that exist at these keys, read consistently, a hundred per BatchGetItem. */
async function itemsAt(keys: Key[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += GET_BATCH) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + GET_BATCH);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      found.push(...(Responses?.[tableName] ?? []));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(attempt, 6)));
    }
  }
  return found;
}

/** Writes the states reached, in batches (no condition: the writer holds each message's lease). */
export async function saveStates(states: (MessageState | StaffState)[]): Promise<void> {
  const items = states.flatMap(itemsOf);
  for (let i = 0; i < items.length; i += WRITE_BATCH) {
    let requests: Record<string, unknown>[] = items.slice(i, i + WRITE_BATCH).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests as never } }));
      requests = (UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      if (requests.length > 0) {
        if (attempt >= 8) throw Object.assign(new Error('DynamoDB left writes unprocessed'), { name: 'UnprocessedWrites' });
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
  }
}

/** Keeps a staff message that could not go out at once. */
export async function recordStaffMessage(state: StaffState): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: staffItem(state), ConditionExpression: 'attribute_not_exists(pk)' }));
}

/** Queued entries due at `now`, earliest first, a page at a time. */
export async function dueQueueEntries(now: Date, limit: number, startKey?: Record<string, unknown>): Promise<{ entries: QueueEntry[]; nextKey?: Record<string, unknown> }> {
  const { items, nextKey } = await dueOnList(messageKeys.queued, now, limit, startKey);
  return { entries: items.map(toQueueEntry), nextKey };
}

/** Takes a queued entry for one attempt by moving it to `until` on the queue, if it is still where it was read. */
export async function leaseQueueEntry(entry: QueueEntry, until: Date): Promise<boolean> {
  const id = entry.audience === 'resident' ? entry.message.id : entry.record.id;
  // `dueAt` moves too: a fan-out that finds this message may take it over only once this lease is over.
  return moveOnList(keyOfEntry(entry), messageKeys.queued, entry.position, until, id, 'SET gsi2sk = :moved, dueAt = :until');
}

/** SMS whose delivery report is overdue at `now`, a page at a time, each with its place on the list. */
export async function overdueReports(now: Date, limit: number, startKey?: Record<string, unknown>): Promise<{ entries: { message: Message; position: string }[]; nextKey?: Record<string, unknown> }> {
  const { items, nextKey } = await dueOnList(messageKeys.awaitingReport, now, limit, startKey);
  return { entries: items.map((item) => ({ message: toMessage(item), position: item.gsi2sk as string })), nextKey };
}

/**
 * Moves an overdue report to `until` (this check's lease, or the next check), if it is still where it was
 * read: the new position, or undefined when someone else moved it (or its report came) meanwhile.
 */
export async function postponeReportCheck(message: Message, read: string, until: Date): Promise<string | undefined> {
  const moved = await moveOnList(keyOfMessage(message), messageKeys.awaitingReport, read, until, message.id, 'SET gsi2sk = :moved');
  return moved ? position(until, message.id) : undefined;
}

/** No report will come any more: the message stays `sent` and leaves the list. */
export async function stopAwaitingReport(message: Message, position: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOfMessage(message),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'gsi2pk = :list AND gsi2sk = :read',
        ExpressionAttributeValues: { ':list': messageKeys.awaitingReport, ':read': position },
      }),
    ),
  );
}

async function dueOnList(list: string, now: Date, limit: number, startKey?: Record<string, unknown>) {
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :list AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':list': list, ':now': `${now.toISOString()}#~` },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: Items ?? [], nextKey: LastEvaluatedKey };
}

/** Moves an item to `until` on a gsi2 list, only if it is still at the position it was read at: of two movers, one wins. */
function moveOnList(key: Key, list: string, read: string, until: Date, id: string, update: string): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: update,
        ConditionExpression: 'gsi2pk = :list AND gsi2sk = :read',
        ExpressionAttributeValues: { ':moved': position(until, id), ...(update.includes(':until') ? { ':until': until.toISOString() } : {}), ':list': list, ':read': read },
      }),
    ),
  );
}

export type DeliveryReport = { phoneNumber: string; status: 'delivered' | 'failed'; reason: string; at: string };

/**
 * Applies a provider's confirmed delivery report to the message it names: `sent` becomes `delivered` or
 * `failed`, once (a repeated report changes nothing). False while the report cannot be matched yet (the
 * SMS's id is not recorded, or not on this message), so the provider is asked to report again later.
 */
export async function applyDeliveryReport(providerId: string, report: DeliveryReport): Promise<boolean> {
  const { Item: pointer } = await db.send(new GetCommand({ TableName: tableName, Key: messageKeys.receipt(providerId), ConsistentRead: true }));
  if (!pointer) return false;
  const key = pointer.message as Key;
  const failed = report.status === 'failed';
  const done = await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: failed
          ? 'SET #status = :status, failedAt = :at, reason = :reason, gsi2pk = :failedList, gsi2sk = :place'
          : 'SET #status = :status, deliveredAt = :at REMOVE reason, gsi2pk, gsi2sk',
        ConditionExpression: 'providerId = :id AND #to = :phone AND #status = :sent',
        ExpressionAttributeNames: { '#status': 'status', '#to': 'to' },
        ExpressionAttributeValues: {
          ':status': report.status,
          ':at': report.at,
          ':id': providerId,
          ':phone': report.phoneNumber,
          ':sent': 'sent',
          ...(failed ? { ':reason': report.reason, ':failedList': messageKeys.failed, ':place': position(report.at, pointer.messageId as string) } : {}),
        },
      }),
    ),
  );
  if (done) return true;
  // The message as it is now tells a report already applied (nothing left to do) from one that came too early.
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item?.providerId === providerId && (Item.status === 'delivered' || Item.status === 'failed');
}

/** A resident's messages, newest first. */
export const listResidentMessages = (residentId: string, limit: number, cursor?: string) =>
  newestFirst({ partition: messageKeys.ofResident(residentId), sort: { beginsWith: messageKeys.ofResidentPrefix } }, limit, cursor);

/** The messages sent about a case, newest first. */
export const listCaseMessages = (caseId: string, limit: number, cursor?: string) =>
  newestFirst({ index: 'gsi1', partition: messageKeys.aboutCase(caseId) }, limit, cursor);

/** One page of a list of messages in one partition, newest first; the cursor is accepted for that partition only. */
async function newestFirst(list: ListQuery, limit: number, cursor?: string): Promise<Page<Message>> {
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map(toMessage), nextCursor: encodeCursor(LastEvaluatedKey) };
}

const withDefaults = (stored: Record<string, unknown> | undefined): MessagePreferences =>
  Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, stored?.[kind] ?? DEFAULT_PREFERENCES[kind]])) as MessagePreferences;

export async function getPreferences(residentId: string): Promise<MessagePreferences & { updatedAt?: string }> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: messageKeys.preferences(residentId) }));
  return { ...withDefaults(Item), ...(Item?.updatedAt ? { updatedAt: Item.updatedAt as string } : {}) };
}

export async function savePreferences(residentId: string, preferences: MessagePreferences, now: Date): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName, Item: { ...messageKeys.preferences(residentId), residentId, ...preferences, updatedAt: now.toISOString() } }));
}

/** The preferences of many residents at once (a page of a notice fan-out): one BatchGetItem per hundred. */
export async function preferencesOf(residentIds: string[]): Promise<Map<string, MessagePreferences>> {
  const stored = new Map((await itemsAt(residentIds.map(messageKeys.preferences))).map((item) => [item.residentId as string, withDefaults(item)]));
  return new Map(residentIds.map((id) => [id, stored.get(id) ?? { ...DEFAULT_PREFERENCES }]));
}

function toMessage(item: Record<string, unknown>): Message {
  const { gsi1pk: _a, gsi1sk: _b, dueAt: _c, expiresAt: _d, ...message } = item;
  return withoutKeys<Message>(message);
}

function toQueueEntry(item: Record<string, unknown>): QueueEntry {
  const at = item.gsi2sk as string;
  if (item.staffMessage) {
    const { id, staffMessage, status, attempts, reason, createdAt } = item as StaffRecord;
    return { audience: 'staff', record: { id, staffMessage, status, attempts, createdAt, ...(reason ? { reason } : {}) }, position: at };
  }
  return { audience: 'resident', message: toMessage(item), position: at };
}
