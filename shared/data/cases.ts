// Cases and their approval tasks. A case keeps its own history; every status change is one conditional
// UpdateItem that appends to it, so a transition can neither be lost nor applied twice. A task is one
// approval step; its Step Functions task token lives only on the task item (never in an answer or a log).
//
// Items
//   case        pk CASE#<caseId>  sk CASE
//               gsi1 OWNER#<residentId> / CASE#<submittedAt>#<caseId>      (a resident's cases, newest first)
//               gsi2 WORKFLOW#PENDING / <submittedAt>                       (only while its review run is not started)
//   sequence    pk COUNTER#CASE#<yyyy-mm-dd>  sk COUNTER                    (the day's case numbers)
//   task        pk TASK#<taskId>  sk TASK
//               gsi1 TASKS#<status>#<role> / <dueDate>#<taskId>             (work queues, earliest due first)
//               A follow-up of a low rating (kind follow-up, <caseId>-F1) sits in the supervisor queue like an
//               approval step but has no token and no workflow: it is written with the rating and closed by a decision.
//               gsi2 TASKS#RESUME / <decidedAt>                             (only while a decision is not yet handed to the workflow)

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRole } from '../domain/catalog.ts';
import type { Case, CaseStatus, CurrentStep, Decision, HistoryEntry, Rating } from '../domain/cases.ts';
import type { FollowUpTask, Task, TaskStatus } from '../domain/tasks.ts';
import { conflict } from '../domain/errors.ts';
import { RATEABLE_STATUSES, ratingRefusal } from '../domain/ratings.ts';
import { db, tableName } from './client.ts';
import { decodeCursor, encodeCursor, type Page } from './pagination.ts';
import type { TransactItem } from './stats.ts';



type StoredTask = Task & { taskToken: string };

const caseKey = (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' });
const taskKey = (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' });
const queue = (status: TaskStatus, role: ApprovalRole) => `TASKS#${status}#${role}`;
const WORKFLOW_PENDING = 'WORKFLOW#PENDING';
const RESUME_PENDING = 'TASKS#RESUME';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as T;
};

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export async function nextCaseSequence(date: string): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: `COUNTER#CASE#${date}`, sk: 'COUNTER' },
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
        ...caseKey(c.id),
        ...c,
        gsi1pk: `OWNER#${c.residentId}`,
        gsi1sk: `CASE#${c.submittedAt}#${c.id}`,
        gsi2pk: WORKFLOW_PENDING,
        gsi2sk: c.submittedAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getCase(id: string): Promise<Case | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: caseKey(id), ConsistentRead: true }));
  return Item ? strip<Case>(Item) : undefined;
}

/** Several cases by id (a page of tasks shows each task's case); at most 100 ids. */
export async function getCases(ids: string[]): Promise<Map<string, Case>> {
  const cases = new Map<string, Case>();
  let keys: Record<string, unknown>[] = [...new Set(ids)].map(caseKey);
  while (keys.length > 0) {
    const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
    for (const item of Responses?.[tableName] ?? []) cases.set(item.id as string, strip<Case>(item));
    keys = (UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
  return cases;
}

export async function listCasesOfResident(residentId: string, limit: number, cursor?: string): Promise<Page<Case>> {
  const partition = { gsi1pk: `OWNER#${residentId}` };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :owner AND begins_with(gsi1sk, :case)',
      ExpressionAttributeValues: { ':owner': partition.gsi1pk, ':case': 'CASE#' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition),
    }),
  );
  return { items: (Items ?? []).map((i) => strip<Case>(i)), nextCursor: encodeCursor(LastEvaluatedKey) };
}

export async function markWorkflowStarted(id: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKey(id),
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
      ExpressionAttributeValues: { ':pending': WORKFLOW_PENDING },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((i) => strip<Case>(i));
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
    values[':pending'] = WORKFLOW_PENDING;
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
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: caseKey(id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<Case>(Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Sets the case's current step without a status change (the next role of the chain takes over). */
export async function setCurrentStep(id: string, step: CurrentStep): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: caseKey(id),
      UpdateExpression: 'SET currentStep = :step',
      ConditionExpression: '#status = :inReview',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':step': step, ':inReview': 'in_review' },
    }),
  );
}

