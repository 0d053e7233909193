// Job postings, applications and the centres' registered job seekers. One application per resident and posting
// is a claim item written in the same transaction as the application, on condition that it does not exist and
// that the posting is still open: of any number of simultaneous applications exactly one is written. The CV
// upload is bound to the application in that transaction too, and the statistics counted with it.
//
// Items (keys.ts builds every key)
//   posting      pk JOB#<id>            sk JOB
//                gsi1 JOBS#<centre>#<status> / <closesOn>#<id>      (a centre's open, or closed, postings)
//                gsi2 JOBS#OPEN / <closesOn>#<id>                    (while open: what the closing job reads)
//   claim        pk JOB#<postingId>     sk APPLICANT#<residentId>   { applicationId }
//   application  pk APPLICATION#<id>    sk APPLICATION
//                gsi1 OWNER#<residentId> / APPLICATION#<appliedAt>#<id>   (a resident's applications)
//                gsi2 JOB-APPLICATIONS#<postingId> / <appliedAt>#<id>     (a posting's applicants)
//   job seeker   pk JOBSEEKERS#<centre> sk RESIDENT#<residentId>   { residentId, caseId, registeredAt }
//   fan-out job  pk JOB#<id>            sk FANOUT                   (telling the job seekers: shared/data/fan-outs.ts)

import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus, JobApplication, JobPosting, StaffStatus } from '../domain/jobs.ts';
import type { StatsEvent } from '../domain/stats.ts';
import { db, tableName } from './client.ts';
import { cancellationCodes, transactWrite, whenApplied, type TransactItem } from './conditional-writes.ts';
import { newFanOutJob, type FanOutJob } from './fan-outs.ts';
import { caseKeys, jobKeys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, queryMerged, queryPage, type ListQuery, type Page } from './pagination.ts';
import { statsEventWrites } from './stats.ts';

const postingIndexes = (p: JobPosting) => ({
  gsi1pk: jobKeys.ofCentre(p.centre, p.status),
  gsi1sk: jobKeys.centreOrder(p.closesOn, p.id),
  ...(p.status === 'open' ? { gsi2pk: jobKeys.open, gsi2sk: jobKeys.centreOrder(p.closesOn, p.id) } : {}),
});

/** Writes the posting and the job that tells the centre's job seekers of it together: none is left untold. */
export async function createPosting(p: JobPosting, now: Date): Promise<FanOutJob<{ postingId: string; centre: string }>> {
  const fanOut = newFanOutJob({ postingId: p.id, centre: p.centre }, now);
  await transactWrite(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: tableName, Item: { ...jobKeys.posting(p.id), ...p, ...postingIndexes(p) }, ConditionExpression: 'attribute_not_exists(pk)' } }, fanOut.put],
    }),
  );
  return fanOut.job;
}

export async function getPosting(id: string): Promise<JobPosting | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: jobKeys.posting(id), ConsistentRead: true }));
  return Item ? withoutKeys<JobPosting>(Item) : undefined;
}

/** One page of the open postings of some centres (each one exact Query), the soonest closing first. */
export async function listOpenPostings(centres: string[], limit: number, cursor?: string): Promise<Page<JobPosting>> {
  const page = await queryMerged({
    indexName: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    partitions: centres.map((centre) => jobKeys.ofCentre(centre, 'open')),
    limit,
    cursor,
  });
  return { items: page.items.map((i) => withoutKeys<JobPosting>(i)), nextCursor: page.nextCursor };
}

/** Open postings whose closing day is before `today`, the earliest first. */
export async function postingsClosedBefore(today: string, limit: number): Promise<JobPosting[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :open AND gsi2sk < :today',
      ExpressionAttributeValues: { ':open': jobKeys.open, ':today': today },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((i) => withoutKeys<JobPosting>(i));
}

/** Closes an open posting once; false when it was closed already. */
export async function closePosting(p: JobPosting, at: string): Promise<boolean> {
  const closed = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: jobKeys.posting(p.id),
        UpdateExpression: 'SET #status = :closed, closedAt = :at, gsi1pk = :list REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': at, ':list': jobKeys.ofCentre(p.centre, 'closed') },
      }),
    ),
  );
  return closed !== undefined;
}

