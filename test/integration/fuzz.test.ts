// Property-based fuzzing of every route in the route table, with generators shaped like the attacks of issue 18
// rather than noise. Each request is either built from the endpoint's own zod schema (shared/api: a new route is
// fuzzed with its own fields) or a known-good request with one or two fields swapped for a hostile value, so the
// refusal is reached deep in the handler, not only at the first field: well-formed base64url JSON cursors made from
// a genuine key of the route's own list with a field dropped, mistyped, emptied, stretched or moved outside the
// key condition; impossible calendar dates; ids near and past every length limit, and every other path parameter
// (record kinds, windows, material types, tokens, residents) known or hostile; free text with control and bidi
// characters and lone surrogates; `0x10`/`1e1` numbers; far-off timestamps and billing months; claims at their
// limits (too many or unknown categories, 128/129-character subs, odd group names, hostile display names).
//
// Properties of every request: never a 5xx; a refusal is problem+json and texts nobody; a refused request writes
// nothing (the whole table is compared before and after each one) and a GET writes nothing at all; what an
// accepted request stores holds no control, bidi or lone-surrogate character and no date years away; a `limit`
// that is not decimal digits is never accepted; no request but a statistics report makes more than 40 DynamoDB calls.
// The only items a refused request, or a GET, may write are the account's counter of real-name checks
// (COUNTER#IDCHECK#…), which must count refused checks to be a limit at all, and the audit of a records lookup
// (RECORD-LOOKUP#…), which must be written for every lookup, shown or refused, to be an audit. Over HTTP, against the real `npm start`, malformed
// percent-encodings in paths and queries are 4xx problems.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENDPOINTS } from '../../shared/api/index.ts';
import { db } from '../../shared/data/client.ts';
import { appointmentKeys, billKeys, caseKeys, facilityKeys, noticeKeys, taskKeys } from '../../shared/data/keys.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { RECORD_KINDS } from '../../shared/domain/records.ts';
import { isPublic, ROUTES, type Route } from '../../shared/routes.ts';
import { idNumberFor, nextWorkingDay, residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';
import { loadEntry } from '../support/workflow-harness.ts';

const RUNS = 25;
/** A statistics report is one Query per day of its period (≤ 366, tested in its own file); nothing else fans out. */
const MAX_DYNAMODB_CALLS = 40;
const FANNING_OUT = new Set(['GET /stats']);
const ALL_CATEGORIES = ['social-insurance', 'medical-insurance', 'social-assistance', 'family-health', 'employment', 'housing-civil'];
const today = shanghaiDate(new Date());
const day = nextWorkingDay();
const RESIDENT: TestCaller = { sub: 'fuzz-resident', role: 'resident' };
const STAFF: TestCaller = { sub: 'fuzz-staff', role: 'staff', categories: ALL_CATEGORIES };
const SUPERVISOR: TestCaller = { sub: 'fuzz-supervisor', role: 'supervisor' };
const ids = { case: '', task: '', bill: '', appointment: '' };
const keyOf = (route: Route) => `${route.method} ${route.path}`;

// ---- the table, whole: test-only, never on a request path ----

const scanner = DynamoDBDocumentClient.from(new DynamoDBClient({}));
/** Every item of this file's table as canonical JSON, except the real-name check counters (see the header). */
async function snapshot(): Promise<Set<string>> {
  const items = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scanner.send(new ScanCommand({ TableName: process.env.TABLE_NAME!, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      if (String(item.pk).startsWith('COUNTER#IDCHECK#') || String(item.sk).startsWith('RECORD-LOOKUP#')) continue;
      items.add(JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
const added = (before: Set<string>, after: Set<string>) => [...after].filter((item) => !before.has(item));
const changes = (before: Set<string>, after: Set<string>) => [...added(before, after).map((i) => `+ ${i}`), ...added(after, before).map((i) => `- ${i}`)];
const outboxLines = () => (existsSync(process.env.OUTBOX_FILE!) ? readFileSync(process.env.OUTBOX_FILE!, 'utf8').split('\n').filter(Boolean).length : 0);

/** Text no stored item may hold: the text rule of shared/api/fields.ts, seen from the table. */
const FORBIDDEN_IN_STORE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/u;
const EARLIEST = `${Number(today.slice(0, 4)) - 6}${today.slice(4)}`;
const LATEST = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
/** What an accepted write stored that no rule should have let through: forbidden characters, dates years away. */
function badlyStored(item: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (FORBIDDEN_IN_STORE.test(value)) found.push(`${path}: ${JSON.stringify(value)}`);
      if (/^\d{4}-\d{2}(-\d{2}(T.*)?)?$/.test(value) && path !== 'birthDate' && (value < EARLIEST || value > LATEST)) found.push(`${path}: ${value}`);
    } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(JSON.parse(item), '');
  return found;
}

// ---- generators shaped like the attacks ----

const b64 = (value: string) => Buffer.from(value).toString('base64url');
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const hostileChar = fc.oneof(
  pick('\u0000', '\u0007', '\t', '\r', '\n', '\u001b', '\u007f', '\u0085', '\u009b', '\u202a', '\u202e', '\u2066', '\u2069', '\u200b', '\ufeff', '\u3000', ' '),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
);
const normalText = fc.oneof(pick('停水通知', '王五', '阳光花园3栋', 'oss://id.jpg', '同意', '材料齐全', 'ok', '😀'), fc.string({ unit: 'grapheme', maxLength: 20 }));
/** Text as an attacker writes it: control and bidi characters, lone surrogates, blanks, lengths around limits. */
const textArb = fc.oneof(
  normalText,
  fc.array(fc.oneof(normalText, hostileChar), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
  fc.constantFrom(39, 40, 41, 49, 50, 51, 199, 200, 201, 499, 500, 501, 5000).chain((n) => pick('字'.repeat(n), '😀'.repeat(n), ` ${'a'.repeat(n)} `)),
);

/** YYYY-MM-DD with every part out of range at times: 2026-13-01, 2026-12-32, 0000-00-00 … and real days. */
const dateArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 })).map(
    ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
  fc.integer({ min: -400, max: 400 }).map((days) => addDays(today, days)),
  pick('2026-02-29', '2028-02-29', '2026-1-1', '20261201', '２０２６-１２-０１', ''),
);
const monthArb = fc.oneof(dateArb.map((d) => d.slice(0, 7)), pick('1900-01', '9999-12', '2026-13', '2026-00', today.slice(0, 7)));
const timestampArb = fc.oneof(
  fc.integer({ min: -800, max: 800 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
  pick('9999-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '1900-01-01T00:00:00+08:00', '2026-02-30T00:00:00Z', '2026-12-01 09:00', 'now'),
);
const timeArb = fc.oneof(pick('09:00', '09:30', '13:30', '16:00', '24:00', '25:00', '09:60', '9:00', '09:00:00'), fc.string({ maxLength: 6 }));
const numberText = fc.oneof(pick('0x10', '1e1', ' 10', '10 ', '+5', '10.0', '-1', '0', '1', '100', '101', 'NaN', 'Infinity'), fc.nat().map(String), fc.string({ maxLength: 12 }));

/** Valid ID numbers (the identity sandbox reads order codes 998 and 999 specially) and broken ones. */
const idNumberArb = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 28 }), pick('001', '002', '123', '998', '999')).map(([d, order]) => {
    const first17 = `11010519800${1}${String(d).padStart(2, '0')}${order}`;
    return first17 + checkCharacter(first17);
  }),
  pick('11010519491231002X', '110105194912310021', '11010519491231002x', '1'.repeat(18), ''),
  fc.string({ maxLength: 40 }),
);

/** Ids of every shape of the path: the fixtures, valid formats, formats one past their limits, sheer length. */
const idArb = (path: string) => {
  const digits = (n: number) => '1'.repeat(n);
  const caseIds = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2000, max: 3000 })).map((n) => `C20261202-${digits(n)}`);
  const [fixture, shaped] = path.startsWith('/tasks')
    ? [() => ids.task, fc.oneof(fc.tuple(caseIds, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 })).map(([id, r, s]) => `${id}-R${digits(r)}S${digits(s)}`), caseIds.map((id) => `${id}-F1`))]
    : path.startsWith('/cases')
      ? [() => ids.case, caseIds]
      : path.startsWith('/appointments')
        ? [() => ids.appointment, fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 2000, max: 3000 })).map((n) => `AP${'2'.repeat(n)}`)]
        : [() => ids.bill, fc.oneof(fc.integer({ min: 60, max: 70 }), fc.integer({ min: 2000, max: 3000 })).map((n) => 'B'.repeat(n))];
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(null).map(() => fixture()) },
    { weight: 3, arbitrary: shaped },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 3000 }).map((n) => 'x'.repeat(n)), textArb, pick('../../etc/passwd', '%00', '%ZZ', 'C20261202-0001%23x', '#', '')) },
  );
};

