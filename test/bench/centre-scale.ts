// centreScaleRatio: a caseworker's GET /tasks on a table holding one centre's pending work and on one holding
// 200 centres' (6 categories × 40 tasks each), interleaved under the same load, with the read units a page
// costs on each. The queue is one partition per centre, role and category, so neither should grow.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../infra/local/table-setup.ts';
import { taskKeys } from '../../shared/data/keys.ts';
import { CATEGORIES } from '../../shared/domain/catalog.ts';

const TASKS_PER_QUEUE = 40;
const MY_CENTRE = 'zizhuyuan';
const MY_CATEGORIES = ['social-insurance', 'employment'];
const PAGE = 10;

async function seedQueues(db: DynamoDBDocumentClient, table: string, centres: string[]) {
  const items = centres.flatMap((centre) =>
    CATEGORIES.flatMap((category) =>
      Array.from({ length: TASKS_PER_QUEUE }, (_, i) => {
        const id = `C20261201-${centre}-${category.ticketLetter}${String(i).padStart(3, '0')}-R1S1`;
        const dueDate = `2026-12-${String(10 + (i % 15)).padStart(2, '0')}`;
        return {
          ...taskKeys.item(id), id, caseId: id.slice(0, -5), centre, matter: 'social-insurance-backpay', category: category.code, role: 'caseworker',
          stepIndex: 0, dueDate, status: 'pending', overdue: false, openedAt: '2026-12-01T01:00:00.000Z', taskToken: 'bench',
          gsi1pk: taskKeys.queue(centre, 'caseworker', category.code), gsi1sk: taskKeys.queueOrder(dueDate, id),
        };
      }),
    ),
  );
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 16) {
    await Promise.all(batches.slice(i, i + 16).map((batch) => db.send(new BatchWriteCommand({ RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
}

/** The read units of the Queries one page of the caseworker's queue makes (one per category queue). */
async function readUnitsPerPage(db: DynamoDBDocumentClient, table: string): Promise<number> {
  let units = 0;
  for (const category of MY_CATEGORIES) {
    const { ConsumedCapacity } = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :q',
        ExpressionAttributeValues: { ':q': taskKeys.queue(MY_CENTRE, 'caseworker', category) },
        Limit: PAGE,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    units += ConsumedCapacity?.CapacityUnits ?? 0;
  }
  return units;
}

export async function centreScale(endpoint: string, bundles: string, defaultTable: string) {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }));
  const tables = { one: 'bench-tasks-1-centre', many: 'bench-tasks-200-centres' };
  for (const table of Object.values(tables)) await ensureTable(new DynamoDBClient({ endpoint }), table);
  await seedQueues(db, tables.one, [MY_CENTRE]);
  await seedQueues(db, tables.many, [MY_CENTRE, ...Array.from({ length: 199 }, (_, i) => `centre-${String(i + 1).padStart(3, '0')}`)]);

  // Two module instances of the same bundle, each bound at import to its own table (as for list scale).
  copyFileSync(join(bundles, 'tasks-list-tasks.mjs'), join(bundles, 'tasks-list-tasks-many.mjs'));
  process.env.TABLE_NAME = tables.one;
  const listOne = (await import(pathToFileURL(join(bundles, 'tasks-list-tasks.mjs')).href)).handler;
  process.env.TABLE_NAME = tables.many;
  const listMany = (await import(pathToFileURL(join(bundles, 'tasks-list-tasks-many.mjs')).href)).handler;
  process.env.TABLE_NAME = defaultTable;

  const claims = { sub: 'bench-cw', 'cognito:groups': '[staff]', 'custom:categories': MY_CATEGORIES.join(','), 'custom:centre': MY_CENTRE };
  const event = {
    version: '2.0', routeKey: 'GET /tasks', rawPath: '/tasks', rawQueryString: `limit=${PAGE}`, headers: {}, queryStringParameters: { limit: String(PAGE) },
    requestContext: { requestId: 'bench', http: { method: 'GET', path: '/tasks' }, authorizer: { jwt: { claims, scopes: [] } } }, isBase64Encoded: false,
  };
  const times = { one: [] as number[], many: [] as number[] };
  for (let i = 0; i < 300; i++) {
    for (const [size, fn] of i % 2 ? ([['one', listOne], ['many', listMany]] as const) : ([['many', listMany], ['one', listOne]] as const)) {
      const t = performance.now();
      const res = await fn(event, { awsRequestId: 'c' });
      times[size].push(performance.now() - t);
      if (JSON.parse(res.body).items.length !== PAGE) throw new Error(`GET /tasks answered ${res.statusCode} without a full page`);
    }
  }
  const rcu = { one: await readUnitsPerPage(db, tables.one), many: await readUnitsPerPage(db, tables.many) };
  db.destroy();
  return { times, rcu };
}
