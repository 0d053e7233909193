// Approval tasks: one waiting step of a case's approval chain, and the supervisors' follow-up of a low rating.
// A step's Step Functions task token lives only on its item (never in an answer or a log). A pending task
// sits in the work queue of its centre, role and category; deciding it takes it out of every queue.
//
// Items (keys.ts builds every key)
//   task   pk TASK#<taskId>  sk TASK
//          gsi1 TASKS#pending#<centre>#<role>#<category> / <dueDate>#<taskId>   (only while pending)
//          gsi2 TASKS#RESUME / <decidedAt>           (only while a decision is not yet handed to the workflow)
//   A withdrawn case's steps leave every queue: a pending one becomes `withdrawn`, a decided one no longer
//   waits to be handed to its (stopped) workflow.
//   A follow-up (kind follow-up, <caseId>-F1) sits in the supervisor queue like an approval step but has no
//   token and no workflow: it is written with the rating (ratings.ts) and closed by a decision.

import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { knownCategoryCodes, type ApprovalRole } from '../domain/catalog.ts';
import type { Decision } from '../domain/cases.ts';
import { conflict } from '../domain/errors.ts';
import type { Task } from '../domain/tasks.ts';
import { db, tableName } from './client.ts';
import { applied, whenApplied } from './conditional-writes.ts';
import { taskKeys, withoutKeys } from './keys.ts';
import { queryMerged, type Page } from './pagination.ts';

type StoredTask = Task & { taskToken?: string };

const toTask = (item: Record<string, unknown>): Task => {
  const { taskToken: _token, ...task } = withoutKeys<StoredTask>(item);
  return task;
};

/**
 * Records the waiting step with its fresh task token. A step re-opened after a timeout keeps its task and
 * decision state and only gets the new token; a decided step does not go back into the queue.
 * Returns the task as stored.
 */
export async function openTask(task: Omit<Task, 'status' | 'overdue' | 'openedAt'>, taskToken: string, now: string): Promise<Task> {
  const fields =
    'SET taskToken = :token, caseId = :caseId, centre = :centre, matter = :matter, category = :category, #role = :role, stepIndex = :stepIndex, dueDate = :dueDate, ' +
    'id = :id, #status = if_not_exists(#status, :pending), overdue = if_not_exists(overdue, :false), openedAt = if_not_exists(openedAt, :now)';
  const values = {
    ':token': taskToken,
    ':id': task.id,
    ':caseId': task.caseId,
    ':centre': task.centre,
    ':matter': task.matter,
    ':category': task.category,
    ':role': task.role,
    ':stepIndex': task.stepIndex,
    ':dueDate': task.dueDate,
    ':pending': 'pending',
    ':false': false,
    ':now': now,
  };
  const update = (expression: string, extra: Record<string, unknown>, condition?: string) =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKeys.item(task.id),
        UpdateExpression: expression,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
        ExpressionAttributeValues: { ...values, ...extra },
        ReturnValues: 'ALL_NEW',
      }),
    );
  const queued = await whenApplied(
    update(
      `${fields}, gsi1pk = :queue, gsi1sk = :order`,
      { ':queue': taskKeys.queue(task.centre, task.role, task.category), ':order': taskKeys.queueOrder(task.dueDate, task.id) },
      'attribute_not_exists(pk) OR #status = :pending',
    ),
  );
  const { Attributes } = queued ?? (await update(fields, {}));
  return toTask(Attributes!);
}

export async function getTask(id: string): Promise<Task | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: taskKeys.item(id), ConsistentRead: true }));
  return Item ? toTask(Item) : undefined;
}

/** BatchGetItem reads at most 100 keys a call. */
const BATCH_GET_KEYS = 100;

/** The tasks of these ids that exist, read consistently (a decision a moment ago counts), in any order. */
export async function getTasks(ids: string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < ids.length; i += BATCH_GET_KEYS) {
    let keys: Record<string, unknown>[] = ids.slice(i, i + BATCH_GET_KEYS).map((id) => taskKeys.item(id));
    while (keys.length > 0) {
      const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
      tasks.push(...(Responses?.[tableName] ?? []).map(toTask));
      keys = (UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return tasks;
}

/** The token is read only by the code that resumes the workflow; it never leaves the server. */
export async function getTaskToken(id: string): Promise<string | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: taskKeys.item(id), ConsistentRead: true, ProjectionExpression: 'taskToken' }),
  );
  return Item?.taskToken as string | undefined;
}

