// Notices and their fan-out job.
//
//   notice        pk NOTICE#<id>  sk NOTICE
//                 gsi1 NOTICES#<community> / <endsAt or ~>#<id>     (a community's notices by end time)
//   fan-out job   pk NOTICE#<id>  sk FANOUT   { cursor, sent, status }
//                 gsi2 FANOUT#noticeKeys.fanOutPending / <nextRunAt>#<id>            (sparse: only while residents remain)
//
// The job walks the community's residents (gsi1, COMMUNITY#<community>) a page at a time and keeps the
// page cursor on its own item, so a run that stops (time budget, crash, messages that could not be
// claimed) is resumed by the next one where it left off. Only the run holding the job's lease (its gsi2sk,
// pushed LEASE_MS ahead with a conditional write) may move the cursor. Each resident's message is a record
// of its own in the resident's partition (shared/data/messages.ts), claimed with a conditional put before
// it is sent, so a page read twice sends nobody a second time; those records spread a notice to thousands
// of residents over thousands of partitions.

import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notice } from '../domain/notices.ts';
import { db, tableName } from './client.ts';
import { applied, transactWrite, whenApplied } from './conditional-writes.ts';
import { noticeKeys, residentKeys } from './keys.ts';
import { queryAll } from './pagination.ts';

/** How long a run owns a job without renewing: far longer than one page of residents takes. */
export const LEASE_MS = 2 * 60_000;
/** Notices stay readable (and listable) this long after they end; then DynamoDB deletes them. */
const NOTICE_KEEP_DAYS = 180;

export type FanOutJob = {
  noticeId: string;
  community: string;
  status: 'pending' | 'done';
  /** The residents index's LastEvaluatedKey after the last page fully sent; absent before the first. */
  cursor?: Record<string, string>;
  /** SMS handed over, for operators; a run that lost its lease mid-page does not add that page's count. */
  sent: number;
  createdAt: string;
  finishedAt?: string;
  /** The lease position on the pending index; the run that wrote it owns the job until it passes. */
  gsi2sk?: string;
};

export type Recipient = { userId: string; phone: string };

const position = (at: Date, noticeId: string) => `${at.toISOString()}#${noticeId}`;
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
const daysAfter = (iso: string, days: number) => new Date(new Date(iso).getTime() + days * 24 * 3600_000);

/** Writes the notice and its fan-out job together, the job due at once: a notice is never left unsent. */
export async function publishNotice(notice: Notice, now: Date): Promise<FanOutJob> {
  const job: FanOutJob = { noticeId: notice.id, community: notice.community, status: 'pending', sent: 0, createdAt: now.toISOString() };
  await transactWrite(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...noticeKeys.item(notice.id),
              ...notice,
              gsi1pk: noticeKeys.community(notice.community),
              gsi1sk: noticeKeys.communityOrder(notice.endsAt, notice.id),
              ...(notice.endsAt ? { expiresAt: epochSeconds(daysAfter(notice.endsAt, NOTICE_KEEP_DAYS)) } : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...noticeKeys.fanOut(notice.id), ...job, gsi2pk: noticeKeys.fanOutPending, gsi2sk: position(now, notice.id) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
  return { ...job, gsi2sk: position(now, notice.id) };
}

export async function getNotice(id: string): Promise<Notice | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: noticeKeys.item(id) }));
  return Item ? toNotice(Item) : undefined;
}

/**
 * A community's notices that have not ended — active and upcoming — in end-time order: one key condition
 * on the index (end > now), so ended notices are never read, however many a community has had. A
 * community has a handful live at a time; the caller orders and pages them.
 */
export async function listLiveNotices(community: string, now: Date): Promise<Notice[]> {
  const notices: Notice[] = [];
  const items = queryAll({
    TableName: tableName,
    IndexName: 'gsi1',
    // '~' sorts after every notice id: a notice ending exactly now has ended.
    KeyConditionExpression: 'gsi1pk = :list AND gsi1sk > :now',
    ExpressionAttributeValues: { ':list': noticeKeys.community(community), ':now': `${now.toISOString()}#~` },
  });
  for await (const item of items) notices.push(toNotice(item));
  return notices;
}

/** Ends a notice now (an outage repaired sooner), once: undefined when it has ended already or does not exist. */
export async function endNotice(id: string, now: Date, by: string): Promise<Notice | undefined> {
  const at = now.toISOString();
  const ended = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: noticeKeys.item(id),
        UpdateExpression: 'SET endsAt = :at, endedBy = :by, gsi1sk = :order, expiresAt = :expires',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(endsAt) OR endsAt > :at)',
        ExpressionAttributeValues: { ':at': at, ':by': by, ':order': noticeKeys.communityOrder(at, id), ':expires': epochSeconds(daysAfter(at, NOTICE_KEEP_DAYS)) },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return ended && toNotice(ended.Attributes!);
}