/** Each path parameter besides {id}, with the values its routes take: a known one, or anything at all. */
const PARAM_VALUES: Record<string, readonly string[]> = {
  kind: RECORD_KINDS,
  category: ALL_CATEGORIES,
  type: ['id-card', 'household-register', 'unknown-material'],
  token: ['not-the-receipt-token'],
  userId: ['fuzz-resident', 'fuzz-nobody'],
};
const paramNamesIn = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
const paramArb = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: pick(...(PARAM_VALUES[name] ?? [name])) },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 3000 }).map((n) => 'x'.repeat(n)), textArb, pick('../../etc/passwd', '%00', '%ZZ', '#', '')) },
  );
/** The path parameters of a route, every one of them given. */
const paramsArb = (path: string) => fc.record(Object.fromEntries(paramNamesIn(path).map((name) => [name, name === 'id' ? idArb(path) : paramArb(name)])));

/** A start key one of the route's own lists could hand out: the base every cursor forgery starts from. */
function genuineKey(route: string, caller: TestCaller | undefined): Record<string, unknown> | undefined {
  const owner = caseKeys.owner('fuzz-resident');
  switch (route) {
    case 'GET /facilities':
      return facilityKeys.item('sunshine-garden', 'shelter', 'f-1');
    case 'GET /notices':
      return { ...noticeKeys.item('N1'), gsi1pk: noticeKeys.community('sunshine-garden'), gsi1sk: noticeKeys.communityOrder('2026-01-01T00:00:00.000Z', 'N1') };
    case 'GET /cases':
      return { ...caseKeys.item(ids.case), gsi1pk: owner, gsi1sk: caseKeys.ownerOrder('2026-12-02T00:00:00.000Z', ids.case) };
    case 'GET /bills':
      return { ...billKeys.item('B1'), gsi1pk: billKeys.ofResident('fuzz-resident', 'unpaid'), gsi1sk: billKeys.residentOrder(day, 'B1') };
    case 'GET /appointments':
      return caller?.role === 'staff'
        ? { ...appointmentKeys.item('AP1'), gsi2pk: appointmentKeys.dayList('zizhuyuan', 'employment', day), gsi2sk: appointmentKeys.dayOrder(1) }
        : { ...appointmentKeys.item('AP1'), gsi1pk: owner, gsi1sk: appointmentKeys.ownerOrder(day, '09:00', 'AP1') };
    case 'GET /tasks':
      return { ...taskKeys.item(ids.task), gsi1pk: taskKeys.queue('zizhuyuan', 'caseworker', 'employment'), gsi1sk: taskKeys.queueOrder(day, ids.task) };
    default:
      return undefined;
  }
}

