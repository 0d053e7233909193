// Every route of the route table × every kind of caller → the status each must get. Generated from the
// route table: a new route is in the matrix automatically, and a new route with a path id (an item's
// `{id}`, or a resident's `{userId}`) fails here until it has a fixture, so no route can escape the check.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { isPublic, ROUTES, type Route } from '../../shared/routes.ts';
import { nextWorkingDay, residentWithProfile } from '../support/appointment-fixtures.ts';
import { pngFile, putFile, startTestFileStore } from '../support/files.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { loadEntry, startEngine } from '../support/workflow-harness.ts';

const ALL_CATEGORIES = ['social-insurance', 'medical-insurance', 'social-assistance', 'family-health', 'employment', 'housing-civil'];
const PERSONAS = {
  anonymous: undefined,
  resident: { sub: 'matrix-owner', role: 'resident' },
  'another resident': { sub: 'matrix-other', role: 'resident' },
  'staff of another window': { sub: 'matrix-staff-other', role: 'staff', categories: ['housing-civil'] },
  staff: { sub: 'matrix-staff', role: 'staff', categories: ALL_CATEGORIES },
  supervisor: { sub: 'matrix-supervisor', role: 'supervisor' },
  // Service centres are tenants: the same roles at another centre must not reach this centre's records.
  'staff of another centre': { sub: 'matrix-staff-far', role: 'staff', categories: ALL_CATEGORIES, centre: 'balizhuang' },
  'supervisor of another centre': { sub: 'matrix-supervisor-far', role: 'supervisor', centre: 'balizhuang' },
} satisfies Record<string, TestCaller | undefined>;
type Persona = keyof typeof PERSONAS;

/** Where the route's own rules (not the role guard) refuse a caller whose role is allowed. */
const DOMAIN_REFUSALS: Partial<Record<string, Partial<Record<Persona, number>>>> = {
  // The task is a caseworker step of the employment window.
  'POST /tasks/{id}/decision': { 'staff of another window': 403, supervisor: 403, 'supervisor of another centre': 404 },
  // Postings and applications are the employment window's: a clerk of another window is refused (or, for a
  // CV, finds nothing there).
  'POST /jobs': { 'staff of another window': 403 },
  'GET /jobs/{id}/applications': { 'staff of another window': 403 },
  'POST /applications/{id}/status': { 'staff of another window': 403 },
  'GET /applications/{id}/cv': { 'staff of another window': 404 },
};

/** Routes whose path id names an item every caller of the route's roles may use (a public job posting). */
const OPEN_ITEMS = new Set(['POST /jobs/{id}/applications']);

/** Valid bodies for the routes whose refusals depend on who owns the item, so the check is reached. */
const BODIES: Record<string, unknown> = {
  'POST /cases/{id}/materials': { materials: [{ type: 'id-card', ref: 'oss://again' }] },
  'POST /cases/{id}/rating': { score: 5 },
  'POST /tasks/{id}/decision': { decision: 'approve' },
  'POST /bills/{id}/pay': { amount: 4210, method: 'wechat' },
  'POST /payments/{id}/refund': { amount: 100, reason: '矩阵测试' },
  'POST /uploads': { fileName: 'id.png', contentType: 'image/png', size: 100 },
  'POST /residents/{userId}/cases': { matter: 'unemployment-registration', materials: [{ type: 'id-card', ref: 'a' }, { type: 'termination-proof', ref: 'b' }] },
  'POST /windows/{category}/call-next': { window: '1' },
  'POST /appointments/{id}/reschedule': { date: nextWorkingDay(), time: '10:00' },
  'POST /jobs': { employer: '矩阵单位', title: '矩阵岗位', payRange: { min: 1000, max: 2000 }, place: '紫竹院', requirements: '无', closesOn: nextWorkingDay() },
  'POST /applications/{id}/status': { status: 'contacted' },
};

/** Path parameters besides the id, for the routes that have more. */
const PATH_PARAMS: Record<string, Record<string, string>> = {
  '/cases/{id}/materials/{type}': { type: 'id-card' },
};