/**
 * Records the waiting step with its fresh task token. A step re-opened after a timeout keeps its task and
 * decision state and only gets the new token. Returns the task as stored.
 */
export async function openTask(task: Omit<Task, 'status' | 'overdue' | 'openedAt'>, taskToken: string, now: string): Promise<Task> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: taskKey(task.id),
      UpdateExpression:
        'SET taskToken = :token, caseId = :caseId, matter = :matter, category = :category, #role = :role, stepIndex = :stepIndex, dueDate = :dueDate, ' +
        'id = :id, #status = if_not_exists(#status, :pending), overdue = if_not_exists(overdue, :false), openedAt = if_not_exists(openedAt, :now), ' +
        'gsi1pk = if_not_exists(gsi1pk, :queue), gsi1sk = if_not_exists(gsi1sk, :order)',
      ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
      ExpressionAttributeValues: {
        ':token': taskToken,
        ':id': task.id,
        ':caseId': task.caseId,
        ':matter': task.matter,
        ':category': task.category,
        ':role': task.role,
        ':stepIndex': task.stepIndex,
        ':dueDate': task.dueDate,
        ':pending': 'pending',
        ':false': false,
        ':now': now,
        ':queue': queue('pending', task.role),
        ':order': `${task.dueDate}#${task.id}`,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return strip<StoredTask>(Attributes!);
}

export async function getTask(id: string): Promise<Task | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: taskKey(id), ConsistentRead: true }));
  if (!Item) return undefined;
  const { taskToken: _token, ...task } = strip<StoredTask>(Item);
  return task;
}

/** The token is read only by the code that resumes the workflow; it never leaves the server. */
export async function getTaskToken(id: string): Promise<string | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: taskKey(id), ConsistentRead: true, ProjectionExpression: 'taskToken' }),
  );
  return Item?.taskToken as string | undefined;
}

export async function markTaskOverdue(id: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: taskKey(id),
      UpdateExpression: 'SET overdue = :true',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':true': true },
    }),
  );
}

export type DecisionRecord = { decision: Decision; comment?: string; missingMaterials?: string[]; decidedBy: string; decidedAt: string };

/**
 * Records a decision exactly once (pending → decided). The task is marked as waiting to be handed to the
 * workflow until markDecisionResumed, so a failed resume is retried, never lost.
 */
export async function decideTask(id: string, d: DecisionRecord): Promise<Task> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKey(id),
        UpdateExpression:
          'SET #status = :decided, decision = :decision, decidedBy = :by, decidedAt = :at, gsi1pk = :queue, gsi1sk = :order, gsi2pk = :resume, gsi2sk = :at' +
          (d.comment !== undefined ? ', #comment = :comment' : '') +
          (d.missingMaterials !== undefined ? ', missingMaterials = :missing' : ''),
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', ...(d.comment !== undefined ? { '#comment': 'comment' } : {}) },
        ExpressionAttributeValues: {
          ':decided': 'decided',
          ':pending': 'pending',
          ':decision': d.decision,
          ':by': d.decidedBy,
          ':at': d.decidedAt,
          ':queue': 'TASKS#decided',
          ':order': d.decidedAt,
          ':resume': RESUME_PENDING,
          ...(d.comment !== undefined ? { ':comment': d.comment } : {}),
          ...(d.missingMaterials !== undefined ? { ':missing': d.missingMaterials } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { taskToken: _token, ...task } = strip<StoredTask>(Attributes!);
    return task;
  } catch (error) {
    if (isConditionFailure(error)) throw conflict('already_decided', 'This task has already been decided.');
    throw error;
  }
}

export async function markDecisionResumed(id: string): Promise<void> {
  await db.send(new UpdateCommand({ TableName: tableName, Key: taskKey(id), UpdateExpression: 'REMOVE gsi2pk, gsi2sk' }));
}

