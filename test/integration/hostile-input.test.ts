// Issue 18, the requests of "Seen" (items 1–9), each as a named regression against the real handlers and
// DynamoDB Local: the exact request of the report is a 4xx with its field path, nothing is written, and a
// forged cursor never reaches DynamoDB.

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as bookAppointment } from '../../functions/appointments/book-appointment.ts';
import { handler as cancelAppointment } from '../../functions/appointments/cancel-appointment.ts';
import { handler as checkIn } from '../../functions/appointments/check-in-appointment.ts';
import { handler as listAppointments } from '../../functions/appointments/list-appointments.ts';
import { handler as listSlots } from '../../functions/appointments/list-slots.ts';
import { handler as importBills } from '../../functions/bills/import-bills.ts';
import { handler as listBills } from '../../functions/bills/list-bills.ts';
import { handler as payBill } from '../../functions/bills/pay-bill.ts';
import { handler as addMaterials } from '../../functions/cases/add-materials.ts';
import { handler as getCase } from '../../functions/cases/get-case.ts';
import { handler as listCases } from '../../functions/cases/list-cases.ts';
import { handler as rateCase } from '../../functions/cases/rate-case.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as listFacilities } from '../../functions/facilities/list-facilities.ts';
import { handler as listNotices } from '../../functions/notices/list-notices.ts';
import { handler as publishNotice } from '../../functions/notices/publish-notice.ts';
import { handler as putMe } from '../../functions/residents/put-me.ts';
import { handler as getStats } from '../../functions/stats/get-stats.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import { handler as listTasks } from '../../functions/tasks/list-tasks.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { seedDemoFacilities } from '../../infra/local/demo-facilities.ts';
import { db } from '../../shared/data/client.ts';
import { getCase as readCase } from '../../shared/data/cases.ts';
import { billKeys, caseKeys, facilityKeys, taskKeys, appointmentKeys } from '../../shared/data/keys.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { nextWorkingDay, residentWithProfile, today } from '../support/appointment-fixtures.ts';

const STAFF: TestCaller = { sub: 'hostile-staff', role: 'staff', categories: ['social-insurance', 'employment'] };
const SUPERVISOR: TestCaller = { sub: 'hostile-supervisor', role: 'supervisor' };
const cursorOf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const outboxSize = () => readOutbox(process.env.OUTBOX_FILE!).length;

let resident: TestCaller;
beforeAll(async () => {
  resident = await residentWithProfile('hostile-resident', 800);
  await seedDemoFacilities('sunshine-garden');
});

afterEach(() => vi.restoreAllMocks());

/** Every Query DynamoDB was sent while `run` ran, so a test can prove a forged start key never left. */
async function queriesDuring(run: () => Promise<unknown>): Promise<QueryCommand['input'][]> {
  const send = vi.spyOn(db, 'send');
  await run();
  const queries = send.mock.calls.map(([command]) => command as unknown).filter((command) => command instanceof QueryCommand);
  send.mockRestore();
  return queries.map((q) => (q as QueryCommand).input);
}

