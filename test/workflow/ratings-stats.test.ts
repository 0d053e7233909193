// Ratings (好差评) with the supervisors' follow-up of a low score, and the supervision statistics, on cases
// driven through the real case-approval state machine with the real task Lambdas and DynamoDB Local.
// Ratings use social-insurance cases; the statistics scenario uses the employment and social-assistance
// windows and staff of its own, so its exact numbers do not depend on the order of the tests.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../infra/local/outbox.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { handler as addMaterials } from '../../functions/cases/add-materials.ts';
import { handler as getCaseRoute } from '../../functions/cases/get-case.ts';
import { handler as rateCase } from '../../functions/cases/rate-case.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as getStats } from '../../functions/stats/get-stats.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import { handler as listTasks } from '../../functions/tasks/list-tasks.ts';
import { getCase } from '../../shared/data/cases.ts';
import { getTask, listDecisionsAwaitingResume } from '../../shared/data/tasks.ts';
import { type Case } from '../../shared/domain/cases.ts';
import { recordCaseEvent, recordStaffDecision } from '../../shared/data/stats.ts';
import { addDays, shanghaiDate, workingDaysAfter } from '../../shared/domain/calendar.ts';
import { residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { caseReaches, startEngine, stepPending } from '../support/workflow-harness.ts';

const HOUR = 3_600_000;
const supervisor: TestCaller = { sub: 'sup-ratings', role: 'supervisor' };
const caseworker = (category: string, sub = `cw-${category}`): TestCaller => ({ sub, role: 'staff', categories: [category] });
const BACKPAY = [
  { type: 'id-card', ref: 'oss://id.jpg' },
  { type: 'labor-contract', ref: 'oss://contract.pdf' },
  { type: 'wage-statement', ref: 'oss://wages.pdf' },
];

let engine: AslWorkflowEngine;
beforeAll(() => {
  engine = startEngine();
});
afterAll(async () => {
  await engine?.stop();
});

let serial = 0;
const newResident = () => residentWithProfile(`rs-resident-${++serial}`, 300 + serial);

async function submit(resident: TestCaller, matter: string, materials: { type: string; ref: string }[]) {
  const res = await invoke(submitCase, 'POST /cases', { caller: resident, body: { matter, materials } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const inStatus = (status: Case['status']) => (c: Case) => c.status === status;


const decide = (taskId: string, who: TestCaller, body: Record<string, unknown>) =>
  invoke(decideTask, 'POST /tasks/{id}/decision', { caller: who, params: { id: taskId }, body });

/** A single-step social-insurance case taken to the caseworker's decision and on to its outcome. */
async function decidedCase(resident: TestCaller, decision: 'approve' | 'reject') {
  const id = await submit(resident, 'social-insurance-backpay', BACKPAY);
  await stepPending(`${id}-R1S1`);
  await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision, comment: '经审核' });
  await caseReaches(id, inStatus(decision === 'approve' ? 'approved' : 'rejected'));
  return id;
}

const rate = (id: string, who: TestCaller, body: unknown) => invoke(rateCase, 'POST /cases/{id}/rating', { caller: who, params: { id }, body });

describe('rating a case (好差评)', () => {
  it('stores the rating of an approved case once, with its label, and shows it on the case', async () => {
    const resident = await newResident();
    const id = await decidedCase(resident, 'approve');

    const rated = await rate(id, resident, { score: 5, comment: '办理很快' });
    const shown = await invoke(getCaseRoute, 'GET /cases/{id}', { caller: resident, params: { id } });

    expect(rated).toMatchObject({ status: 201, body: { caseId: id, score: 5, label: '非常满意', comment: '办理很快' } });
    expect(shown.body.rating).toEqual({ score: 5, comment: '办理很快', at: rated.body.at });
    expect(await getTask(`${id}-F1`)).toBeUndefined();
  });

  it('lets a rejected case be rated too', async () => {
    const resident = await newResident();
    const id = await decidedCase(resident, 'reject');

    expect(await rate(id, resident, { score: 3 })).toMatchObject({ status: 201, body: { score: 3, label: '基本满意' } });
  });

  it("answers 404 for another resident's case, and leaves it unrated", async () => {
    const owner = await newResident();
    const other = await newResident();
    const id = await decidedCase(owner, 'approve');

    const res = await rate(id, other, { score: 1 });

    expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await getCase(id))!.rating).toBeUndefined();
  });

  it('returns 409 invalid_state for a case still in review', async () => {
    const resident = await newResident();
    const id = await submit(resident, 'social-insurance-backpay', BACKPAY);
    await stepPending(`${id}-R1S1`);

    const res = await rate(id, resident, { score: 4 });

    expect(res).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect((await getCase(id))!.rating).toBeUndefined();
  });

  it('returns 409 already_rated to a second rating, and keeps the first', async () => {
    const resident = await newResident();
    const id = await decidedCase(resident, 'approve');
    await rate(id, resident, { score: 4 });

    const again = await rate(id, resident, { score: 1, comment: '改评' });

    expect(again).toMatchObject({ status: 409, body: { code: 'already_rated' } });
    expect((await getCase(id))!.rating).toMatchObject({ score: 4 });
    expect(await getTask(`${id}-F1`)).toBeUndefined();
  });

  it('lets exactly one of 6 simultaneous ratings through; the others get 409 already_rated', async () => {
    const resident = await newResident();
    const id = await decidedCase(resident, 'approve');

    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => rate(id, resident, { score: (i % 5) + 1 })));

    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'already_rated')).toHaveLength(5);
    const winner = answers.find((a) => a.status === 201)!.body.score as number;
    expect((await getCase(id))!.rating?.score).toBe(winner);
  });

  describe('with an invalid body', () => {
    let resident: TestCaller;
    let id: string;
    beforeAll(async () => {
      resident = await newResident();
      id = await decidedCase(resident, 'approve');
    });

    it.each([
      ['a score of 0', { score: 0 }, 'score'],
      ['a score of 6', { score: 6 }, 'score'],
      ['a fractional score', { score: 3.5 }, 'score'],
      ['a score as text', { score: '5' }, 'score'],
      ['no score', { comment: '好' }, 'score'],
      ['a comment of 501 characters', { score: 5, comment: '好'.repeat(501) }, 'comment'],
      ['an unknown field', { score: 5, stars: 5 }, 'stars'],
    ])('answers 400 at the field for %s, and stores nothing', async (_what, body, path) => {
      const res = await rate(id, resident, body);

      expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path }] } });
      expect((await getCase(id))!.rating).toBeUndefined();
    });
  });
});

