// Cases. A case keeps its own history; every status change is one conditional UpdateItem that appends to
// it, so a transition can neither be lost nor applied twice. Its approval tasks are in tasks.ts, its
// rating in ratings.ts.
//
// Items (keys.ts builds every key)
//   case        pk CASE#<caseId>  sk CASE
//               gsi1 OWNER#<residentId> / CASE#<submittedAt>#<caseId>      (a resident's cases, newest first)
//               gsi2 WORKFLOW#PENDING / <submittedAt>                       (only while its review run is not started)
//               gsi2 WORKFLOW#STOP / <withdrawnAt>                          (only while a withdrawn case's run is not stopped)
//   sequence    pk COUNTER#CASE#<yyyy-mm-dd>  sk COUNTER                    (the day's case numbers, city-wide)

import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Case, CaseStatus, CurrentStep, HistoryEntry } from '../domain/cases.ts';
import { batchGet, db, tableName } from './client.ts';
import { applied, cancellationCodes, transactWrite, whenApplied, type TransactItem } from './conditional-writes.ts';
import { caseKeys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, type ListQuery, type Page } from './pagination.ts';

export async function nextCaseSequence(date: string): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKeys.sequence(date),
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes!.value as number;
}

/**
 * Stores a new case, marked as waiting for its review run until markWorkflowStarted. `alsoWrite` (its
 * uploads being attached) is written in the same transaction: all of it or nothing; a failed condition there
 * is thrown as DynamoDB's TransactionCanceledException, its item's reason at its index + 1.
 */
export async function createCase(c: Case, alsoWrite: TransactItem[] = []): Promise<void> {
  const put = {
    TableName: tableName,
    Item: {
      ...caseKeys.item(c.id),
      ...c,
      gsi1pk: caseKeys.owner(c.residentId),
      gsi1sk: caseKeys.ownerOrder(c.submittedAt, c.id),
      gsi2pk: caseKeys.awaitingWorkflow,
      gsi2sk: c.submittedAt,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  if (alsoWrite.length === 0) await db.send(new PutCommand(put));
  else await transactWrite(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...alsoWrite] }));
}

export async function getCase(id: string): Promise<Case | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: caseKeys.item(id), ConsistentRead: true }));
  return Item ? withoutKeys<Case>(Item) : undefined;
}

/** Several cases by id (a page of tasks shows each task's case); at most 100 ids. */
export async function getCases(ids: string[]): Promise<Map<string, Case>> {
  const items = await batchGet([...new Set(ids)].map((id) => caseKeys.item(id)));
  return new Map(items.map((item) => [item.id as string, withoutKeys<Case>(item)]));
}

export async function listCasesOfResident(residentId: string, limit: number, cursor?: string): Promise<Page<Case>> {
  const list: ListQuery = { index: 'gsi1', partition: caseKeys.owner(residentId), sort: { beginsWith: caseKeys.ownerPrefix } };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map((i) => withoutKeys<Case>(i)), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** The run is started: the case leaves the reconciler's list (unless a withdrawal has since asked to stop it). */
export const markWorkflowStarted = (id: string) => removeMarker(id, caseKeys.awaitingWorkflow);

/** The withdrawn case's run is stopped: it leaves the reconciler's list. */
export const markWorkflowStopped = (id: string) => removeMarker(id, caseKeys.awaitingStop);

async function removeMarker(id: string, marker: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: caseKeys.item(id),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'gsi2pk = :marker',
        ExpressionAttributeValues: { ':marker': marker },
      }),
    ),
  );
}

/** Cases whose review run was never confirmed started (oldest first), for the reconciler. */
export const listCasesAwaitingWorkflow = (limit: number) => casesMarked(caseKeys.awaitingWorkflow, limit);

/** Withdrawn cases whose review run was never confirmed stopped (oldest first), for the reconciler. */
export const listCasesAwaitingStop = (limit: number) => casesMarked(caseKeys.awaitingStop, limit);

async function casesMarked(marker: string, limit: number): Promise<Case[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :marker',
      ExpressionAttributeValues: { ':marker': marker },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((i) => withoutKeys<Case>(i));
}


