// Opaque list cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. A cursor is only accepted for the
// partition it came from, so a forged cursor can neither read another resident's items nor make
// DynamoDB fail with a 500.

import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validationFailed } from '../domain/errors.ts';
import { db } from './client.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };
type Key = Record<string, unknown>;

export function encodeCursor(lastKey: Key | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : null;
}

/** `partition` holds the key attributes every key of this list must carry, e.g. { gsi1pk: 'OWNER#u1' }. */
export function decodeCursor(cursor: string | undefined, partition: Key): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid;
  const entries = Object.entries(key);
  const wellFormed = entries.length <= 6 && entries.every(([, v]) => typeof v === 'string' || typeof v === 'number');
  const samePartition = Object.entries(partition).every(([name, value]) => (key as Key)[name] === value);
  if (!wellFormed || !samePartition) throw invalid;
  return key as Key;
}

/** Every item a Query matches, page after page: for jobs that must walk a whole partition. */
export async function* queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield* Items ?? [];
    startKey = LastEvaluatedKey;
  } while (startKey);
}
