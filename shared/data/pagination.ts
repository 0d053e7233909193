// Opaque list cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. A cursor is only accepted for the
// partition it came from, so a forged cursor can neither read another resident's items nor make
// DynamoDB fail with a 500.

import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validationFailed } from '../domain/errors.ts';
import { db, tableName } from './client.ts';
import type { IndexName } from './table.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };
type Key = Record<string, unknown>;

export function encodeCursor(lastKey: Key | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : null;
}

/** `partition` holds the key attributes every key of this list must carry, e.g. { gsi1pk: 'OWNER#u1' }. */
export function decodeCursor(cursor: string | undefined, partition: Key): Key | undefined {
  if (cursor === undefined) return undefined;
  const key = parseCursor(cursor);
  const entries = Object.entries(key);
  const wellFormed = entries.length <= 6 && entries.every(([, v]) => typeof v === 'string' || typeof v === 'number');
  const samePartition = Object.entries(partition).every(([name, value]) => (key as Key)[name] === value);
  if (!wellFormed || !samePartition) throw invalidCursor();
  return key;
}

const invalidCursor = () => validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);

/** The JSON object inside a cursor; 400 at `cursor` for anything else. */
function parseCursor(cursor: string): Key {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
  return value as Key;
}

/**
 * One page of a short list put in order in memory (a community's live notices, the facilities near a
 * point): `positionOf` gives each item a string that sorts as the list does, and the cursor holds the last
 * position handed out, for the list of `scope` only. An item that moves ahead of the cursor between two
 * pages is not handed out again on a later page.
 */
export function pageByPosition<T>(items: T[], positionOf: (item: T) => string, limit: number, cursor: string | undefined, scope: Record<string, string>): Page<T> {
  const after = decodeCursor(cursor, scope)?.after;
  if (cursor !== undefined && !(typeof after === 'string' && after.length <= 200)) throw invalidCursor();
  const ordered = items
    .map((item) => ({ item, position: positionOf(item) }))
    .filter((p) => after === undefined || p.position > (after as string))
    .sort((a, b) => a.position.localeCompare(b.position));
  const page = ordered.slice(0, limit);
  return {
    items: page.map((p) => p.item),
    nextCursor: ordered.length > page.length ? encodeCursor({ ...scope, after: page.at(-1)!.position }) : null,
  };
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

export type MergedQuery = {
  indexName: IndexName;
  /** The index's partition and sort key attribute names. */
  partitionKey: string;
  sortKey: string;
  /** The partitions read together, e.g. one work queue per category of a caseworker. */
  partitions: string[];
  limit: number;
  cursor?: string;
};

type Position = Key | 'start' | 'end';
type Read = { partition: number; item: Key };

const order = (a: Key, b: Key, q: MergedQuery) =>
  String(a[q.sortKey]).localeCompare(String(b[q.sortKey])) || String(a[q.partitionKey]).localeCompare(String(b[q.partitionKey]));

/**
 * One page of several partitions merged in sort-key order, as if they were one list: each partition is an
 * exact Query (no filter reading other partitions' items), so a page is full while any partition has more.
 * The cursor holds each partition's position. An item is handed out only when no partition with unread
 * items could still hold an earlier one, so pages neither skip nor repeat an item.
 */
export async function queryMerged(q: MergedQuery): Promise<Page<Key>> {
  const positions = decodePositions(q);
  const reads = await Promise.all(
    q.partitions.map(async (partition, i) => {
      const position = positions[i]!;
      if (position === 'end') return { items: [] as Key[], more: false };
      const { Items, LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: q.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': q.partitionKey },
          ExpressionAttributeValues: { ':pk': partition },
          Limit: q.limit,
          ExclusiveStartKey: position === 'start' ? undefined : position,
        }),
      );
      return { items: Items ?? [], more: LastEvaluatedKey !== undefined };
    }),
  );
  // Unread items of a partition that has more sort after its last read item: nothing beyond the smallest
  // such item may be handed out yet.
  const boundaries = reads.filter((r) => r.more).map((r) => r.items.at(-1)!);
  const boundary = boundaries.sort((a, b) => order(a, b, q))[0];
  const candidates: Read[] = reads.flatMap((r, partition) => r.items.map((item) => ({ partition, item })));
  candidates.sort((a, b) => order(a.item, b.item, q));
  const page = candidates.filter((c) => !boundary || order(c.item, boundary, q) <= 0).slice(0, q.limit);

  const next: Position[] = positions.map((position, i) => {
    const taken = page.filter((c) => c.partition === i);
    const read = reads[i]!;
    if (position === 'end' || (!read.more && taken.length === read.items.length)) return 'end';
    return taken.length > 0 ? keyOf(taken.at(-1)!.item, q) : position;
  });
  return { items: page.map((c) => c.item), nextCursor: next.every((p) => p === 'end') ? null : encodeCursor({ positions: next }) };
}

const TABLE_KEYS = ['pk', 'sk'];
const keyOf = (item: Key, q: MergedQuery): Key => Object.fromEntries([...TABLE_KEYS, q.partitionKey, q.sortKey].map((name) => [name, item[name]]));

function decodePositions(q: MergedQuery): Position[] {
  if (q.cursor === undefined) return q.partitions.map(() => 'start');
  const positions = parseCursor(q.cursor).positions;
  const valid =
    Array.isArray(positions) &&
    positions.length === q.partitions.length &&
    positions.every(
      (p, i) =>
        p === 'start' ||
        p === 'end' ||
        (typeof p === 'object' &&
          p !== null &&
          !Array.isArray(p) &&
          Object.keys(p).length === 4 &&
          [...TABLE_KEYS, q.partitionKey, q.sortKey].every((name) => typeof (p as Key)[name] === 'string') &&
          (p as Key)[q.partitionKey] === q.partitions[i]),
    );
  if (!valid) throw invalidCursor();
  return positions as Position[];
}