export type ApplyOutcome = 'applied' | 'already_applied' | 'closed' | 'cv_taken';

/**
 * Writes the application, its claim, the CV's binding and the counted statistics in one transaction, on
 * condition that the resident has no application to this posting, the posting takes applications and the CV
 * upload is the resident's and unattached.
 */
export async function applyToPosting(a: JobApplication, today: string, bindCv: TransactItem | undefined, counted: StatsEvent): Promise<ApplyOutcome> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: { ...jobKeys.applicant(a.postingId, a.residentId), applicationId: a.id, appliedAt: a.appliedAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      ConditionCheck: {
        TableName: tableName,
        Key: jobKeys.posting(a.postingId),
        ConditionExpression: '#status = :open AND closesOn >= :today',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':today': today },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...jobKeys.application(a.id),
          ...a,
          gsi1pk: caseKeys.owner(a.residentId),
          gsi1sk: jobKeys.ownerOrder(a.appliedAt, a.id),
          gsi2pk: jobKeys.ofPosting(a.postingId),
          gsi2sk: jobKeys.postingOrder(a.appliedAt, a.id),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...statsEventWrites(counted),
    ...(bindCv ? [bindCv] : []),
  ];
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
    return 'applied';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes[0] === 'ConditionalCheckFailed') return 'already_applied';
    if (codes[1] === 'ConditionalCheckFailed') return 'closed';
    if (bindCv && codes.at(-1) === 'ConditionalCheckFailed') return 'cv_taken';
    throw error;
  }
}

export async function getApplication(id: string): Promise<JobApplication | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: jobKeys.application(id), ConsistentRead: true }));
  return Item ? withoutKeys<JobApplication>(Item) : undefined;
}

async function listApplications(list: ListQuery, forward: boolean, limit: number, cursor?: string): Promise<Page<JobApplication>> {
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), ScanIndexForward: forward, Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map((i) => withoutKeys<JobApplication>(i)), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** A resident's applications, newest first. */
export const listApplicationsOfResident = (residentId: string, limit: number, cursor?: string) =>
  listApplications({ index: 'gsi1', partition: caseKeys.owner(residentId), sort: { beginsWith: jobKeys.ownerPrefix } }, false, limit, cursor);

/** A posting's applications in the order they came. */
export const listApplicationsOfPosting = (postingId: string, limit: number, cursor?: string) =>
  listApplications({ index: 'gsi2', partition: jobKeys.ofPosting(postingId) }, true, limit, cursor);

/**
 * Moves an application from `from` to `to` once, with its history entry and, for a hire, the statistics;
 * undefined when its status is no longer `from` (another clerk moved it meanwhile).
 */
export async function moveApplication(
  a: JobApplication,
  to: StaffStatus,
  entry: { at: string; actor: string },
  counted: StatsEvent | undefined,
): Promise<JobApplication | undefined> {
  const from: ApplicationStatus = a.status;
  const update: TransactItem = {
    Update: {
      TableName: tableName,
      Key: jobKeys.application(a.id),
      UpdateExpression: 'SET #status = :to, history = list_append(history, :entry)',
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':to': to, ':from': from, ':entry': [{ ...entry, status: to }] },
    },
  };
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: [update, ...(counted ? statsEventWrites(counted) : [])] }));
  } catch (error) {
    if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return undefined;
    throw error;
  }
  return { ...a, status: to, history: [...a.history, { ...entry, status: to }] };
}

/** The transaction item that registers a resident as a job seeker of a centre (an approved 失业登记). */
export function registerJobSeeker(centre: string, residentId: string, caseId: string, at: string): TransactItem {
  return { Put: { TableName: tableName, Item: { ...jobKeys.jobSeeker(centre, residentId), residentId, caseId, registeredAt: at } } };
}

/** One page of a centre's registered job seekers, in resident order. */
export async function jobSeekersPage(centre: string, limit: number, startKey?: Record<string, string>): Promise<{ residentIds: string[]; nextKey?: Record<string, string> }> {
  const { items, nextKey } = await queryPage({ TableName: tableName, ...keyCondition({ partition: jobKeys.jobSeekers(centre) }), ProjectionExpression: 'residentId' }, limit, startKey);
  return { residentIds: items.map((i) => i.residentId as string), ...(nextKey ? { nextKey } : {}) };
}