describe('item 1: a forged list cursor is 400 at cursor on every list route, and never reaches DynamoDB', () => {
  const date = nextWorkingDay();
  const owner = caseKeys.owner('hostile-resident');
  /** Each list: how to call it, and a start key that list could really hand out (to forge variants of). */
  const lists: { name: string; call: (cursor: string) => Promise<{ status: number; body: any }>; genuine: Record<string, string>; outside: Record<string, string> }[] = [
    {
      name: 'GET /facilities (anonymous)',
      call: (cursor) => invoke(listFacilities, 'GET /facilities', { query: { community: 'sunshine-garden', kind: 'shelter', cursor } }),
      genuine: { ...facilityKeys.item('sunshine-garden', 'shelter', 'f-1') },
      outside: { ...facilityKeys.item('sunshine-garden', 'civil-defense', 'f-1') },
    },
    {
      name: 'GET /cases',
      call: (cursor) => invoke(listCases, 'GET /cases', { caller: resident, query: { cursor } }),
      genuine: { ...caseKeys.item('C20261202-0001'), gsi1pk: owner, gsi1sk: caseKeys.ownerOrder('2026-12-02T00:00:00.000Z', 'C20261202-0001') },
      outside: { ...caseKeys.item('C20261202-0001'), gsi1pk: owner, gsi1sk: appointmentKeys.ownerOrder(date, '09:00', 'AP1') },
    },
    {
      name: "GET /appointments (a resident's)",
      call: (cursor) => invoke(listAppointments, 'GET /appointments', { caller: resident, query: { cursor } }),
      genuine: { ...appointmentKeys.item('AP1'), gsi1pk: owner, gsi1sk: appointmentKeys.ownerOrder(date, '09:00', 'AP1') },
      outside: { ...appointmentKeys.item('AP1'), gsi1pk: owner, gsi1sk: caseKeys.ownerOrder('2026-12-02T00:00:00.000Z', 'C1') },
    },
    {
      name: "GET /appointments (staff: a window's day)",
      call: (cursor) => invoke(listAppointments, 'GET /appointments', { caller: STAFF, query: { category: 'social-insurance', date, cursor } }),
      genuine: { ...appointmentKeys.item('AP1'), gsi2pk: appointmentKeys.dayList('zizhuyuan', 'social-insurance', date), gsi2sk: appointmentKeys.dayOrder(1) },
      outside: { ...appointmentKeys.item('AP1'), gsi2pk: appointmentKeys.dayList('balizhuang', 'social-insurance', date), gsi2sk: appointmentKeys.dayOrder(1) },
    },
    {
      name: 'GET /bills',
      call: (cursor) => invoke(listBills, 'GET /bills', { caller: resident, query: { cursor } }),
      genuine: { ...billKeys.item('B1'), gsi1pk: billKeys.ofResident('hostile-resident', 'unpaid'), gsi1sk: billKeys.residentOrder('2026-12-20', 'B1') },
      outside: { ...billKeys.item('B1'), gsi1pk: billKeys.ofResident('hostile-resident', 'paid'), gsi1sk: billKeys.residentOrder('2026-12-20', 'B1') },
    },
  ];

  /** The forgeries of the report, made from one genuine key. */
  const forgeries = (genuine: Record<string, string>, outside: Record<string, string>): [string, string][] => {
    const [partitionName, sortName] = Object.keys(genuine).length === 2 ? ['pk', 'sk'] : Object.keys(genuine).slice(2);
    const { [sortName!]: _sort, ...withoutSort } = genuine;
    return [
      ['the partition alone', cursorOf({ [partitionName!]: genuine[partitionName!] })],
      ['a missing sort key', cursorOf(withoutSort)],
      ['a number for a string', cursorOf({ ...genuine, [sortName!]: 5 })],
      ['1e308', cursorOf(`{${Object.entries(genuine).map(([k, v]) => `"${k}":${k === sortName ? '1e308' : JSON.stringify(v)}`).join(',')}}`)],
      ['empty strings', cursorOf({ ...genuine, pk: '', sk: '' })],
      ['an extra attribute', cursorOf({ ...genuine, gsi9pk: 'x' })],
      ['a sort key outside the key condition', cursorOf(outside)],
      ['a key longer than DynamoDB allows', cursorOf({ ...genuine, sk: 'x'.repeat(1025) })],
      ['another resident’s partition', cursorOf({ ...genuine, [partitionName!]: `${genuine[partitionName!]}x` })],
      ['not JSON', cursorOf('{"pk":')],
      ['an array', cursorOf([genuine])],
      ['not base64url', '!!!!'],
    ];
  };

  for (const list of lists) {
    it(`${list.name}: every forgery is 400 at cursor with no Query sent, and a genuine key still pages`, async () => {
      for (const [forgery, cursor] of forgeries(list.genuine, list.outside)) {
        let res!: { status: number; body: any };
        const queries = await queriesDuring(async () => (res = await list.call(cursor)));
        expect(res.status, `${list.name}, ${forgery}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.errors, forgery).toEqual([{ path: 'cursor', message: 'not a cursor of this list' }]);
        expect(queries.filter((q) => q.ExclusiveStartKey !== undefined), forgery).toEqual([]);
      }
      expect((await list.call(cursorOf(list.genuine))).status).toBe(200);
    });
  }

  it('GET /notices (anonymous): a position cursor must be of this community, with one bounded position', async () => {
    const call = (cursor: string) => invoke(listNotices, 'GET /notices', { query: { community: 'sunshine-garden', cursor } });
    for (const forged of [
      { community: 'zizhuyuan', after: '1#2026-01-01' },
      { community: 'sunshine-garden' },
      { community: 'sunshine-garden', after: 5 },
      { community: 'sunshine-garden', after: '' },
      { community: 'sunshine-garden', after: 'x'.repeat(201) },
      { community: 'sunshine-garden', after: '1#x', extra: 'x' },
      [{ community: 'sunshine-garden', after: '1#x' }],
    ]) {
      expect(await call(cursorOf(forged)), JSON.stringify(forged)).toMatchObject({ status: 400, body: { errors: [{ path: 'cursor', message: 'not a cursor of this list' }] } });
    }
    expect((await call(cursorOf({ community: 'sunshine-garden', after: '1#2026-01-01' }))).status).toBe(200);
  });

  it('GET /tasks: a merged cursor with a forged position is 400 at cursor with no Query sent', async () => {
    const queue = taskKeys.queue('zizhuyuan', 'caseworker', 'employment');
    const position = { ...taskKeys.item('C20261202-0001-R1S1'), gsi1pk: queue, gsi1sk: taskKeys.queueOrder('2026-12-04', 'C20261202-0001-R1S1') };
    for (const positions of [
      [position],
      ['start', { ...position, gsi1sk: 7 }],
      [{ ...position, gsi1pk: taskKeys.queue('balizhuang', 'caseworker', 'employment') }, 'start'],
      ['start', { ...position, extra: 'x' }],
      ['start', 'middle'],
    ]) {
      let res!: { status: number; body: any };
      const queries = await queriesDuring(async () => (res = await invoke(listTasks, 'GET /tasks', { caller: STAFF, query: { cursor: cursorOf({ positions }) } })));
      expect(res, JSON.stringify(positions)).toMatchObject({ status: 400, body: { errors: [{ path: 'cursor' }] } });
      expect(queries).toEqual([]);
    }
    // The caseworker's queues in order: employment, then social-insurance.
    const genuine = cursorOf({ positions: [position, 'end'] });
    expect((await invoke(listTasks, 'GET /tasks', { caller: STAFF, query: { cursor: genuine } })).status).toBe(200);
  });
});

describe('item 2: impossible dates are 400 at the field, not a RangeError 500', () => {
  const IMPOSSIBLE = ['2026-13-01', '2026-12-32', '2026-00-10', '0000-00-00', '2026-02-30'];

  it('on GET /slots, GET /stats, staff GET /appointments, POST /appointments and POST /bills/import', async () => {
    for (const date of IMPOSSIBLE) {
      const answers = {
        'GET /slots': await invoke(listSlots, 'GET /slots', { caller: resident, query: { category: 'employment', date } }),
        'GET /stats': await invoke(getStats, 'GET /stats', { caller: SUPERVISOR, query: { from: date } }),
        'GET /appointments': await invoke(listAppointments, 'GET /appointments', { caller: STAFF, query: { category: 'employment', date } }),
        'POST /appointments': await invoke(bookAppointment, 'POST /appointments', { caller: resident, body: { category: 'employment', date, time: '09:00' } }),
        'POST /bills/import': await invoke(importBills, 'POST /bills/import', {
          caller: STAFF,
          body: { bills: [{ residentId: 'hostile-resident', kind: 'water', period: '2026-11', amount: 100, dueDate: date }] },
        }),
      };
      const paths = { 'GET /slots': 'query.date', 'GET /stats': 'query.from', 'GET /appointments': 'query.date', 'POST /appointments': 'date', 'POST /bills/import': 'bills.0.dueDate' };
      for (const [route, res] of Object.entries(answers)) {
        expect(res.status, `${route} ${date}`).toBe(400);
        expect(res.body.errors.map((e: { path: string }) => e.path), `${route} ${date}`).toContain(paths[route as keyof typeof paths]);
      }
    }
  });

  it('refuses a time of day that is no time (25:00, 09:60) at time', async () => {
    for (const time of ['25:00', '09:60', '9:00']) {
      const res = await invoke(bookAppointment, 'POST /appointments', { caller: resident, body: { category: 'employment', date: nextWorkingDay(), time } });
      expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'time' }] } });
    }
  });
});

describe('item 3: over-long ids are 400 at their path, not a DynamoDB key-size 500', () => {
  const long = `C20261202-${'1'.repeat(3000)}`;

  it('on the case, materials, rating and decision routes and the appointment and bill routes', async () => {
    const answers = [
      await invoke(getCase, 'GET /cases/{id}', { caller: resident, params: { id: long } }),
      await invoke(addMaterials, 'POST /cases/{id}/materials', { caller: resident, params: { id: long }, body: { materials: [{ type: 'id-card', ref: 'a' }] } }),
      await invoke(rateCase, 'POST /cases/{id}/rating', { caller: resident, params: { id: long }, body: { score: 5 } }),
      await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: STAFF, params: { id: `${long}-R1S1` }, body: { decision: 'approve' } }),
      await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: STAFF, params: { id: `C20261202-0001-R${'9'.repeat(4)}S1` }, body: { decision: 'approve' } }),
      await invoke(cancelAppointment, 'DELETE /appointments/{id}', { caller: resident, params: { id: `AP${'1'.repeat(3000)}` } }),
      await invoke(checkIn, 'POST /appointments/{id}/check-in', { caller: STAFF, params: { id: `AP${'1'.repeat(31)}` } }),
      await invoke(payBill, 'POST /bills/{id}/pay', { caller: resident, params: { id: 'B'.repeat(65) }, body: { amount: 1, method: 'wechat' }, headers: { 'idempotency-key': 'k' } }),
    ];
    for (const res of answers) expect(res, JSON.stringify(res.body)).toMatchObject({ status: 400, body: { errors: [{ path: 'path.id' }] } });
  });

  it('still finds nothing (404) for a well-formed id at its length limit', async () => {
    expect((await invoke(getCase, 'GET /cases/{id}', { caller: resident, params: { id: 'C20261202-999999' } })).status).toBe(404);
  });
});

describe('item 5: a token claiming far too many categories', () => {
  it('is 401 on GET /tasks with 101 categories, not a 500 from DynamoDB', async () => {
    const categories = Array.from({ length: 101 }, (_, i) => `category-${i}`);
    expect(await invoke(listTasks, 'GET /tasks', { caller: { ...STAFF, categories } })).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
  });

  it('reads one queue per catalog category it names, each once, however many unknown or repeated ones it lists', async () => {
    const categories = [...Array.from({ length: 28 }, (_, i) => `made-up-${i}`), 'employment', 'employment', 'social-insurance', 'social-insurance'];
    let res!: { status: number };
    const queries = await queriesDuring(async () => (res = await invoke(listTasks, 'GET /tasks', { caller: { ...STAFF, categories } })));
    expect(res.status).toBe(200);
    expect(queries.map((q) => q.ExpressionAttributeValues![':pk']).sort()).toEqual(
      [taskKeys.queue('zizhuyuan', 'caseworker', 'employment'), taskKeys.queue('zizhuyuan', 'caseworker', 'social-insurance')].sort(),
    );
  });
});

describe('item 6: idempotency records never collide across users whose ids contain #', () => {
  it('user "vic#k" with key "1" and user "vic" with key "k#1" each get their own case and note', async () => {
    const vicK = await residentWithProfile('vic#k', 801);
    const vic = await residentWithProfile('vic', 802);
    const materials = [{ type: 'id-card', ref: 'oss://id.jpg' }];
    const first = await invoke(submitCase, 'POST /cases', { caller: vic, body: { matter: 'residence-certificate', materials, note: 'vic 的申请' }, headers: { 'idempotency-key': 'k#1' } });
    const second = await invoke(submitCase, 'POST /cases', { caller: vicK, body: { matter: 'residence-certificate', materials, note: 'vic#k 的申请' }, headers: { 'idempotency-key': '1' } });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.note).toBe('vic#k 的申请');
    expect((await readCase(second.body.id))!.residentId).toBe('vic#k');
  });
});

describe('item 7: free text under one rule', () => {
  const notice = (overrides: Record<string, unknown>) => ({
    community: 'sunshine-garden',
    kind: 'general',
    title: '社区公告',
    body: '本周六上午九点在活动室举办健康讲座。',
    startsAt: new Date().toISOString(),
    ...overrides,
  });

  it('texts nobody a notice titled "\\u0000", nor one with a bidi override, a lone surrogate or a blank title', async () => {
    const before = outboxSize();
    for (const title of ['\u0000', '停水\u202E通知', 'x\uD800', '   ', '\u200B']) {
      const res = await invoke(publishNotice, 'POST /notices', { caller: STAFF, body: notice({ title }) });
      expect(res, JSON.stringify(title)).toMatchObject({ status: 400, body: { errors: [{ path: 'title' }] } });
    }
    expect(outboxSize()).toBe(before);
  });

  it('takes a newline in a notice body and a case note, and refuses one in a name or a title', async () => {
    expect((await invoke(publishNotice, 'POST /notices', { caller: STAFF, body: notice({ title: '一\n二' }) })).body.errors).toEqual([
      { path: 'title', message: 'control or bidi characters are not allowed' },
    ]);
    const name = await invoke(putMe, 'PUT /me', { caller: resident, body: { name: '王\n五', idNumber: '440524188001010014', phone: '13800138001', community: 'sunshine-garden' } });
    expect(name).toMatchObject({ status: 400, body: { errors: [{ path: 'name' }] } });
    const note = await invoke(submitCase, 'POST /cases', {
      caller: resident,
      body: { matter: 'residence-certificate', materials: [{ type: 'id-card', ref: 'oss://a' }], note: '第一行\n第二行' },
    });
    expect(note.status).toBe(201);
  });
});

describe('item 8: bounded what was accepted but wrong', () => {
  it('refuses a notice starting in 9999 with 422 at startsAt, naming today in Shanghai, and texts nobody', async () => {
    const before = outboxSize();
    const res = await invoke(publishNotice, 'POST /notices', {
      caller: STAFF,
      body: { community: 'sunshine-garden', kind: 'water-outage', title: '停水', body: '检修', startsAt: '9999-01-01T00:00:00Z' },
    });
    expect(res).toMatchObject({ status: 422, body: { errors: [{ path: 'startsAt' }] } });
    expect(res.body.detail).toContain(`today in Shanghai is ${today()}`);
    expect(outboxSize()).toBe(before);
  });

  it('refuses a notice that would run longer than a year, at endsAt', async () => {
    const startsAt = new Date().toISOString();
    const endsAt = new Date(Date.now() + 400 * 24 * 3600_000).toISOString();
    const res = await invoke(publishNotice, 'POST /notices', { caller: STAFF, body: { community: 'sunshine-garden', kind: 'general', title: '公告', body: '内容', startsAt, endsAt } });
    expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'endsAt' }] } });
  });

  it('refuses a bill for period 1900-01 at bills.0.period, and writes no bill', async () => {
    const res = await invoke(importBills, 'POST /bills/import', {
      caller: STAFF,
      body: { bills: [{ residentId: 'hostile-resident', kind: 'water', period: '1900-01', amount: 100, dueDate: '1900-02-01' }] },
    });
    expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'bills.0.period' }] } });
    expect((await invoke(listBills, 'GET /bills', { caller: resident })).body.items).toEqual([]);
  });

  it('refuses limit=0x10, 1e1 and " 10" at query.limit', async () => {
    for (const limit of ['0x10', '1e1', ' 10']) {
      expect(await invoke(listCases, 'GET /cases', { caller: resident, query: { limit } })).toMatchObject({ status: 400, body: { errors: [{ path: 'query.limit' }] } });
    }
  });
});

describe('item 9: refused bookings take no ticket number', () => {
  it('after 30 refused bookings (a full slot, a second booking of the day) the next resident gets the next number', async () => {
    // Employment has 2 windows at zizhuyuan: two residents fill the 09:00 slot.
    const date = nextWorkingDay();
    const [a, b, c] = await Promise.all([residentWithProfile('ticket-a', 810), residentWithProfile('ticket-b', 811), residentWithProfile('ticket-c', 812)]);
    const book = (who: TestCaller, time: string) => invoke(bookAppointment, 'POST /appointments', { caller: who, body: { category: 'employment', date, time } });
    expect((await book(a, '09:00')).body.ticket).toBe('E-001');
    expect((await book(b, '09:00')).body.ticket).toBe('E-002');

    const refused = [];
    for (let i = 0; i < 15; i++) refused.push(await book(c, '09:00'), await book(a, '10:00'));

    expect(refused.map((r) => r.body.code)).toEqual(Array.from({ length: 15 }, () => ['slot_full', 'duplicate_appointment']).flat());
    expect((await book(c, '09:30')).body.ticket).toBe('E-003');
  });
});