const key = (r: Route) => `${r.method} ${r.path}`;
/** The path parameter that names an owned item or resident, if the route has one. */
const pathIdOf = (r: Route) => /\{(id|userId)\}/.exec(r.path)?.[1];
const hasPathId = (r: Route) => pathIdOf(r) !== undefined;

function expected(route: Route, persona: Persona): number | 'allowed' {
  if (isPublic(route)) return 'allowed';
  const caller = PERSONAS[persona];
  if (!caller) return 401;
  if (!route.roles.includes(caller.role)) return 403;
  const refusal = DOMAIN_REFUSALS[key(route)]?.[persona];
  if (refusal) return refusal;
  if ((persona === 'another resident' || persona.endsWith('another centre')) && hasPathId(route) && !OPEN_ITEMS.has(key(route))) return 404;
  return 'allowed';
}

let engine: AslWorkflowEngine;
let files: Awaited<ReturnType<typeof startTestFileStore>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  files = await startTestFileStore();
  engine = startEngine();
  const owner = await residentWithProfile('matrix-owner', 901);
  await residentWithProfile('matrix-other', 902);
  const staff = PERSONAS.staff;

  // The case's ID card is a real uploaded file, so that viewing it has something to show.
  const png = pngFile();
  const slot = await invoke(await loadEntry('functions/uploads/create-upload.ts'), 'POST /uploads', {
    caller: owner,
    body: { fileName: 'id.png', contentType: 'image/png', size: png.length },
  });
  expect((await putFile(slot.body, png)).status).toBe(200);
  const submitted = await invoke(await loadEntry('functions/cases/submit-case.ts'), 'POST /cases', {
    caller: owner,
    body: { matter: 'unemployment-registration', materials: [{ type: 'id-card', uploadId: slot.body.uploadId }, { type: 'termination-proof', ref: 'b' }] },
  });
  ids.case = submitted.body.id;
  ids.task = `${ids.case}-R1S1`;
  await vi.waitFor(async () => expect((await getTask(ids.task!))?.status).toBe('pending'), { timeout: 15_000, interval: 50 });

  await invoke(await loadEntry('functions/bills/import-bills.ts'), 'POST /bills/import', {
    caller: staff,
    body: { bills: [{ residentId: 'matrix-owner', kind: 'water', period: '2026-11', amount: 4210, dueDate: nextWorkingDay() }] },
  });
  ids.bill = (await invoke(await loadEntry('functions/bills/list-bills.ts'), 'GET /bills', { caller: owner })).body.items[0].id;
  // A second bill, paid (by the simulated provider here), gives the payment routes a payment of the resident.
  await invoke(await loadEntry('functions/bills/import-bills.ts'), 'POST /bills/import', {
    caller: staff,
    body: { bills: [{ residentId: 'matrix-owner', kind: 'gas', period: '2026-11', amount: 1890, dueDate: nextWorkingDay() }] },
  });
  const gas = (await invoke(await loadEntry('functions/bills/list-bills.ts'), 'GET /bills', { caller: owner })).body.items.find((b: { kind: string }) => b.kind === 'gas');
  const paid = await invoke(await loadEntry('functions/bills/pay-bill.ts'), 'POST /bills/{id}/pay', {
    caller: owner,
    params: { id: gas.id },
    body: { amount: 1890, method: 'wechat' },
    headers: { 'idempotency-key': 'matrix-payment' },
  });
  ids.payment = paid.body.paymentId;

  const booked = await invoke(await loadEntry('functions/appointments/book-appointment.ts'), 'POST /appointments', {
    caller: owner,
    body: { category: 'social-insurance', date: nextWorkingDay(), time: '09:00' },
  });
  ids.appointment = booked.body.id;

  const another = await invoke(await loadEntry('functions/cases/submit-case.ts'), 'POST /cases', {
    caller: owner,
    body: { matter: 'unemployment-registration', materials: [{ type: 'id-card', ref: 'a' }] },
  });
  ids.withdrawable = another.body.id;
  ids.ticket = (await invoke(await loadEntry('functions/tickets/issue-ticket.ts'), 'POST /tickets', { caller: staff, body: { category: 'employment' } })).body.id;
  const notice = await invoke(await loadEntry('functions/notices/publish-notice.ts'), 'POST /notices', {
    caller: staff,
    body: { community: 'sunshine-garden', kind: 'general', title: '矩阵公告', body: '内容', startsAt: new Date().toISOString() },
  });
  ids.notice = notice.body.id;

  // A posting of the demo centre, and the owner's application to it with an uploaded CV.
  const job = await invoke(await loadEntry('functions/jobs/publish-job.ts'), 'POST /jobs', { caller: staff, body: BODIES['POST /jobs'] });
  ids.job = job.body.id;
  const cv = await invoke(await loadEntry('functions/uploads/create-upload.ts'), 'POST /uploads', { caller: owner, body: { fileName: 'cv.png', contentType: 'image/png', size: png.length } });
  expect((await putFile(cv.body, png)).status).toBe(200);
  const application = await invoke(await loadEntry('functions/jobs/apply-to-job.ts'), 'POST /jobs/{id}/applications', { caller: owner, params: { id: ids.job! }, body: { cvUploadId: cv.body.uploadId } });
  ids.application = application.body.id;
});
afterAll(async () => {
  await engine?.stop();
  await files?.close();
});