/** Decided tasks whose decision has not reached the workflow yet, for the reconciler. */
export async function listDecisionsAwaitingResume(limit: number): Promise<Task[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :resume',
      ExpressionAttributeValues: { ':resume': RESUME_PENDING },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((i) => {
    const { taskToken: _token, ...task } = strip<StoredTask>(i);
    return task;
  });
}

/**
 * A role's pending work queue, earliest due first. Staff see only their categories: the queue is one
 * partition per role, filtered by category (a community's queue is small; see README "Data").
 */
export async function listPendingTasks(role: ApprovalRole, categories: string[] | 'all', limit: number, cursor?: string): Promise<Page<Task>> {
  const partition = { gsi1pk: queue('pending', role) };
  const filter = categories === 'all' ? undefined : categories;
  if (filter && filter.length === 0) return { items: [], nextCursor: null };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :queue',
      ...(filter ? { FilterExpression: `category IN (${filter.map((_, i) => `:c${i}`).join(', ')})` } : {}),
      ExpressionAttributeValues: { ':queue': partition.gsi1pk, ...Object.fromEntries((filter ?? []).map((c, i) => [`:c${i}`, c])) },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition),
    }),
  );
  return {
    items: (Items ?? []).map((i) => {
      const { taskToken: _token, ...task } = strip<StoredTask>(i);
      return task;
    }),
    nextCursor: encodeCursor(LastEvaluatedKey),
  };
}


/**
 * Stores a resident's rating of a decided case, once, in ONE transaction with the follow-up task a low
 * score opens and `alsoWrite` (the rating's statistics), so none of them can exist without the others.
 * 409 already_rated if the case has a rating, 409 invalid_state if it is not approved or rejected.
 */
export async function rateCase(id: string, rating: Rating, followUp: FollowUpTask | undefined, alsoWrite: TransactItem[]): Promise<void> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: caseKey(id),
        UpdateExpression: 'SET rating = :rating',
        ConditionExpression: `#status IN (${RATEABLE_STATUSES.map((_, i) => `:s${i}`).join(', ')}) AND attribute_not_exists(rating)`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':rating': rating, ...Object.fromEntries(RATEABLE_STATUSES.map((s, i) => [`:s${i}`, s])) },
      },
    },
    ...(followUp
      ? [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...taskKey(followUp.id),
                ...followUp,
                status: 'pending',
                overdue: false,
                gsi1pk: queue('pending', followUp.role),
                gsi1sk: `${followUp.dueDate}#${followUp.id}`,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
    ...alsoWrite,
  ];
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    // The case's condition holds two rules; the case as it is now says which one failed.
    const now = await getCase(id);
    const refusal = now && ratingRefusal(now.status, now.rating !== undefined);
    if (refusal === 'already_rated') throw conflict('already_rated', 'This case has already been rated.');
    if (refusal === 'invalid_state') throw conflict('invalid_state', `Only an approved or rejected case can be rated; this one is ${now!.status}.`);
    throw error;
  }
}

/** Closes a follow-up task (pending → decided, approve) once; there is no workflow to resume. */
export async function closeFollowUpTask(id: string, close: { comment: string; decidedBy: string; decidedAt: string }): Promise<Task> {
  try {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKey(id),
        UpdateExpression: 'SET #status = :decided, decision = :approve, #comment = :comment, decidedBy = :by, decidedAt = :at, gsi1pk = :queue, gsi1sk = :at',
        ConditionExpression: '#status = :pending AND kind = :followUp',
        ExpressionAttributeNames: { '#status': 'status', '#comment': 'comment' },
        ExpressionAttributeValues: {
          ':decided': 'decided',
          ':pending': 'pending',
          ':approve': 'approve',
          ':followUp': 'follow-up',
          ':comment': close.comment,
          ':by': close.decidedBy,
          ':at': close.decidedAt,
          ':queue': 'TASKS#decided',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<Task>(Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) throw conflict('already_decided', 'This follow-up has already been closed.');
    throw error;
  }
}
