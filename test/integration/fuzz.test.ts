// Property-based fuzzing of every route in the route table with random and malformed bodies, headers,
// query strings and path parameters, as a caller the route admits: never a 5xx, and a rejected request
// writes nothing (no item in the table, no message in the outbox).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPublic, ROUTES } from '../../shared/routes.ts';
import { residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { loadEntry } from '../support/workflow-harness.ts';

const ALL_CATEGORIES = ['social-insurance', 'medical-insurance', 'social-assistance', 'family-health', 'employment', 'housing-civil'];
const CALLERS: Record<string, TestCaller> = {
  resident: { sub: 'fuzz-resident', role: 'resident' },
  staff: { sub: 'fuzz-staff', role: 'staff', categories: ALL_CATEGORIES },
  supervisor: { sub: 'fuzz-supervisor', role: 'supervisor' },
};

/** A full count of the test table: test-only, never on a request path. */
async function itemCount(): Promise<number> {
  const { Count } = await new DynamoDBClient({}).send(new ScanCommand({ TableName: process.env.TABLE_NAME!, Select: 'COUNT' }));
  return Count ?? 0;
}
const outboxLines = () => (existsSync(process.env.OUTBOX_FILE!) ? readFileSync(process.env.OUTBOX_FILE!, 'utf8').split('\n').filter(Boolean).length : 0);

const FIELD_NAMES = ['limit', 'cursor', 'status', 'category', 'date', 'time', 'community', 'kind', 'idNumber', 'from', 'to', 'matter', 'materials', 'decision', 'amount', 'method', 'bills', 'score'];
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', '[]', '{}', '../../etc/passwd', '%00', 'C20261129-0001', 'C20261129-0001-R1S1', '\u0000', '２０２６-１２-０１', 'x'.repeat(5000)),
);
const value = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 3 }), fc.dictionary(nasty, nasty, { maxKeys: 3 }));
const bodyArb = fc.oneof(
  fc.constant(undefined),
  fc.json().map((j) => j),
  nasty,
  fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.array(fc.dictionary(fc.constantFrom(...FIELD_NAMES), value), { maxLength: 4 }).map((rows) => JSON.stringify({ bills: rows, materials: rows })),
  fc.nat(30).map((depth) => '['.repeat(depth * 100) + ']'.repeat(depth * 100)),
);
const request = fc.record({
  body: bodyArb,
  contentType: fc.oneof(fc.constant('application/json'), fc.constant('application/json; charset=utf-8'), fc.constant('text/plain'), nasty),
  query: fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), nasty, { maxKeys: 4 }),
  id: nasty,
  idempotencyKey: fc.option(nasty),
});

describe('fuzzing every route', () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path}: never 5xx, and a rejected request writes nothing`, async () => {
      await residentWithProfile('fuzz-resident', 950);
      const handler = await loadEntry(route.entry);
      const caller = isPublic(route) ? undefined : CALLERS[route.roles[0]!];
      const before = { items: await itemCount(), outbox: outboxLines() };
      const accepted: number[] = [];

      await fc.assert(
        fc.asyncProperty(request, async ({ body, contentType, query, id, idempotencyKey }) => {
          const res = await invoke(handler, `${route.method} ${route.path}`, {
            caller,
            query,
            ...(route.path.includes('{id}') ? { params: { id } } : {}),
            ...(body === undefined ? {} : { body }),
            headers: { 'content-type': contentType, ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }) },
          });
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers['content-type']).toBe('application/problem+json');
          if (res.status < 300) accepted.push(res.status);
        }),
        { numRuns: 40 },
      );

      if (route.method !== 'GET' && accepted.length === 0) {
        expect(await itemCount()).toBe(before.items);
        expect(outboxLines()).toBe(before.outbox);
      }
    });
  }
});