export async function markTaskOverdue(id: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: taskKeys.item(id),
      UpdateExpression: 'SET overdue = :true',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':true': true },
    }),
  );
}

export type DecisionRecord = { decision: Decision; comment?: string; missingMaterials?: string[]; decidedBy: string; decidedByName: string; decidedAt: string };

/**
 * Records a decision exactly once (pending → decided) and takes the task out of its queue. The task is
 * marked as waiting to be handed to the workflow until markDecisionResumed, so a failed resume is retried,
 * never lost. 409 already_decided otherwise.
 */
export async function decideTask(id: string, d: DecisionRecord): Promise<Task> {
  const decided = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKeys.item(id),
        UpdateExpression:
          'SET #status = :decided, decision = :decision, decidedBy = :by, decidedByName = :byName, decidedAt = :at, gsi2pk = :resume, gsi2sk = :at' +
          (d.comment !== undefined ? ', #comment = :comment' : '') +
          (d.missingMaterials !== undefined ? ', missingMaterials = :missing' : '') +
          ' REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', ...(d.comment !== undefined ? { '#comment': 'comment' } : {}) },
        ExpressionAttributeValues: {
          ':decided': 'decided',
          ':pending': 'pending',
          ':decision': d.decision,
          ':by': d.decidedBy,
          ':byName': d.decidedByName,
          ':at': d.decidedAt,
          ':resume': taskKeys.awaitingResume,
          ...(d.comment !== undefined ? { ':comment': d.comment } : {}),
          ...(d.missingMaterials !== undefined ? { ':missing': d.missingMaterials } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  if (!decided) throw conflict('already_decided', 'This task has already been decided.');
  return toTask(decided.Attributes!);
}

/** Takes a step of a withdrawn case out of every queue (see the module header); a missing step is left alone. */
export async function withdrawTask(id: string, at: string): Promise<void> {
  const withdrawn = await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKeys.item(id),
        UpdateExpression: 'SET #status = :withdrawn, withdrawnAt = :at REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':pending': 'pending', ':at': at },
      }),
    ),
  );
  if (withdrawn) return;
  await applied(
    db.send(
      new UpdateCommand({ TableName: tableName, Key: taskKeys.item(id), UpdateExpression: 'REMOVE gsi2pk, gsi2sk', ConditionExpression: 'attribute_exists(pk)' }),
    ),
  );
}

export async function markDecisionResumed(id: string): Promise<void> {
  await db.send(new UpdateCommand({ TableName: tableName, Key: taskKeys.item(id), UpdateExpression: 'REMOVE gsi2pk, gsi2sk' }));
}

/** Decided tasks whose decision has not reached the workflow yet, for the reconciler. */
export async function listDecisionsAwaitingResume(limit: number): Promise<Task[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :resume',
      ExpressionAttributeValues: { ':resume': taskKeys.awaitingResume },
      Limit: limit,
    }),
  );
  return (Items ?? []).map(toTask);
}

/**
 * The pending work of a centre's role in the given categories, earliest due first: one exact Query per
 * category queue, merged, so a page is full while any of them has more. Only the catalog's categories are
 * read, each once: a token claiming a hundred categories reads at most the six queues that exist.
 */
export async function listPendingTasks(centre: string, role: ApprovalRole, categories: readonly string[], limit: number, cursor?: string): Promise<Page<Task>> {
  const queues = knownCategoryCodes(categories).sort();
  if (queues.length === 0) return { items: [], nextCursor: null };
  const page = await queryMerged({
    indexName: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    partitions: queues.map((category) => taskKeys.queue(centre, role, category)),
    limit,
    cursor,
  });
  return { items: page.items.map(toTask), nextCursor: page.nextCursor };
}

/** Closes a follow-up task (pending → decided, approve) once; there is no workflow to resume. */
export async function closeFollowUpTask(id: string, close: { comment: string; decidedBy: string; decidedAt: string }): Promise<Task> {
  const closed = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKeys.item(id),
        UpdateExpression: 'SET #status = :decided, decision = :approve, #comment = :comment, decidedBy = :by, decidedAt = :at REMOVE gsi1pk, gsi1sk',
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
        },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  if (!closed) throw conflict('already_decided', 'This follow-up has already been closed.');
  return toTask(closed.Attributes!);
}
