// Notifications that could not be sent. Instead of being dropped, a failed message is stored with its
// attempts and next attempt time; a scheduled job retries it with backoff until it goes out or, after
// MAX_ATTEMPTS, is parked as `dead` for an operator to see. Nothing about the resident but the message
// itself (phone and rendered parameters) is kept, and the record expires after KEEP_DAYS.
//
//   notification  pk NOTIFICATION#<id>  sk NOTIFICATION
//                 gsi2 NOTIFICATIONS#RETRY / <nextAttemptAt>#<id>   (while waiting for a retry)
//                 gsi2 NOTIFICATIONS#DEAD / <failedAt>#<id>          (given up: for an operator)

import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DirectMessage, StaffMessage } from '../ports/notifier.ts';
import { db, tableName } from './client.ts';
import { applied } from './conditional-writes.ts';
import { notificationKeys } from './keys.ts';

export const MAX_ATTEMPTS = 8;
const KEEP_DAYS = 30;
const LEASE_MS = 5 * 60_000;

export type PendingNotification = {
  id: string;
  kind: 'direct' | 'staff';
  message: DirectMessage | StaffMessage;
  attempts: number;
  lastError: string;
  status: 'retrying' | 'sent' | 'dead';
};

const expiry = (now: Date) => Math.floor(now.getTime() / 1000) + KEEP_DAYS * 24 * 3600;

/** Exponential backoff: 1, 2, 4 … minutes after each failed attempt. */
export const nextAttemptAt = (attempts: number, now: Date) => new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)).toISOString();

export async function recordFailedNotification(kind: PendingNotification['kind'], message: DirectMessage | StaffMessage, error: string, now = new Date()) {
  const id = randomUUID();
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...notificationKeys.item(id),
        id,
        kind,
        message,
        attempts: 1,
        lastError: error,
        status: 'retrying',
        gsi2pk: notificationKeys.retry,
        gsi2sk: `${nextAttemptAt(1, now)}#${id}`,
        expiresAt: expiry(now),
      },
    }),
  );
  return id;
}

/** Failed notifications whose next attempt is due, oldest first. */
export async function listDueNotifications(now: Date, limit: number): Promise<(PendingNotification & { gsi2sk: string })[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :retry AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':retry': notificationKeys.retry, ':now': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (Items ?? []) as (PendingNotification & { gsi2sk: string })[];
}

/**
 * Takes a due notification for this run by pushing its next attempt LEASE_MS ahead, conditional on the
 * position read: an overlapping run fails the condition and skips it instead of sending it twice.
 */
export async function leaseForRetry(n: PendingNotification & { gsi2sk?: string }, now = new Date()): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: notificationKeys.item(n.id),
        UpdateExpression: 'SET gsi2sk = :leased',
        ConditionExpression: 'gsi2sk = :read',
        ExpressionAttributeValues: { ':leased': `${new Date(now.getTime() + LEASE_MS).toISOString()}#${n.id}`, ':read': n.gsi2sk },
      }),
    ),
  );
}

/** Records the outcome of one retry: sent, or one more failed attempt (parked as dead after MAX_ATTEMPTS). */
export async function recordRetryOutcome(n: PendingNotification, outcome: { sent: true } | { sent: false; error: string }, now = new Date()) {
  const attempts = n.attempts + 1;
  const dead = !outcome.sent && attempts >= MAX_ATTEMPTS;
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: notificationKeys.item(n.id),
      ...(outcome.sent
        ? {
            UpdateExpression: 'SET #status = :sent, attempts = :attempts REMOVE gsi2pk, gsi2sk',
            ExpressionAttributeValues: { ':sent': 'sent', ':attempts': attempts },
          }
        : {
            UpdateExpression: 'SET #status = :status, attempts = :attempts, lastError = :error, gsi2pk = :index, gsi2sk = :order',
            ExpressionAttributeValues: {
              ':status': dead ? 'dead' : 'retrying',
              ':attempts': attempts,
              ':error': outcome.error,
              ':index': dead ? notificationKeys.dead : notificationKeys.retry,
              ':order': `${dead ? now.toISOString() : nextAttemptAt(attempts, now)}#${n.id}`,
            },
          }),
      ExpressionAttributeNames: { '#status': 'status' },
    }),
  );
}
