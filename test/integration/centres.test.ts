// Service centres side by side: a centre's staff never see, list, decide or count another centre's cases,
// tasks or appointments; a city supervisor compares them; queue pages stay full however many centres share
// the table; a table written before centres existed keeps answering after its migration; a rating that
// races another write of its case never answers 5xx.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateToCentres } from '../../infra/local/migrations.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { getCase } from '../../shared/data/cases.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { caseKeys } from '../../shared/data/keys.ts';
import { getTask, openTask } from '../../shared/data/tasks.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { CATEGORIES } from '../../shared/domain/catalog.ts';
import { idNumberFor, nextWorkingDay, phoneFor, VERIFIED } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { loadEntry, startEngine } from '../support/workflow-harness.ts';

const residentOf = async (sub: string, serial: number, community: string): Promise<TestCaller> => {
  const idNumber = idNumberFor(serial);
  await saveResident({
    userId: sub,
    name: `居民${serial}`,
    idNumber,
    birthDate: `1980-01-${idNumber.slice(12, 14)}`,
    sex: 'male',
    phone: phoneFor(serial),
    community,
    updatedAt: new Date().toISOString(),
    verification: VERIFIED,
  });
  return { sub, role: 'resident' };
};

const call = async (entry: string, route: string, options: Parameters<typeof invoke>[2]) => invoke(await loadEntry(entry), route, options);
const MATERIALS = [
  { type: 'id-card', ref: 'a' },
  { type: 'termination-proof', ref: 'b' },
];
const caseworker = (centre: string): TestCaller => ({ sub: `cw-${centre}`, role: 'staff', categories: ['employment'], centre });
const supervisor = (centre: string): TestCaller => ({ sub: `sup-${centre}`, role: 'supervisor', centre });