const oddValue = fc.oneof(pick<unknown>('', 'x'.repeat(1025), 'APPT#', 'CASE#', '9999-12-31T00:00:00.000Z#~', 1e308, 5, null, true, [], {}), fc.string({ maxLength: 12 }));
/** One forgery of a genuine key: a field dropped, mistyped, emptied, stretched, moved, or one too many. */
const forged = (key: Record<string, unknown>) =>
  fc.oneof(
    fc.constantFrom(...Object.keys(key)).map((name) => Object.fromEntries(Object.entries(key).filter(([k]) => k !== name))),
    fc.tuple(fc.constantFrom(...Object.keys(key)), oddValue).map(([name, value]) => ({ ...key, [name]: value })),
    fc.tuple(fc.constantFrom(...Object.keys(key)), fc.string({ maxLength: 6 })).map(([name, suffix]) => ({ ...key, [name]: `${String(key[name])}${suffix}` })),
    fc.tuple(pick('gsi2pk', 'gsi1sk', 'extra', 'PK'), oddValue).map(([name, value]) => ({ ...key, [name]: value })),
    fc.constant(key),
  );
const keyObject = fc.dictionary(pick('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'extra'), oddValue, { maxKeys: 6 });
const cursorArb = (route: string, caller: TestCaller | undefined) => {
  const genuine = genuineKey(route, caller);
  const forgeries = genuine ? forged(genuine) : keyObject;
  const asCursor = route === 'GET /tasks'
    ? fc.tuple(fc.array(fc.oneof(forgeries, pick('start', 'end', 'middle')), { minLength: 0, maxLength: 7 }), fc.integer({ min: 0, max: 5 })).map(([positions]) => ({ positions }))
    : forgeries;
  return fc.oneof(
    { weight: 5, arbitrary: asCursor.map((value) => b64(JSON.stringify(value))) },
    { weight: 1, arbitrary: fc.oneof(fc.json(), fc.string()).map(b64) },
    { weight: 1, arbitrary: pick('!!!!', '====', 'e30', '') },
  );
};

const materialsArb = fc.array(fc.record({ type: fc.oneof(pick('id-card', 'personnel-file', 'invoice', 'ID-CARD', 'id card', ''), textArb), ref: textArb }), { maxLength: 21 });
const billRowArb = fc.record({
  residentId: fc.oneof(pick('fuzz-resident', 'vic#k', 'a'.repeat(129), ''), textArb),
  kind: pick('water', 'electricity', 'gas', 'phone', 'wine'),
  period: monthArb,
  amount: fc.oneof(fc.integer({ min: -5, max: 10_000_001 }), fc.double(), pick<unknown>(1e308, '100')),
  dueDate: dateArb,
});

/** What each field of the API may be given: the shapes of issue 18. Route-aware for cursors. */
const fieldArb = (field: string, route: string, caller: TestCaller | undefined): fc.Arbitrary<unknown> | undefined =>
  ({
    date: dateArb, from: dateArb, to: dateArb, dueDate: dateArb,
    period: monthArb,
    startsAt: timestampArb, endsAt: timestampArb,
    time: timeArb,
    limit: numberText,
    cursor: cursorArb(route, caller),
    idNumber: idNumberArb,
    name: textArb, title: textArb, body: textArb, note: textArb, comment: textArb, address: textArb, ref: textArb, type: textArb,
    materials: materialsArb,
    missingMaterials: fc.array(fc.oneof(pick('id-card', 'invoice'), textArb), { maxLength: 21 }),
    bills: fc.array(billRowArb, { maxLength: 3 }),
    residentId: fc.oneof(pick('fuzz-resident', 'vic#k', 'a'.repeat(129), ''), textArb),
    community: fc.oneof(pick('sunshine-garden', 'zizhuyuan', 'moon-bay', 'Sunshine-Garden', 'a'.repeat(65)), textArb),
    category: pick(...ALL_CATEGORIES, 'nope', ''),
    centre: pick('zizhuyuan', 'balizhuang', '*', 'nowhere'),
    matter: pick('retirement', 'residence-certificate', 'social-insurance-backpay', 'nope'),
    kind: pick('water-outage', 'general', 'shelter', 'civil-defense', 'water', 'earthquake'),
    status: pick('pending', 'unpaid', 'paid', 'decided', ''),
    decision: pick('approve', 'reject', 'return', 'maybe'),
    score: fc.oneof(fc.integer({ min: -1, max: 7 }), pick<unknown>(3.5, '5', 1e308)),
    amount: fc.oneof(fc.integer({ min: -1, max: 20_000_000 }), pick<unknown>(1.5, '4210', 1e308)),
    method: pick('wechat', 'alipay', 'unionpay', 'cash'),
    phone: fc.oneof(pick('13800138001', '+8613800138001', '12345', '１３８００１３８００１'), textArb),
  })[field];
const anyValue = fc.oneof(textArb, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(textArb, { maxLength: 3 }), fc.dictionary(fc.string(), textArb, { maxKeys: 3 }));
const valueOf = (field: string, route: string, caller: TestCaller | undefined) =>
  fc.oneof({ weight: 4, arbitrary: fieldArb(field, route, caller) ?? anyValue }, { weight: 1, arbitrary: anyValue });

/** The fields of an endpoint's object schema (zod/mini keeps them on `_zod.def.shape`). */
function fieldsOf(schema: unknown): string[] {
  const def = (schema as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Requests of each known route that its handler accepts (with the fixtures): the base of near-valid ones. */
function goodRequests(): Record<string, { caller?: TestCaller; query?: Record<string, unknown>; body?: Record<string, unknown> }> {
  return {
    'PUT /me': { caller: RESIDENT, body: { name: '居民950', idNumber: idNumberFor(950), phone: '13900000950', community: 'sunshine-garden' } },
    'POST /cases': { caller: RESIDENT, body: { matter: 'residence-certificate', materials: [{ type: 'id-card', ref: 'oss://id.jpg' }], note: '说明' } },
    'GET /cases': { caller: RESIDENT, query: { limit: '2' } },
    'POST /cases/{id}/materials': { caller: RESIDENT, body: { materials: [{ type: 'household-register', ref: 'oss://hr.pdf' }] } },
    'POST /cases/{id}/rating': { caller: RESIDENT, body: { score: 2, comment: '等待太久' } },
    'GET /tasks': { caller: STAFF, query: { limit: '2', status: 'pending' } },
    'POST /tasks/{id}/decision': { caller: STAFF, body: { decision: 'return', comment: '请补充', missingMaterials: ['household-register'] } },
    'GET /bills': { caller: RESIDENT, query: { status: 'unpaid', limit: '2' } },
    'POST /bills/{id}/pay': { caller: RESIDENT, body: { amount: 100, method: 'wechat' } },
    'POST /bills/import': { caller: STAFF, body: { bills: [{ residentId: 'fuzz-resident', kind: 'gas', period: addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7), amount: 100, dueDate: addDays(today, 10) }] } },
    'POST /notices': { caller: STAFF, body: { community: 'sunshine-garden', kind: 'general', title: '公告', body: '本周六体检', startsAt: new Date().toISOString() } },
    'GET /notices': { query: { community: 'sunshine-garden', limit: '2' } },
    'GET /facilities': { query: { community: 'sunshine-garden', kind: 'shelter', limit: '2' } },
    'GET /slots': { caller: RESIDENT, query: { category: 'employment', date: day } },
    'POST /appointments': { caller: RESIDENT, body: { category: 'employment', date: day, time: '09:00' } },
    'GET /appointments': { caller: STAFF, query: { category: 'employment', date: day, limit: '2' } },
    'GET /residents': { caller: STAFF, query: { idNumber: idNumberFor(950) } },
    'GET /stats': { caller: SUPERVISOR, query: { from: `${today.slice(0, 8)}01`, to: today } },
  };
}

/** The paths of a request template that a mutation may replace: its fields, and the fields of its first rows. */
function pathsOf(template: Record<string, unknown>): string[][] {
  return Object.entries(template).flatMap(([name, value]) =>
    Array.isArray(value) && value[0] && typeof value[0] === 'object' ? [[name], ...Object.keys(value[0] as object).map((inner) => [name, '0', inner])] : [[name]],
  );
}
function replaced(template: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(template) as Record<string, any>;
  let at = copy;
  for (const step of path.slice(0, -1)) {
    if (typeof at[step] !== 'object' || at[step] === null) return copy;
    at = at[step];
  }
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
}

/** A known-good template with one or two fields swapped for hostile values (or removed), or an unknown field added. */
const nearValid = (template: Record<string, unknown>, route: string, caller: TestCaller | undefined) => {
  const swap = (base: Record<string, unknown>) =>
    fc.constantFrom(...(pathsOf(base).length > 0 ? pathsOf(base) : [['extra']])).chain((path) => fc.option(valueOf(path.at(-1)!, route, caller), { freq: 8 }).map((value) => replaced(base, path, value ?? undefined)));
  return fc.oneof(
    fc.constant(template),
    swap(template),
    swap(template).chain((once) => swap(once)),
    fc.tuple(pick('extra', '__proto__', 'constructor'), anyValue).map(([name, value]) => ({ ...template, [name]: value })),
  );
};

/** An object with some of the endpoint's fields (and sometimes one it does not know), each from its shapes. */
const fromSchema = (fields: string[], route: string, caller: TestCaller | undefined) =>
  fc
    .tuple(
      fc.subarray(fields.length > 0 ? fields : ['x']).chain((chosen) => fc.tuple(...chosen.map((field) => valueOf(field, route, caller).map((value) => [field, value] as const)))),
      fc.option(fc.tuple(fc.oneof(pick('extra', '__proto__', 'constructor'), fc.string({ maxLength: 8 })), anyValue), { freq: 5 }),
    )
    .map(([entries, extra]) => Object.fromEntries(extra ? [...entries, extra] : entries));

/** Callers whose claims sit at and past their limits. */
const oddCaller = (base: TestCaller): fc.Arbitrary<TestCaller> =>
  fc
    .record({
      categories: fc.oneof(
        fc.array(fc.oneof(pick(...ALL_CATEGORIES), fc.string({ maxLength: 12 })), { maxLength: 40 }),
        fc.constant(Array.from({ length: 101 }, (_, i) => `category-${i}`)),
        fc.constant(Array.from({ length: 32 }, () => 'employment')),
      ),
      sub: pick(base.sub, 'u'.repeat(128), 'u'.repeat(129), 'vic#k'),
      name: fc.option(textArb, { freq: 2 }),
      extraGroup: fc.option(pick('supervisors', 'x,supervisor', '[staff', 'admin'), { freq: 3 }),
    })
    .map(({ categories, sub, name, extraGroup }) => ({
      ...base,
      sub,
      categories,
      ...(name === null ? {} : { name }),
      ...(extraGroup === null ? {} : { groups: [base.role, extraGroup] }),
    }));
const callerArb = (route: Route, preferred: TestCaller | undefined): fc.Arbitrary<TestCaller | undefined> => {
  if (isPublic(route)) return fc.constant(undefined);
  const base = preferred && route.roles.includes(preferred.role) ? preferred : ({ resident: RESIDENT, staff: STAFF, supervisor: SUPERVISOR } as const)[route.roles[0]!];
  return fc.oneof({ weight: 4, arbitrary: fc.constant(base) }, { weight: 1, arbitrary: oddCaller(base) });
};

const stringsOnly = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

const request = (route: Route) => {
  const endpoint = ENDPOINTS.find((e) => e.route === keyOf(route));
  const good = goodRequests()[keyOf(route)];
  return callerArb(route, good?.caller).chain((caller) => {
    const bodyFields = fieldsOf(endpoint?.body);
    const queryFields = fieldsOf(endpoint?.query);
    const body = fc.oneof(
      ...(good?.body ? [{ weight: 6, arbitrary: nearValid(good.body, keyOf(route), caller).map((o) => JSON.stringify(o)) }] : []),
      { weight: 3, arbitrary: fromSchema(bodyFields, keyOf(route), caller).map((o) => JSON.stringify(o)) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.oneof(fc.json(), textArb, fc.nat(30).map((depth) => '['.repeat(depth * 100) + ']'.repeat(depth * 100))) },
    );
    const query = fc.oneof(
      ...(good?.query ? [{ weight: 3, arbitrary: nearValid(good.query, keyOf(route), caller).map(stringsOnly) }] : []),
      { weight: 2, arbitrary: fromSchema(queryFields, keyOf(route), caller).map(stringsOnly) },
    );
    return fc.record({
      caller: fc.constant(caller),
      body,
      contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.oneof(pick('application/json; charset=utf-8', 'text/plain', ''), textArb) }),
      query,
      params: paramsArb(route.path),
      idempotencyKey: fc.option(fc.oneof(pick('k-1', 'k#1', '1', 'x'.repeat(65), ''), textArb), { freq: 2 }),
    });
  });
};

// ---- fixtures: one of each item the path ids name, all owned by fuzz-resident ----

beforeAll(async () => {
  await residentWithProfile('fuzz-resident', 950);
  const submitted = await invoke(await loadEntry('functions/cases/submit-case.ts'), 'POST /cases', {
    caller: RESIDENT,
    body: { matter: 'residence-certificate', materials: [{ type: 'id-card', ref: 'oss://id.jpg' }] },
  });
  ids.case = submitted.body.id;
  ids.task = `${ids.case}-R1S1`;
  // No workflow engine runs here (its writes would land between the snapshots): the step is opened directly.
  await openTask(
    { id: ids.task, caseId: ids.case, centre: 'zizhuyuan', matter: 'residence-certificate', category: 'housing-civil', role: 'caseworker', stepIndex: 0, dueDate: day },
    'fuzz-token',
    new Date().toISOString(),
  );
  await invoke(await loadEntry('functions/bills/import-bills.ts'), 'POST /bills/import', {
    caller: STAFF,
    body: { bills: [{ residentId: 'fuzz-resident', kind: 'water', period: addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7), amount: 4210, dueDate: addDays(today, 5) }] },
  });
  ids.bill = (await invoke(await loadEntry('functions/bills/list-bills.ts'), 'GET /bills', { caller: RESIDENT })).body.items[0].id;
  const booked = await invoke(await loadEntry('functions/appointments/book-appointment.ts'), 'POST /appointments', {
    caller: RESIDENT,
    body: { category: 'employment', date: day, time: '10:00' },
  });
  ids.appointment = booked.body.id;
});