describe('the follow-up of a low rating', () => {
  let caseId: string;
  let followUpId: string;

  beforeAll(async () => {
    const resident = await newResident();
    caseId = await decidedCase(resident, 'reject');
    followUpId = `${caseId}-F1`;
    expect(await rate(caseId, resident, { score: 2, comment: '等待太久' })).toMatchObject({ status: 201, body: { label: '不满意' } });
  });

  it("opens a supervisor task due in 5 working days, in the supervisors' queue with the rating, not in the caseworkers'", async () => {
    const queue = await invoke(listTasks, 'GET /tasks', { caller: supervisor, query: { limit: '100' } });
    const caseworkers = await invoke(listTasks, 'GET /tasks', { caller: caseworker('social-insurance'), query: { limit: '100' } });

    const task = queue.body.items.find((t: { id: string }) => t.id === followUpId);
    expect(task).toMatchObject({
      caseId,
      role: 'supervisor',
      kind: 'follow-up',
      category: 'social-insurance',
      status: 'pending',
      overdue: false,
      dueDate: workingDaysAfter(shanghaiDate(new Date()), 5),
      case: { status: 'rejected', rating: { score: 2, comment: '等待太久' } },
    });
    expect(caseworkers.body.items.map((t: { id: string }) => t.id)).not.toContain(followUpId);
  });

  it("tells the category's supervisors", () => {
    const messages = readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.reference === followUpId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: 'staff:zizhuyuan:supervisor:social-insurance', template: 'rating-follow-up' });
    expect(messages[0]!.body).toContain(caseId);
    expect(messages[0]!.body).toContain('不满意');
  });

  it('may not be closed by a resident (403) or by a caseworker of the category (403)', async () => {
    const resident = await newResident();
    expect(await decide(followUpId, resident, { decision: 'approve', comment: '已回访' })).toMatchObject({ status: 403 });
    expect(await decide(followUpId, caseworker('social-insurance'), { decision: 'approve', comment: '已回访' })).toMatchObject({ status: 403 });
    expect((await getTask(followUpId))!.status).toBe('pending');
  });

  it('answers 400 to reject, return, or a close without a comment', async () => {
    const reject = await decide(followUpId, supervisor, { decision: 'reject', comment: '无' });
    const giveBack = await decide(followUpId, supervisor, { decision: 'return', comment: '无' });
    const silent = await decide(followUpId, supervisor, { decision: 'approve' });

    expect(reject).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path: 'decision' }] } });
    expect(giveBack).toMatchObject({ status: 400, body: { errors: [{ path: 'decision' }] } });
    expect(silent).toMatchObject({ status: 400, body: { errors: [{ path: 'comment' }] } });
    expect((await getTask(followUpId))!.status).toBe('pending');
  });

  it('is closed by a supervisor with approve, once, recording who closed it, and resumes no workflow', async () => {
    const closed = await decide(followUpId, supervisor, { decision: 'approve', comment: '已电话回访，居民表示理解' });
    const again = await decide(followUpId, { sub: 'sup-2', role: 'supervisor' }, { decision: 'approve', comment: '再次回访' });
    const queue = await invoke(listTasks, 'GET /tasks', { caller: supervisor, query: { limit: '100' } });

    expect(closed).toMatchObject({
      status: 200,
      body: { id: followUpId, kind: 'follow-up', status: 'decided', decision: 'approve', decidedBy: 'sup-ratings', comment: '已电话回访，居民表示理解' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'already_decided' } });
    expect((await getTask(followUpId))!.decidedBy).toBe('sup-ratings');
    expect(queue.body.items.map((t: { id: string }) => t.id)).not.toContain(followUpId);
    expect((await listDecisionsAwaitingResume(100)).map((t) => t.id)).not.toContain(followUpId);
    expect((await getCase(caseId))!.status).toBe('rejected');
  });

  it('is not opened by a score of 3', async () => {
    const resident = await newResident();
    const id = await decidedCase(resident, 'approve');
    await rate(id, resident, { score: 3 });

    expect(await getTask(`${id}-F1`)).toBeUndefined();
  });
});