describe('two centres side by side', () => {
  let engine: AslWorkflowEngine;
  const caseIds: Record<string, string> = {};
  const appointmentIds: Record<string, string> = {};
  const day = nextWorkingDay();

  beforeAll(async () => {
    engine = startEngine();
    const a = await residentOf('res-zizhuyuan', 501, 'sunshine-garden');
    const b = await residentOf('res-balizhuang', 502, 'hongmiao');
    for (const [centre, resident] of [['zizhuyuan', a], ['balizhuang', b]] as const) {
      const submitted = await call('functions/cases/submit-case.ts', 'POST /cases', { caller: resident, body: { matter: 'unemployment-registration', materials: MATERIALS } });
      caseIds[centre] = submitted.body.id;
      const booked = await call('functions/appointments/book-appointment.ts', 'POST /appointments', {
        caller: resident,
        body: { category: 'employment', date: day, time: '14:00' },
      });
      appointmentIds[centre] = booked.body.id;
    }
    for (const id of Object.values(caseIds)) {
      await vi.waitFor(async () => expect((await getTask(`${id}-R1S1`))?.status).toBe('pending'), { timeout: 15_000, interval: 50 });
    }
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('hands each case, task and booking to the centre of the resident’s community', async () => {
    expect((await getCase(caseIds.zizhuyuan!))?.centre).toBe('zizhuyuan');
    expect((await getTask(`${caseIds.balizhuang}-R1S1`))?.centre).toBe('balizhuang');
    expect(appointmentIds.balizhuang).toMatch(/^AP\d{8}-BLZ-E001$/);
    expect(appointmentIds.zizhuyuan).toMatch(/^AP\d{8}-ZZY-E001$/);
  });

  it("lists only the caseworker's own centre's tasks", async () => {
    for (const centre of ['zizhuyuan', 'balizhuang']) {
      const queue = await call('functions/tasks/list-tasks.ts', 'GET /tasks', { caller: caseworker(centre) });
      expect(queue.body.items.map((t: { caseId: string }) => t.caseId)).toEqual([caseIds[centre]]);
    }
  });

  it("answers 404 to a decision on another centre's task and leaves it pending", async () => {
    const res = await call('functions/tasks/decide-task.ts', 'POST /tasks/{id}/decision', {
      caller: caseworker('zizhuyuan'),
      params: { id: `${caseIds.balizhuang}-R1S1` },
      body: { decision: 'approve' },
    });
    expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await getTask(`${caseIds.balizhuang}-R1S1`))?.status).toBe('pending');
  });

  it("lists only the centre's own appointments of a window's day, and refuses to check in another's", async () => {
    const list = await call('functions/appointments/list-appointments.ts', 'GET /appointments', {
      caller: caseworker('balizhuang'),
      query: { category: 'employment', date: day },
    });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([appointmentIds.balizhuang]);
    const checkIn = await call('functions/appointments/check-in-appointment.ts', 'POST /appointments/{id}/check-in', {
      caller: caseworker('balizhuang'),
      params: { id: appointmentIds.zizhuyuan! },
    });
    expect(checkIn).toMatchObject({ status: 404 });
  });

  it("shows a swiped resident of another centre, but none of that centre's cases", async () => {
    const swipe = (centre: string) =>
      call('functions/residents/find-resident.ts', 'GET /residents', { caller: caseworker(centre), query: { idNumber: idNumberFor(502) } });
    const here = await swipe('balizhuang');
    const there = await swipe('zizhuyuan');
    expect(here.body.openCases.map((c: { id: string }) => c.id)).toEqual([caseIds.balizhuang]);
    expect(there).toMatchObject({ status: 200, body: { userId: 'res-balizhuang', openCases: [], todaysAppointments: [] } });
  });

  it("counts each case in its own centre's figures; a city supervisor compares the centres", async () => {
    const stats = (caller: TestCaller, query: Record<string, string> = {}) => call('functions/stats/get-stats.ts', 'GET /stats', { caller, query });
    const submitted = (body: { categories: { centre: string; category: string; submitted: number }[] }, centre: string) =>
      body.categories.find((row) => row.centre === centre && row.category === 'employment')?.submitted;

    const own = await stats(supervisor('zizhuyuan'));
    const city = await stats(supervisor('*'));
    const cityOne = await stats(supervisor('*'), { centre: 'balizhuang' });
    const nosy = await stats(supervisor('zizhuyuan'), { centre: 'balizhuang' });

    expect(own.body.categories.every((row: { centre: string }) => row.centre === 'zizhuyuan')).toBe(true);
    expect(submitted(own.body, 'zizhuyuan')).toBe(1);
    expect(city.body.centre).toBeNull();
    expect(city.body.categories).toHaveLength(3 * CATEGORIES.length);
    expect([submitted(city.body, 'zizhuyuan'), submitted(city.body, 'balizhuang'), submitted(city.body, 'huilongguan')]).toEqual([1, 1, 0]);
    expect(cityOne.body.categories.map((row: { centre: string }) => row.centre)).toEqual(CATEGORIES.map(() => 'balizhuang'));
    expect(nosy).toMatchObject({ status: 403 });
  });

  it('defaults the period of the report to this month so far, in Shanghai', async () => {
    const today = shanghaiDate(new Date());
    const res = await call('functions/stats/get-stats.ts', 'GET /stats', { caller: supervisor('zizhuyuan') });
    expect(res.body).toMatchObject({ from: `${today.slice(0, 8)}01`, to: today, centre: 'zizhuyuan' });
  });

  it('refuses staff whose account has no centre with 403', async () => {
    const res = await call('functions/tasks/list-tasks.ts', 'GET /tasks', { caller: { sub: 'cw-nowhere', role: 'staff', categories: ['employment'], centre: 'atlantis' } });
    expect(res).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });
});