describe('fuzzing every route with the shapes of issue 18', () => {
  for (const route of ROUTES) {
    const reads = route.method === 'GET';
    it(`${keyOf(route)}: never 5xx, a refusal writes nothing, an acceptance stores nothing malformed${reads ? ', a GET writes nothing' : ''}`, async () => {
      const handler = await loadEntry(route.entry);
      const calls = vi.spyOn(db, 'send');
      const hasLimit = fieldsOf(ENDPOINTS.find((e) => e.route === keyOf(route))?.query).includes('limit');
      let table = await snapshot();
      const start = table;

      await fc.assert(
        fc.asyncProperty(request(route), async ({ body, contentType, query, params, idempotencyKey, caller }) => {
          const outboxBefore = outboxLines();
          calls.mockClear();
          const res = await invoke(handler, keyOf(route), {
            ...(caller ? { caller } : {}),
            query,
            ...(Object.keys(params).length > 0 ? { params } : {}),
            ...(body === undefined ? {} : { body }),
            headers: { 'content-type': contentType, ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }) },
          });
          // The table after this request is the next one's baseline whatever this one's verdict (shrinking re-runs).
          const before = table;
          if (!reads) table = await snapshot();
          const said = `${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
          expect(res.status, said).toBeLessThan(500);
          if (!FANNING_OUT.has(keyOf(route))) expect(calls.mock.calls.length, said).toBeLessThanOrEqual(MAX_DYNAMODB_CALLS);
          if (hasLimit && query.limit !== undefined && !/^\d+$/.test(query.limit)) expect(res.status, `limit ${JSON.stringify(query.limit)}`).toBeGreaterThanOrEqual(400);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toBe('application/problem+json');
            expect(outboxLines(), said).toBe(outboxBefore);
          }
          if (reads) return;
          if (res.status >= 400) expect(changes(before, table), said).toEqual([]);
          else expect(added(before, table).flatMap(badlyStored), said).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      calls.mockRestore();

      if (reads) expect(changes(start, await snapshot())).toEqual([]);
    });
  }
});

// ---- over HTTP, against the real local server ----

/** Percent-encodings of every kind: malformed (%ZZ, a lone %, a cut UTF-8 sequence, overlong forms) and valid. */
const percentArb = fc.oneof(
  pick('%ZZ', '%', '%%', '%2', '%E4', '%E4%B8', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2F', '%23', '%3F', '%25'),
  fc
    .array(fc.oneof(fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, '0')}`), fc.stringMatching(/^[A-Za-z0-9-]{0,4}$/), pick('%', '%Z')), { minLength: 1, maxLength: 8 })
    .map((parts) => parts.join('')),
);

describe('percent-encodings over HTTP against the real local server', () => {
  let server: RunningServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer();
    for (const role of ['resident', 'staff', 'supervisor'] as const) tokens[role] = await tokenFor(server.url, `fuzz-http-${role}`, role, role === 'staff' ? { categories: ALL_CATEGORIES } : {});
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('answers every route with a 4xx problem for malformed percent-encoding in a path id or a query value, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), percentArb, async (route, encoded) => {
        const path = paramNamesIn(route.path).length > 0 ? route.path.replace(/\{\w+\}/g, encoded) : `${route.path}?cursor=${encoded}&limit=${encoded}&community=${encoded}`;
        const api = client(server.url, isPublic(route) ? undefined : tokens[route.roles[0]!]);
        const send = { GET: () => api.get(path), DELETE: () => api.delete(path), PUT: () => api.put(path, {}), POST: () => api.post(path, {}) };
        const res = await send[route.method]();
        expect(res.status, `${keyOf(route)} ${path} ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 2 * ROUTES.length },
    );
  });
});