describe('statistics', () => {
  const employmentCw = caseworker('employment', 'cw-stats-employment');
  const assistanceCw = caseworker('social-assistance', 'cw-stats-assistance');
  const statsSupervisor: TestCaller = { sub: 'sup-stats', role: 'supervisor' };
  const UNEMPLOYMENT = [
    { type: 'id-card', ref: 'a' },
    { type: 'termination-proof', ref: 'b' },
  ];
  const ALLOWANCE = [
    { type: 'id-card', ref: 'a' },
    { type: 'household-register', ref: 'b' },
    { type: 'income-proof', ref: 'c' },
  ];
  // A day either side, so a run across midnight in Shanghai still sees every event.
  const period = () => ({ from: addDays(shanghaiDate(new Date()), -1), to: addDays(shanghaiDate(new Date()), 1) });
  const stats = (query: Record<string, string>, who: TestCaller = supervisor) => invoke(getStats, 'GET /stats', { caller: who, query });
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  const avgHours = (spans: [string, string][]) => round(spans.reduce((sum, [a, b]) => sum + Date.parse(b) - Date.parse(a), 0) / HOUR / spans.length, 2);

  const known: Record<string, string> = {};

  beforeAll(async () => {
    const resident = await newResident();
    // Employment: approved and rated 4; rejected and rated 1; returned twice (by the automatic review, then
    // by the caseworker after the resident added the material). Social assistance: a two-step approval.
    known.approved = await submit(resident, 'unemployment-registration', UNEMPLOYMENT);
    known.rejected = await submit(resident, 'unemployment-registration', UNEMPLOYMENT);
    known.returned = await submit(resident, 'unemployment-registration', [UNEMPLOYMENT[0]!]);
    known.twoStep = await submit(resident, 'minimum-living-allowance', ALLOWANCE);

    await stepPending(`${known.approved}-R1S1`);
    await decide(`${known.approved}-R1S1`, employmentCw, { decision: 'approve' });
    await stepPending(`${known.rejected}-R1S1`);
    await decide(`${known.rejected}-R1S1`, employmentCw, { decision: 'reject', comment: '不符合条件' });

    await caseReaches(known.returned, inStatus('returned'));
    await invoke(addMaterials, 'POST /cases/{id}/materials', { caller: resident, params: { id: known.returned }, body: { materials: [UNEMPLOYMENT[1]!] } });
    await stepPending(`${known.returned}-R2S1`);
    await decide(`${known.returned}-R2S1`, employmentCw, { decision: 'return', missingMaterials: ['termination-proof'] });

    await stepPending(`${known.twoStep}-R1S1`);
    await decide(`${known.twoStep}-R1S1`, assistanceCw, { decision: 'approve' });
    await stepPending(`${known.twoStep}-R1S2`);
    await decide(`${known.twoStep}-R1S2`, statsSupervisor, { decision: 'approve' });

    await caseReaches(known.approved, inStatus('approved'));
    await caseReaches(known.rejected, inStatus('rejected'));
    await caseReaches(known.returned, (c) => c.status === 'returned' && c.round === 2);
    await caseReaches(known.twoStep, inStatus('approved'));
    expect((await rate(known.approved, resident, { score: 4 })).status).toBe(201);
    expect((await rate(known.rejected, resident, { score: 1 })).status).toBe(201);
  });

  it('reports each window and each staff member exactly as the cases went', async () => {
    const res = await stats(period());

    const [approved, rejected, twoStep] = await Promise.all([known.approved, known.rejected, known.twoStep].map((id) => getCase(id!)));
    const tasks = await Promise.all(
      [`${known.approved}-R1S1`, `${known.rejected}-R1S1`, `${known.returned}-R2S1`, `${known.twoStep}-R1S1`, `${known.twoStep}-R1S2`].map((id) => getTask(id)),
    );
    const span = (t: (typeof tasks)[number]): [string, string] => [t!.openedAt, t!.decidedAt!];
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(period());
    const byCategory = Object.fromEntries(res.body.categories.map((c: { category: string }) => [c.category, c]));
    expect(byCategory.employment).toEqual({
      centre: 'zizhuyuan',
      category: 'employment',
      name: '就业服务',
      submitted: 3,
      approved: 1,
      rejected: 1,
      returned: 2,
      onTimeRate: 1,
      avgHandlingHours: avgHours([
        [approved!.submittedAt, approved!.decidedAt!],
        [rejected!.submittedAt, rejected!.decidedAt!],
      ]),
      ratings: 2,
      avgRating: 2.5,
      withdrawn: 0,
      ticketsIssued: 0,
      ticketsServed: 0,
      avgWaitMinutes: null,
      avgServiceMinutes: null,
    });
    expect(byCategory['social-assistance']).toEqual({
      centre: 'zizhuyuan',
      category: 'social-assistance',
      name: '社会救助',
      submitted: 1,
      approved: 1,
      rejected: 0,
      returned: 0,
      onTimeRate: 1,
      avgHandlingHours: avgHours([[twoStep!.submittedAt, twoStep!.decidedAt!]]),
      ratings: 0,
      avgRating: null,
      withdrawn: 0,
      ticketsIssued: 0,
      ticketsServed: 0,
      avgWaitMinutes: null,
      avgServiceMinutes: null,
    });
    expect(byCategory['medical-insurance']).toMatchObject({ submitted: 0, approved: 0, onTimeRate: null, avgRating: null });
    const staff = Object.fromEntries(res.body.staff.map((s: { userId: string }) => [s.userId, s]));
    expect(staff['cw-stats-employment']).toEqual({ centre: 'zizhuyuan', userId: 'cw-stats-employment', decisions: 3, avgDecisionHours: avgHours(tasks.slice(0, 3).map(span)) });
    expect(staff['cw-stats-assistance']).toEqual({ centre: 'zizhuyuan', userId: 'cw-stats-assistance', decisions: 1, avgDecisionHours: avgHours([span(tasks[3])]) });
    expect(staff['sup-stats']).toEqual({ centre: 'zizhuyuan', userId: 'sup-stats', decisions: 1, avgDecisionHours: avgHours([span(tasks[4])]) });
  });

  it('counts an event recorded again (a retried workflow task) only once', async () => {
    const before = (await stats(period())).body;

    await recordCaseEvent((await getCase(known.approved!))!);
    await recordCaseEvent((await getCase(known.returned!))!);
    await recordStaffDecision((await getTask(`${known.approved}-R1S1`))!);
    await Promise.all(Array.from({ length: 4 }, async () => recordCaseEvent((await getCase(known.rejected!))!)));

    expect((await stats(period())).body).toEqual(before);
  });

  it('leaves days outside the period out', async () => {
    const yesterday = addDays(shanghaiDate(new Date()), -1);
    const res = await stats({ from: addDays(yesterday, -30), to: addDays(yesterday, -1) });

    expect(res.status).toBe(200);
    expect(res.body.categories.every((c: { submitted: number; ratings: number }) => c.submitted === 0 && c.ratings === 0)).toBe(true);
    expect(res.body.staff).toEqual([]);
  });

  it('is for supervisors only: staff and residents get 403', async () => {
    expect(await stats(period(), employmentCw)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await stats(period(), await newResident())).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('answers 400 for malformed or inverted dates, 422 for more than 366 days', async () => {
    expect(await stats({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ status: 400, body: { errors: [{ path: 'query.from' }] } });
    expect(await stats({ to: '2026-03-0' })).toMatchObject({ status: 400, body: { errors: [{ path: 'query.to' }] } });
    expect(await stats({ from: '2026-03-02', to: '2026-03-01' })).toMatchObject({ status: 400, body: { errors: [{ path: 'query.to' }] } });
    expect(await stats({ from: '2028-01-01', to: '2028-12-31' })).toMatchObject({ status: 200 });
    expect(await stats({ from: '2028-01-01', to: '2029-01-01' })).toMatchObject({ status: 422, body: { code: 'business_rule', errors: [{ path: 'query.to' }] } });
  });
});