export type Transition = {
  /** Statuses the case must be in; anything else means the transition already happened or is invalid. */
  from: CaseStatus[];
  to: CaseStatus;
  history: Omit<HistoryEntry, 'status'>;
  /** Further attributes to set (null removes nothing: it stores null, as the API shows it). */
  set?: Partial<Omit<Case, 'id' | 'status' | 'history'>>;
  /** Extra guard, e.g. the round the transition belongs to. */
  expect?: Partial<Pick<Case, 'round'>> & { currentTaskId?: string };
  /** Mark the case as waiting for a new review run (a resubmission). */
  awaitWorkflow?: boolean;
  /** Mark the case as waiting for its review run to be stopped (a withdrawal); replaces a pending start. */
  awaitStop?: boolean;
};

/**
 * Moves a case from one of `from` to `to`, appending the history entry, in one conditional write.
 * Returns the updated case, or undefined when the guard did not hold (already moved on: callers decide).
 * `alsoWrite` is written in the same transaction; a failed condition of one of its items is thrown as
 * DynamoDB's TransactionCanceledException, its reason at its index + 1.
 */
export async function transitionCase(id: string, t: Transition, alsoWrite: TransactItem[] = []): Promise<Case | undefined> {
  const update = transitionUpdate(id, t);
  if (alsoWrite.length > 0) {
    try {
      await transactWrite(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...alsoWrite] }));
    } catch (error) {
      if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return undefined;
      throw error;
    }
    return getCase(id);
  }
  const updated = await whenApplied(db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' })));
  return updated && withoutKeys<Case>(updated.Attributes!);
}

function transitionUpdate(id: string, t: Transition) {
  const names: Record<string, string> = { '#status': 'status', '#history': 'history' };
  const values: Record<string, unknown> = {
    ':to': t.to,
    ':entry': [{ ...t.history, status: t.to }],
    ...Object.fromEntries(t.from.map((s, i) => [`:from${i}`, s])),
  };
  const sets = ['#status = :to', '#history = list_append(#history, :entry)'];
  for (const [i, [name, value]] of Object.entries(t.set ?? {}).entries()) {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  }
  if (t.awaitWorkflow || t.awaitStop) {
    sets.push('gsi2pk = :marker', 'gsi2sk = :at');
    values[':marker'] = t.awaitStop ? caseKeys.awaitingStop : caseKeys.awaitingWorkflow;
    values[':at'] = t.history.at;
  }
  const conditions = [`#status IN (${t.from.map((_, i) => `:from${i}`).join(', ')})`];
  if (t.expect?.round !== undefined) {
    names['#round'] = 'round';
    values[':round'] = t.expect.round;
    conditions.push('#round = :round');
  }
  if (t.expect?.currentTaskId !== undefined) {
    values[':taskId'] = t.expect.currentTaskId;
    conditions.push('currentStep.taskId = :taskId');
  }
  return {
    TableName: tableName,
    Key: caseKeys.item(id),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Appends an entry to a case's history without changing its status (a staff member looked at a file). */
export async function appendHistory(id: string, entry: HistoryEntry): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKeys.item(id),
      UpdateExpression: 'SET #history = list_append(#history, :entry)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#history': 'history' },
      ExpressionAttributeValues: { ':entry': [entry] },
    }),
  );
}

/**
 * Records once that the resident collected an approved result at the window (a matter that needs a visit),
 * with a history entry. Undefined when there is nothing awaiting collection (collected already, not approved).
 */
export async function markCollected(id: string, entry: Omit<HistoryEntry, 'status'>): Promise<Case | undefined> {
  const updated = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: caseKeys.item(id),
        UpdateExpression: 'SET #collection = :collected, #history = list_append(#history, :entry)',
        ConditionExpression: '#status = :approved AND #collection.#status = :awaiting',
        ExpressionAttributeNames: { '#status': 'status', '#history': 'history', '#collection': 'collection' },
        ExpressionAttributeValues: {
          ':collected': { status: 'collected', at: entry.at, by: entry.actor },
          ':entry': [{ ...entry, status: 'approved' }],
          ':approved': 'approved',
          ':awaiting': 'awaiting',
        },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return updated && withoutKeys<Case>(updated.Attributes!);
}

/**
 * Sets the case's current step without a status change (the next role of the chain takes over). False when
 * the case is no longer in review (withdrawn meanwhile).
 */
export async function setCurrentStep(id: string, step: CurrentStep): Promise<boolean> {
  return applied(db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKeys.item(id),
      UpdateExpression: 'SET currentStep = :step',
      ConditionExpression: '#status = :inReview',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':step': step, ':inReview': 'in_review' },
    }),
  ));
}