describe('queue pages that stay full', () => {
  it('gives a caseworker full pages of their own work with 3 centres × 6 categories × 40 pending tasks in the table', async () => {
    const centres = ['zizhuyuan', 'balizhuang', 'huilongguan'];
    const today = shanghaiDate(new Date());
    const writes = centres.flatMap((centre) =>
      CATEGORIES.flatMap((category, c) =>
        Array.from({ length: 40 }, (_, i) => () => {
          const id = `C2026010${c}-${centre.slice(0, 3)}${String(i).padStart(3, '0')}-R1S1`;
          return openTask(
            { id, caseId: id.slice(0, -5), centre, matter: 'm', category: category.code, role: 'caseworker', stepIndex: 0, dueDate: addDays(today, i % 17) },
            `token-${id}`,
            new Date().toISOString(),
          );
        }),
      ),
    );
    for (let i = 0; i < writes.length; i += 40) await Promise.all(writes.slice(i, i + 40).map((write) => write()));

    const me: TestCaller = { sub: 'cw-pages', role: 'staff', categories: ['social-insurance', 'employment'], centre: 'huilongguan' };
    const pages: { id: string; dueDate: string; category: string }[][] = [];
    let cursor: string | undefined;
    do {
      const res = await call('functions/tasks/list-tasks.ts', 'GET /tasks', { caller: me, query: { limit: '10', ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      pages.push(res.body.items);
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);

    const all = pages.flat();
    expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);
    expect(all).toHaveLength(80);
    expect(new Set(all.map((t) => t.id)).size).toBe(80);
    expect(all.every((t) => t.id.includes('-hui') && ['social-insurance', 'employment'].includes(t.category))).toBe(true);
    expect(all.map((t) => t.dueDate)).toEqual(all.map((t) => t.dueDate).sort());
  });
});

describe('a table written before centres existed', () => {
  it('still answers GET /cases, GET /tasks and GET /stats after the migration at start-up', async () => {
    const day = '2025-06-02';
    const id = 'C20250101-0001';
    const put = (Item: Record<string, unknown>) => db.send(new UpdateCommand({ TableName: tableName, Key: { pk: Item.pk, sk: Item.sk }, ...setAll(Item) }));
    await put({
      ...caseKeys.item(id),
      id,
      residentId: 'v1-resident',
      matter: 'unemployment-registration',
      category: 'employment',
      status: 'in_review',
      round: 1,
      submittedAt: `${day}T01:00:00.000Z`,
      dueDate: day,
      currentStep: { index: 0, role: 'caseworker', dueDate: day, taskId: `${id}-R1S1` },
      plan: null,
      materials: [],
      missingMaterials: [],
      history: [{ at: `${day}T01:00:00.000Z`, status: 'submitted', actor: 'v1-resident' }],
      gsi1pk: 'OWNER#v1-resident',
      gsi1sk: `CASE#${day}T01:00:00.000Z#${id}`,
    });
    await put({
      pk: `TASK#${id}-R1S1`,
      sk: 'TASK',
      id: `${id}-R1S1`,
      caseId: id,
      matter: 'unemployment-registration',
      category: 'employment',
      role: 'caseworker',
      stepIndex: 0,
      dueDate: day,
      status: 'pending',
      overdue: false,
      openedAt: `${day}T01:00:00.000Z`,
      taskToken: 'v1-token',
      gsi1pk: 'TASKS#pending#caseworker',
      gsi1sk: `${day}#${id}-R1S1`,
    });
    await put({ pk: `STATS#${day}`, sk: 'CATEGORY#employment', submitted: 4, approved: 1 });

    expect(await migrateToCentres()).toBeGreaterThanOrEqual(3);
    expect(await migrateToCentres()).toBe(0);

    const cases = await call('functions/cases/list-cases.ts', 'GET /cases', { caller: { sub: 'v1-resident', role: 'resident' } });
    const tasks = await call('functions/tasks/list-tasks.ts', 'GET /tasks', { caller: { sub: 'cw-v1', role: 'staff', categories: ['employment'], centre: 'zizhuyuan' } });
    const stats = await call('functions/stats/get-stats.ts', 'GET /stats', { caller: supervisor('zizhuyuan'), query: { from: day, to: day } });

    expect(cases.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(tasks.body.items.map((t: { id: string }) => t.id)).toContain(`${id}-R1S1`);
    expect(stats.body.categories.find((row: { category: string }) => row.category === 'employment')).toMatchObject({ submitted: 4, approved: 1 });
  });
});

describe('a rating that races another write of its case', () => {
  it('never answers 5xx, and stores the rating once', async () => {
    const resident = await residentOf('res-racing', 503, 'sunshine-garden');
    const id = 'C20250102-0001';
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: caseKeys.item(id),
        ...setAll({ id, residentId: 'res-racing', centre: 'zizhuyuan', matter: 'unemployment-registration', category: 'employment', status: 'approved', history: [], gsi1pk: caseKeys.owner('res-racing') }),
      }),
    );
    const touches = Array.from({ length: 30 }, (_, i) =>
      db.send(new UpdateCommand({ TableName: tableName, Key: caseKeys.item(id), UpdateExpression: 'SET touched = :i', ExpressionAttributeValues: { ':i': i } })),
    );
    const ratings = Array.from({ length: 4 }, () =>
      call('functions/cases/rate-case.ts', 'POST /cases/{id}/rating', { caller: resident, params: { id }, body: { score: 2 } }),
    );
    const answers = await Promise.all(ratings);
    await Promise.all(touches);

    expect(answers.every((a) => a.status < 500)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(['already_rated', 'already_rated', 'already_rated']);
    expect((await getCase(id))?.rating?.score).toBe(2);
  });
});

/** An UpdateItem that writes every attribute of `item` but its key. */
function setAll(item: Record<string, unknown>) {
  const entries = Object.entries(item).filter(([name]) => name !== 'pk' && name !== 'sk');
  return {
    UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
  };
}
