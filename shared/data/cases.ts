// Cases. A case keeps its own history; every status change is one conditional UpdateItem that appends to
// it, so a transition can neither be lost nor applied twice. Its approval tasks are in tasks.ts, its
// rating in ratings.ts.
//
// Items (keys.ts builds every key)
//   case        pk CASE#<caseId>  sk CASE
//               gsi1 OWNER#<residentId> / CASE#<submittedAt>#<caseId>      (a resident's cases, newest first)
//               gsi2 WORKFLOW#PENDING / <submittedAt>                       (only while its review run is not started)
//   sequence    pk COUNTER#CASE#<yyyy-mm-dd>  sk COUNTER                    (the day's case numbers, city-wide)

import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Case, CaseStatus, CurrentStep, HistoryEntry } from '../domain/cases.ts';
import { db, tableName } from './client.ts';
import { whenApplied } from './conditional-writes.ts';
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

/** Stores a new case, marked as waiting for its review run until markWorkflowStarted. */
export async function createCase(c: Case): Promise<void> {
  await db.send(
    new PutCommand({
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
    }),
  );
}

export async function getCase(id: string): Promise<Case | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: caseKeys.item(id), ConsistentRead: true }));
  return Item ? withoutKeys<Case>(Item) : undefined;
}

/** Several cases by id (a page of tasks shows each task's case); at most 100 ids. */
export async function getCases(ids: string[]): Promise<Map<string, Case>> {
  const cases = new Map<string, Case>();
  let keys: Record<string, unknown>[] = [...new Set(ids)].map((id) => caseKeys.item(id));
  while (keys.length > 0) {
    const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
    for (const item of Responses?.[tableName] ?? []) cases.set(item.id as string, withoutKeys<Case>(item));
    keys = (UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
  return cases;
}

export async function listCasesOfResident(residentId: string, limit: number, cursor?: string): Promise<Page<Case>> {
  const list: ListQuery = { index: 'gsi1', partition: caseKeys.owner(residentId), sort: { beginsWith: caseKeys.ownerPrefix } };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map((i) => withoutKeys<Case>(i)), nextCursor: encodeCursor(LastEvaluatedKey) };
}

export async function markWorkflowStarted(id: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKeys.item(id),
      UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}

/** Cases whose review run was never confirmed started (oldest first), for the reconciler. */
export async function listCasesAwaitingWorkflow(limit: number): Promise<Case[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pending',
      ExpressionAttributeValues: { ':pending': caseKeys.awaitingWorkflow },
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
};

/**
 * Moves a case from one of `from` to `to`, appending the history entry, in one conditional write.
 * Returns the updated case, or undefined when the guard did not hold (already moved on: callers decide).
 */
export async function transitionCase(id: string, t: Transition): Promise<Case | undefined> {
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
  if (t.awaitWorkflow) {
    sets.push('gsi2pk = :pending', 'gsi2sk = :at');
    values[':pending'] = caseKeys.awaitingWorkflow;
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
  const updated = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: caseKeys.item(id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return updated && withoutKeys<Case>(updated.Attributes!);
}

/** Sets the case's current step without a status change (the next role of the chain takes over). */
export async function setCurrentStep(id: string, step: CurrentStep): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKeys.item(id),
      UpdateExpression: 'SET currentStep = :step',
      ConditionExpression: '#status = :inReview',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':step': step, ':inReview': 'in_review' },
    }),
  );
}
