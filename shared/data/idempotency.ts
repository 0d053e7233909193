// Idempotency-Key handling (API.md): the first request with a key claims it and runs; its answer is stored,
// and the same key with the same body gets that answer again, also while the first is still running (the
// repeat waits for it instead of running twice). The same key with another body is 409
// idempotency_key_reused. If the first request fails, the claim is released so a retry can succeed; a claim
// left by a crashed invocation expires after CLAIM_SECONDS and may then be taken over.

import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, DomainError } from '../domain/errors.ts';
import type { ApiResult } from '../http/api-handler.ts';
import { db, tableName } from './client.ts';
import { applied } from './conditional-writes.ts';
import { idempotencyKeys } from './keys.ts';

const CLAIM_SECONDS = 60;
const KEEP_SECONDS = 24 * 3600;
const WAIT_FOR_FIRST_MS = 25_000;
const POLL_MS = 100;

type IdempotencyRecord = { requestHash: string; state: 'running' | 'done'; claimExpiresAt: number; response?: ApiResult };

export type IdempotentRequest = {
  /** What the key is for, e.g. 'pay-bill': a key used for one action never replays another. */
  scope: string;
  userId: string;
  key: string | undefined;
  /** Everything that makes the request this request (body and path ids). */
  fingerprint: unknown;
};

const recordKey = (r: IdempotentRequest) => idempotencyKeys.record(r.scope, r.userId, r.key!);
const hashOf = (fingerprint: unknown) => createHash('sha256').update(JSON.stringify(fingerprint)).digest('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function claim(request: IdempotentRequest, requestHash: string): Promise<boolean> {
  return applied(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...recordKey(request),
          requestHash,
          state: 'running',
          claimExpiresAt: nowSeconds() + CLAIM_SECONDS,
          expiresAt: nowSeconds() + KEEP_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :running AND claimExpiresAt < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':running': 'running', ':now': nowSeconds() },
      }),
    ),
  );
}

async function read(request: IdempotentRequest): Promise<IdempotencyRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: recordKey(request), ConsistentRead: true }));
  return Item as IdempotencyRecord | undefined;
}

/** Runs `action` at most once per (scope, user, key); without a key it simply runs. */
export async function idempotent(request: IdempotentRequest, action: () => Promise<ApiResult>): Promise<ApiResult> {
  if (request.key === undefined) return action();
  const requestHash = hashOf(request.fingerprint);
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;

  for (;;) {
    if (await claim(request, requestHash)) break;
    const existing = await read(request);
    if (!existing) continue; // the first attempt failed and released its claim: try to claim it ourselves
    if (existing.requestHash !== requestHash) {
      throw conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
    }
    if (existing.state === 'done' && existing.response) return existing.response;
    if (Date.now() > deadline) {
      throw conflict('request_in_progress', 'The first request with this Idempotency-Key is still running; retry shortly.');
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }

  let response: ApiResult;
  try {
    response = await action();
  } catch (error) {
    await db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: recordKey(request),
        ConditionExpression: 'requestHash = :hash AND #state = :running',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':hash': requestHash, ':running': 'running' },
      }),
    ).catch(() => undefined);
    throw error;
  }
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: recordKey(request),
      UpdateExpression: 'SET #state = :done, #response = :response',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':done': 'done', ':response': response },
    }),
  );
  return response;
}

/** Reads and checks the Idempotency-Key header (1–64 printable characters). */
export function idempotencyKeyFrom(headers: Record<string, string | undefined>, required: boolean): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) {
    if (required) throw invalidKey('the Idempotency-Key header is required');
    return undefined;
  }
  if (!/^[\x21-\x7e]{1,64}$/.test(key)) throw invalidKey('1 to 64 printable ASCII characters');
  return key;
}

const invalidKey = (message: string) =>
  new DomainError(400, 'validation_failed', 'Validation failed', 'Invalid Idempotency-Key header.', [
    { path: 'headers.idempotency-key', message },
  ]);
