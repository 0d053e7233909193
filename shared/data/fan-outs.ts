// Fan-out jobs: a message to many residents, sent a page at a time and resumably. A notice goes to every
// resident of its community (SMS, or the inbox as each chose); a job posting to its centre's registered job
// seekers (inbox). The job is written with what it tells of, in the same transaction, so nothing is published
// untold.
//
//   notice's job    pk NOTICE#<id>  sk FANOUT   { noticeId, community, cursor, sent, status }
//   posting's job   pk JOB#<id>     sk FANOUT   { postingId, centre, cursor, sent, status }
//                   gsi2 FANOUT#PENDING / <nextRunAt>#<id>      (sparse: only while recipients remain)
//
// The job keeps the page cursor of its recipients on its own item, so a run that stops (time budget, crash,
// messages that could not be claimed) is resumed by the next one where it left off. Only the run holding the
// job's lease (its gsi2sk, pushed LEASE_MS ahead with a conditional write) may move the cursor. Each
// resident's message is a record of its own in the resident's partition (shared/data/messages.ts), claimed
// with a conditional put before it is sent, so a page read twice tells nobody a second time.

import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { applied, whenApplied, type TransactItem } from './conditional-writes.ts';
import { fanOutKeys } from './keys.ts';

/** How long a run owns a job without renewing: far longer than one page of recipients takes. */
export const LEASE_MS = 2 * 60_000;

/** What a fan-out tells of, and so to whom. */
export type FanOutSubject = { noticeId: string; community: string } | { postingId: string; centre: string };

export type FanOutJob<Subject extends FanOutSubject = FanOutSubject> = Subject & {
  status: 'pending' | 'done';
  /** The recipients' LastEvaluatedKey after the last page fully sent; absent before the first. */
  cursor?: Record<string, string>;
  /** Messages handed over, for operators; a run that lost its lease mid-page does not add that page's count. */
  sent: number;
  createdAt: string;
  finishedAt?: string;
  /** The lease position on the pending index; the run that wrote it owns the job until it passes. */
  gsi2sk?: string;
};

const subjectId = (subject: FanOutSubject) => ('noticeId' in subject ? subject.noticeId : subject.postingId);
/** What a job tells of, by id alone: for its key, and for log lines. */
export const subjectOf = (job: FanOutSubject): { noticeId: string } | { postingId: string } => ('noticeId' in job ? { noticeId: job.noticeId } : { postingId: job.postingId });
const keyOf = (subject: FanOutSubject) => fanOutKeys.job(subjectOf(subject));
const position = (at: Date, subject: FanOutSubject) => `${at.toISOString()}#${subjectId(subject)}`;

/** The transaction item of a new job, due at once, to be written with its notice or posting. */
export function newFanOutJob<Subject extends FanOutSubject>(subject: Subject, now: Date): { job: FanOutJob<Subject>; put: TransactItem } {
  const job: FanOutJob<Subject> = { ...subject, status: 'pending', sent: 0, createdAt: now.toISOString(), gsi2sk: position(now, subject) };
  return {
    job,
    put: { Put: { TableName: tableName, Item: { ...keyOf(subject), ...job, gsi2pk: fanOutKeys.pending }, ConditionExpression: 'attribute_not_exists(pk)' } },
  };
}

export async function getFanOutJob(of: { noticeId: string } | { postingId: string }): Promise<FanOutJob | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: fanOutKeys.job(of), ConsistentRead: true }));
  return Item ? toJob(Item) : undefined;
}

/** Unfinished fan-outs that no run holds, oldest first. */
export async function listDueFanOutJobs(now: Date, limit: number): Promise<FanOutJob[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':pending': fanOutKeys.pending, ':now': `${now.toISOString()}#~` },
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
  const leased = position(new Date(now.getTime() + LEASE_MS), job);
  const updated = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(job),
        UpdateExpression: progress ? 'SET gsi2sk = :leased, #cursor = :cursor ADD sent :sent' : 'SET gsi2sk = :leased',
        ConditionExpression: 'gsi2pk = :pending AND gsi2sk = :held',
        ExpressionAttributeValues: {
          ':leased': leased,
          ':held': job.gsi2sk,
          ':pending': fanOutKeys.pending,
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
  await updateHeldJob(job, 'SET gsi2sk = :due ADD sent :sent', { ':due': position(dueAt, job), ':sent': sent });
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
        Key: keyOf(job),
        UpdateExpression: update,
        ConditionExpression: 'gsi2pk = :pending AND gsi2sk = :held',
        ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
        ExpressionAttributeValues: { ...values, ':pending': fanOutKeys.pending, ':held': job.gsi2sk },
      }),
    ),
  );
}

function toJob(item: Record<string, unknown>): FanOutJob {
  const { status, cursor, sent, createdAt, finishedAt, gsi2sk } = item as FanOutJob;
  const subject: FanOutSubject =
    typeof item.postingId === 'string' ? { postingId: item.postingId, centre: item.centre as string } : { noticeId: item.noticeId as string, community: item.community as string };
  return { ...subject, status, sent, createdAt, ...(cursor ? { cursor } : {}), ...(finishedAt ? { finishedAt } : {}), ...(gsi2sk ? { gsi2sk } : {}) };
}
