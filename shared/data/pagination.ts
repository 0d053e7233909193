// Opaque list cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. A cursor is checked whole against the
// query it continues before DynamoDB sees it: exactly the key attributes a page of that list ends on (the
// table's pk/sk plus the index's keys), each a non-empty string of bounded length, the list's own partition,
// and a sort key inside the list's key condition. Anything else is 400 at `cursor`: a forged cursor can
// neither read another resident's items nor make DynamoDB fail with a 500. No secret is needed: a cursor
// that passes is one the list itself could have handed out.

import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validationFailed } from '../domain/errors.ts';
import { db, tableName } from './client.ts';
import { TABLE_DEFINITION, type IndexName } from './table.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };
type Key = Record<string, unknown>;

/** One list: the index it reads (the table when absent) and its key condition. */
export type ListQuery = {
  index?: IndexName;
  /** The value of the partition key (of the index, if any). */
  partition: string;
  /** The sort-key part of the key condition, if the list has one. */
  sort?: { beginsWith: string } | { atMost: string };
};

/** DynamoDB's limit for a sort key (a partition key may be 2048): no key of ours comes near it. */
const MAX_KEY_BYTES = 1024;

/** The key attributes of a page's LastEvaluatedKey on `index`: the table's keys, and the index's if any. */
export function keyNames(index?: IndexName): { partitionKey: string; sortKey: string; all: string[] } {
  const table = [TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey];
  if (index === undefined) return { partitionKey: table[0]!, sortKey: table[1]!, all: table };
  const definition = TABLE_DEFINITION.globalSecondaryIndexes.find((i) => i.indexName === index)!;
  return { partitionKey: definition.partitionKey, sortKey: definition.sortKey, all: [...table, definition.partitionKey, definition.sortKey] };
}

/** The Query's IndexName and key condition for `list`: one description serves the query and its cursors. */
export function keyCondition(list: ListQuery): Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const { partitionKey, sortKey } = keyNames(list.index);
  const sort = list.sort === undefined ? '' : 'beginsWith' in list.sort ? ' AND begins_with(#sk, :sk)' : ' AND #sk <= :sk';
  return {
    ...(list.index ? { IndexName: list.index } : {}),
    KeyConditionExpression: `#pk = :pk${sort}`,
    ExpressionAttributeNames: { '#pk': partitionKey, ...(list.sort ? { '#sk': sortKey } : {}) },
    ExpressionAttributeValues: {
      ':pk': list.partition,
      ...(list.sort ? { ':sk': 'beginsWith' in list.sort ? list.sort.beginsWith : list.sort.atMost } : {}),
    },
  };
}

export function encodeCursor(lastKey: Key | undefined): string | null {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : null;
}

/** The start key a cursor of `list` holds; 400 at `cursor` unless it is one this list could have handed out. */
export function decodeCursor(cursor: string | undefined, list: ListQuery): Key | undefined {
  if (cursor === undefined) return undefined;
  const key = parseCursor(cursor);
  if (!isStartKeyOf(key, list)) throw invalidCursor();
  return key;
}

const isKeyValue = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && Buffer.byteLength(value, 'utf8') <= MAX_KEY_BYTES;

function isStartKeyOf(key: Key, list: ListQuery): boolean {
  const { partitionKey, sortKey, all } = keyNames(list.index);
  const names = Object.keys(key);
  if (names.length !== all.length || !all.every((name) => isKeyValue(key[name]))) return false;
  if (key[partitionKey] !== list.partition) return false;
  const sort = key[sortKey] as string;
  if (list.sort === undefined) return true;
  return 'beginsWith' in list.sort ? sort.startsWith(list.sort.beginsWith) : sort <= list.sort.atMost;
}

const invalidCursor = () => validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);

/** The JSON object inside a cursor; 400 at `cursor` for anything else. */
function parseCursor(cursor: string): Key {
  let value: unknown;
  // Node's base64url decoder skips characters outside the alphabet instead of refusing them.
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
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
  const after = cursor === undefined ? undefined : positionAfter(parseCursor(cursor), scope);
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

/** The position a cursor of `scope`'s list holds: exactly the scope's values and a bounded position string. */
function positionAfter(cursor: Key, scope: Record<string, string>): string {
  const names = [...Object.keys(scope), 'after'];
  const wellFormed = Object.keys(cursor).length === names.length && Object.entries(scope).every(([name, value]) => cursor[name] === value);
  const after = cursor.after;
  if (!wellFormed || typeof after !== 'string' || after === '' || after.length > 200) throw invalidCursor();
  return after;
}

/** One page of a Query and the key it ends on: for a job that walks a partition a page per step and keeps its place (fan-outs). */
export async function queryPage(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit: number,
  startKey?: Record<string, string>,
): Promise<{ items: Record<string, unknown>[]; nextKey?: Record<string, string> }> {
  const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: startKey }));
  return { items: Items ?? [], ...(LastEvaluatedKey ? { nextKey: LastEvaluatedKey as Record<string, string> } : {}) };
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
          ...keyCondition({ index: q.indexName, partition }),
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

const keyOf = (item: Key, q: MergedQuery): Key => Object.fromEntries(keyNames(q.indexName).all.map((name) => [name, item[name]]));

/** Each partition's position: `start`, `end`, or a start key of that partition under the rule of decodeCursor. */
function decodePositions(q: MergedQuery): Position[] {
  if (q.cursor === undefined) return q.partitions.map(() => 'start');
  const cursor = parseCursor(q.cursor);
  const positions = cursor.positions;
  const valid =
    Object.keys(cursor).length === 1 &&
    Array.isArray(positions) &&
    positions.length === q.partitions.length &&
    positions.every(
      (p, i) =>
        p === 'start' ||
        p === 'end' ||
        (typeof p === 'object' && p !== null && !Array.isArray(p) && isStartKeyOf(p as Key, { index: q.indexName, partition: q.partitions[i]! })),
    );
  if (!valid) throw invalidCursor();
  return positions as Position[];
}