/** The id each path-id route is called with: an item owned by `resident`. */
const PATH_FIXTURES: Record<string, () => string | undefined> = {
  '/cases/{id}': () => ids.case,
  '/cases/{id}/materials': () => ids.case,
  '/cases/{id}/rating': () => ids.case,
  '/cases/{id}/messages': () => ids.case,
  '/tasks/{id}/decision': () => ids.task,
  '/bills/{id}/pay': () => ids.bill,
  '/payments/{id}': () => ids.payment,
  '/payments/{id}/refund': () => ids.payment,
  '/appointments/{id}': () => ids.appointment,
  '/appointments/{id}/check-in': () => ids.appointment,
  '/appointments/{id}/reschedule': () => ids.appointment,
  '/cases/{id}/materials/{type}': () => ids.case,
  '/cases/{id}/withdraw': () => ids.withdrawable,
  '/cases/{id}/collect': () => ids.case,
  '/residents/{userId}/cases': () => 'matrix-owner',
  '/tickets/{id}/recall': () => ids.ticket,
  '/tickets/{id}/skip': () => ids.ticket,
  '/tickets/{id}/done': () => ids.ticket,
  '/notices/{id}/end': () => ids.notice,
  '/jobs/{id}/applications': () => ids.job,
  '/applications/{id}/status': () => ids.application,
  '/applications/{id}/cv': () => ids.application,
};

// A cancel that succeeds runs last, after every refusal has been checked against a live appointment.
const ordered = [...ROUTES].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

describe('authorization matrix', () => {
  it('has a fixture for every route with a path id', () => {
    const missing = ROUTES.filter((r) => hasPathId(r) && !PATH_FIXTURES[r.path]).map(key);
    expect(missing, 'add the route to PATH_FIXTURES').toEqual([]);
  });

  for (const route of ordered) {
    for (const persona of Object.keys(PERSONAS) as Persona[]) {
      const want = expected(route, persona);
      it(`${key(route)} as ${persona} → ${want}`, async () => {
        const handler = await loadEntry(route.entry);
        const id = hasPathId(route) ? PATH_FIXTURES[route.path]?.() : undefined;
        const res = await invoke(handler, key(route), {
          caller: PERSONAS[persona],
          ...(id ? { params: { [pathIdOf(route)!]: id, ...PATH_PARAMS[route.path] } } : {}),
          ...(route.method === 'POST' || route.method === 'PUT' ? { body: BODIES[key(route)] ?? {}, headers: { 'idempotency-key': `matrix-${persona.replaceAll(' ', '-')}` } } : {}),
        });

        if (want === 'allowed') {
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          expect([401, 403]).not.toContain(res.status);
          if (id && persona === 'resident') expect(res.status).not.toBe(404);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(want);
        }
      });
    }
  }
});