export async function getFanOutJob(noticeId: string): Promise<FanOutJob | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: noticeKeys.fanOut(noticeId), ConsistentRead: true }));
  return Item ? toJob(Item) : undefined;
}

/** Unfinished fan-outs that no run holds, oldest first. */
export async function listDueFanOutJobs(now: Date, limit: number): Promise<FanOutJob[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':pending': noticeKeys.fanOutPending, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (Items ?? []).map(toJob);
}

/**
 * Takes the job for this run, or renews this run's hold on it: the lease moves LEASE_MS ahead only if
 * it is still where this run last saw it. Returns the job as now held, or undefined when another run
 * took it (or it finished) meanwhile. `progress` records the page just sent before the lease moves.
 */
export async function leaseFanOutJob(
  job: FanOutJob,
  now: Date,
  progress?: { cursor: Record<string, string>; sent: number },
): Promise<FanOutJob | undefined> {
  const leased = position(new Date(now.getTime() + LEASE_MS), job.noticeId);
  const updated = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: noticeKeys.fanOut(job.noticeId),
        UpdateExpression: progress ? 'SET gsi2sk = :leased, #cursor = :cursor ADD sent :sent' : 'SET gsi2sk = :leased',
        ConditionExpression: 'gsi2pk = :pending AND gsi2sk = :held',
        ExpressionAttributeValues: {
          ':leased': leased,
          ':held': job.gsi2sk,
          ':pending': noticeKeys.fanOutPending,
          ...(progress ? { ':cursor': progress.cursor, ':sent': progress.sent } : {}),
        },
        ...(progress ? { ExpressionAttributeNames: { '#cursor': 'cursor' } } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return updated && toJob(updated.Attributes!);
}

/** When the run holding the job loses it: the moment another run may take the job over. */
export const leaseExpiry = (job: FanOutJob) => new Date(job.gsi2sk!.split('#')[0]!);

/** Hands a held job back, due at `dueAt`, so a later run carries on from the saved cursor. */
export async function releaseFanOutJob(job: FanOutJob, dueAt: Date, sent: number): Promise<void> {
  await updateHeldJob(job, 'SET gsi2sk = :due ADD sent :sent', { ':due': position(dueAt, job.noticeId), ':sent': sent });
}

/** The last page is sent: the job leaves the pending index for good. */
export async function finishFanOutJob(job: FanOutJob, sent: number, now: Date): Promise<void> {
  await updateHeldJob(job, 'SET #status = :done, finishedAt = :now REMOVE gsi2pk, gsi2sk, #cursor ADD sent :sent', {
    ':done': 'done',
    ':now': now.toISOString(),
    ':sent': sent,
  });
}

async function updateHeldJob(job: FanOutJob, update: string, values: Record<string, unknown>): Promise<void> {
  // Both are DynamoDB reserved words; an update names only those it uses.
  const names = Object.fromEntries(Object.entries({ '#status': 'status', '#cursor': 'cursor' }).filter(([name]) => update.includes(name)));
  // Not applied when another run took the job over after this one's lease ran out: it carries on from the saved cursor.
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: noticeKeys.fanOut(job.noticeId),
        UpdateExpression: update,
        ConditionExpression: 'gsi2pk = :pending AND gsi2sk = :held',
        ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
        ExpressionAttributeValues: { ...values, ':pending': noticeKeys.fanOutPending, ':held': job.gsi2sk },
      }),
    ),
  );
}

/** One page of a community's residents, in user-id order, with only what an SMS needs. */
export async function communityResidentsPage(
  community: string,
  limit: number,
  startKey?: Record<string, string>,
): Promise<{ recipients: Recipient[]; nextKey?: Record<string, string> }> {
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :community AND begins_with(gsi1sk, :resident)',
      ExpressionAttributeValues: { ':community': residentKeys.community(community), ':resident': residentKeys.communityPrefix },
      ProjectionExpression: 'userId, phone',
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return {
    recipients: (Items ?? []).map((item) => ({ userId: item.userId as string, phone: item.phone as string })),
    nextKey: LastEvaluatedKey as Record<string, string> | undefined,
  };
}

function toNotice(item: Record<string, unknown>): Notice {
  const { id, community, kind, title, body, startsAt, endsAt, publishedAt, publishedBy } = item as Notice;
  return { id, community, kind, title, body, startsAt, ...(endsAt ? { endsAt } : {}), publishedAt, publishedBy };
}

function toJob(item: Record<string, unknown>): FanOutJob {
  const { noticeId, community, status, cursor, sent, createdAt, finishedAt, gsi2sk } = item as FanOutJob;
  return { noticeId, community, status, sent, createdAt, ...(cursor ? { cursor } : {}), ...(finishedAt ? { finishedAt } : {}), ...(gsi2sk ? { gsi2sk } : {}) };
}
