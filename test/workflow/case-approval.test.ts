// The real statemachines/case-approval.asl.json on the local ASL engine, with the real task Lambdas and
// handlers against DynamoDB Local.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { readOutbox } from '../../infra/local/outbox.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { type Case } from '../../shared/domain/cases.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { shanghaiDate, workingDaysAfter } from '../../shared/domain/calendar.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { handler as addMaterials } from '../../functions/cases/add-materials.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import { handler as listTasks } from '../../functions/tasks/list-tasks.ts';
import { VERIFIED } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { atStep as atStepOf, caseReaches, loadEntry, startEngine, type Handler } from '../support/workflow-harness.ts';

const outbox = () => readOutbox(process.env.OUTBOX_FILE!);
const caseworker = (category: string): TestCaller => ({ sub: `cw-${category}`, role: 'staff', categories: [category] });
const supervisor: TestCaller = { sub: 'sup-1', role: 'supervisor' };

let residents = 0;
const withCheck = (first17: string) => first17 + checkCharacter(first17);
async function newResident(idNumber = '11010519491231002X'): Promise<TestCaller & { phone: string }> {
  residents++;
  const sub = `wf-resident-${residents}`;
  const phone = `+86139${String(residents).padStart(8, '0')}`;
  const male = Number(idNumber[16]) % 2 === 1;
  await saveResident({
    userId: sub,
    name: '测试居民',
    idNumber: withCheck(`${idNumber.slice(0, 14)}${String(residents).padStart(2, '0')}${idNumber.slice(16, 17)}`),
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    sex: male ? 'male' : 'female',
    phone,
    community: 'sunshine-garden',
    updatedAt: new Date().toISOString(),
    verification: VERIFIED,
  });
  return { sub, role: 'resident', phone };
}

const ALL_BACKPAY = [
  { type: 'id-card', ref: 'oss://id.jpg' },
  { type: 'labor-contract', ref: 'oss://contract.pdf' },
  { type: 'wage-statement', ref: 'oss://wages.pdf' },
];

async function submit(resident: TestCaller, matter: string, materials: { type: string; ref: string }[]) {
  const res = await invoke(submitCase, 'POST /cases', { caller: resident, body: { matter, materials } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const inStatus = (status: Case['status']) => (c: Case) => c.status === status;
const atStep = (taskId: string) => (id: string) => atStepOf(id, taskId);

async function decide(taskId: string, who: TestCaller, body: Record<string, unknown>) {
  return invoke(decideTask, 'POST /tasks/{id}/decision', { caller: who, params: { id: taskId }, body });
}

let engine: AslWorkflowEngine;
afterEach(async () => {
  await engine?.stop();
});

describe('case approval workflow', () => {
  it('accepts a complete single-step case, tells the resident the due date, and approves it', async () => {
    engine = startEngine();
    const resident = await newResident();

    const id = await submit(resident, 'social-insurance-backpay', ALL_BACKPAY);
    const reviewed = await atStep(`${id}-R1S1`)(id);
    const approved = await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: 'approve', comment: '材料齐全' });
    const done = await caseReaches(id, inStatus('approved'));
    await engine.finished(`${id}-1`);

    expect(reviewed.status).toBe('in_review');
    expect(reviewed.dueDate).toBe(workingDaysAfter(shanghaiDate(new Date()), 3));
    expect(approved).toMatchObject({ status: 200, body: { status: 'decided', decision: 'approve' } });
    expect(done.history.map((h) => h.status)).toEqual(['submitted', 'in_review', 'approved']);
    expect(done.currentStep).toBeNull();
    const sms = outbox().filter((m) => m.to === resident.phone);
    expect(sms.map((m) => m.template)).toEqual(['case-accepted', 'case-approved']);
    expect(sms[0]!.body).toMatch(new RegExp(`^【智慧社区】.*${id}.*预计\\d+月\\d+日前审核完成`));
    for (const m of sms) expect(m.body).toContain(id);
    expect(outbox().some((m) => m.to === 'staff:zizhuyuan:caseworker:social-insurance' && m.template === 'task-opened' && m.body.includes(id))).toBe(true);
  });

  it('returns a case with every missing material at once, and reviews it again when they are added', async () => {
    engine = startEngine();
    const resident = await newResident();

    const id = await submit(resident, 'social-insurance-backpay', [ALL_BACKPAY[0]!]);
    const returned = await caseReaches(id, inStatus('returned'));
    await engine.finished(`${id}-1`);
    const resubmitted = await invoke(addMaterials, 'POST /cases/{id}/materials', {
      caller: resident,
      params: { id },
      body: { materials: ALL_BACKPAY.slice(1) },
    });
    await atStep(`${id}-R2S1`)(id);

    expect(returned.missingMaterials).toEqual(['labor-contract', 'wage-statement']);
    expect(resubmitted).toMatchObject({ status: 200, body: { status: 'submitted' } });
    const sms = outbox().filter((m) => m.to === resident.phone);
    expect(sms[0]).toMatchObject({ template: 'case-returned' });
    expect(sms[0]!.body).toContain('劳动合同、工资流水');
  });

  it('returns a retirement case of a man under 60 with reason under_retirement_age', async () => {
    engine = startEngine();
    const resident = await newResident('110105198001010019');

    const id = await submit(resident, 'retirement', [{ type: 'id-card', ref: 'a' }, { type: 'personnel-file', ref: 'b' }]);
    const returned = await caseReaches(id, inStatus('returned'));

    expect(returned).toMatchObject({ reason: 'under_retirement_age', missingMaterials: [] });
  });

  it('runs a two-step chain: the caseworker approves, then the supervisor', async () => {
    engine = startEngine();
    const resident = await newResident();

    const id = await submit(resident, 'retirement', [{ type: 'id-card', ref: 'a' }, { type: 'personnel-file', ref: 'b' }]);
    await atStep(`${id}-R1S1`)(id);
    const supervisorTooEarly = await decide(`${id}-R1S1`, supervisor, { decision: 'approve' });
    await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: 'approve' });
    const second = await atStep(`${id}-R1S2`)(id);
    const queue = await invoke(listTasks, 'GET /tasks', { caller: supervisor, query: { status: 'pending' } });
    const caseworkerOnSupervisorStep = await decide(`${id}-R1S2`, caseworker('social-insurance'), { decision: 'approve' });
    await decide(`${id}-R1S2`, supervisor, { decision: 'approve' });
    const done = await caseReaches(id, inStatus('approved'));

    expect(supervisorTooEarly.status).toBe(403);
    expect(second.currentStep).toMatchObject({ role: 'supervisor', dueDate: second.dueDate });
    expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(`${id}-R1S2`);
    expect(caseworkerOnSupervisorStep.status).toBe(403);
    expect(done.history.map((h) => h.actor)).toEqual([resident.sub, 'system', 'cw-social-insurance', 'sup-1']);
  });

  it('rejects as a business outcome, with the reason, and tells the resident', async () => {
    engine = startEngine();
    const resident = await newResident();

    const id = await submit(resident, 'social-insurance-backpay', ALL_BACKPAY);
    await atStep(`${id}-R1S1`)(id);
    await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: 'reject', comment: '缴费年限不符' });
    const done = await caseReaches(id, inStatus('rejected'));
    await engine.finished(`${id}-1`);

    expect(done.reason).toBe('缴费年限不符');
    expect(outbox().filter((m) => m.to === resident.phone).at(-1)).toMatchObject({ template: 'case-rejected' });
    expect((await engine.finished(`${id}-1`))?.status).toBe('succeeded');
  });

  it('sends a case back on a return decision, and approves it after the resident adds the material', async () => {
    engine = startEngine();
    const resident = await newResident();

    const id = await submit(resident, 'social-insurance-backpay', ALL_BACKPAY);
    await atStep(`${id}-R1S1`)(id);
    await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: 'return', missingMaterials: ['wage-statement'], comment: '工资流水不清晰' });
    const returned = await caseReaches(id, inStatus('returned'));
    await invoke(addMaterials, 'POST /cases/{id}/materials', { caller: resident, params: { id }, body: { materials: [{ type: 'wage-statement', ref: 'v2' }] } });
    await atStep(`${id}-R2S1`)(id);
    await decide(`${id}-R2S1`, caseworker('social-insurance'), { decision: 'approve' });
    const done = await caseReaches(id, inStatus('approved'));

    expect(returned.missingMaterials).toEqual(['wage-statement']);
    expect(done.materials.find((m) => m.type === 'wage-statement')).toEqual({ type: 'wage-statement', ref: 'v2' });
    expect(done.history.map((h) => h.status)).toEqual(['submitted', 'in_review', 'returned', 'submitted', 'in_review', 'approved']);
  });

  it('escalates a step that times out to the supervisors, marks it overdue, and still completes', async () => {
    engine = startEngine({ maxWaitMs: 200 });
    const resident = await newResident();

    const id = await submit(resident, 'birth-permit', [
      { type: 'id-card', ref: 'a' },
      { type: 'marriage-certificate', ref: 'b' },
      { type: 'household-register', ref: 'c' },
    ]);
    await vi.waitFor(async () => expect((await getTask(`${id}-R1S1`))?.overdue).toBe(true), { timeout: 15_000, interval: 50 });
    await decide(`${id}-R1S1`, caseworker('family-health'), { decision: 'approve' });
    await caseReaches(id, inStatus('approved'));

    const escalations = outbox().filter((m) => m.template === 'task-escalated' && m.reference === `${id}-R1S1`);
    expect(escalations.length).toBeGreaterThan(0);
    expect(escalations[0]!.to).toBe('staff:zizhuyuan:supervisor:family-health');
  });

  it('marks the case failed with the reason when a task keeps failing', async () => {
    const failingApply: Handler = async () => {
      throw new Error('DynamoDB unavailable');
    };
    engine = startEngine({ loadHandler: (entry) => (entry.endsWith('apply-decision.ts') ? Promise.resolve(failingApply) : loadEntry(entry)) });
    const resident = await newResident();

    const id = await submit(resident, 'social-insurance-backpay', ALL_BACKPAY);
    await atStep(`${id}-R1S1`)(id);
    await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: 'approve' });
    const failed = await caseReaches(id, inStatus('failed'));
    await engine.finished(`${id}-1`);

    expect(failed.reason).toContain('DynamoDB unavailable');
    expect(failed.history.at(-1)).toMatchObject({ status: 'failed', actor: 'system' });
    expect(outbox().filter((m) => m.to === resident.phone).at(-1)).toMatchObject({ template: 'case-failed' });
    expect((await engine.finished(`${id}-1`))?.status).toBe('failed');
  });

  it('lets exactly one of 8 simultaneous decisions through; the others get 409 already_decided', async () => {
    engine = startEngine();
    const resident = await newResident();
    const id = await submit(resident, 'social-insurance-backpay', ALL_BACKPAY);
    await atStep(`${id}-R1S1`)(id);

    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: i % 2 ? 'approve' : 'reject' })),
    );

    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'already_decided')).toHaveLength(7);
    const done = await caseReaches(id, (c) => c.status === 'approved' || c.status === 'rejected');
    expect(done.history.filter((h) => h.status === 'approved' || h.status === 'rejected')).toHaveLength(1);
  });

  it('survives a restart between submission and decision: the waiting step is resumed from disk', async () => {
    const first = startEngine();
    engine = first;
    const resident = await newResident();
    const id = await submit(resident, 'social-insurance-backpay', ALL_BACKPAY);
    await atStep(`${id}-R1S1`)(id);
    await first.stop();

    engine = startEngine({ dir: (first as unknown as { options: { dir: string } }).options.dir });
    expect(engine.resumeUnfinished()).toBe(1);
    await vi.waitFor(() => expect(engine.waitingToken(`${id}-1`)).toBeDefined(), { timeout: 5_000, interval: 20 });
    const decision = await decide(`${id}-R1S1`, caseworker('social-insurance'), { decision: 'approve' });
    const done = await caseReaches(id, inStatus('approved'));

    expect(decision.status).toBe(200);
    expect(done.status).toBe('approved');
    expect(outbox().filter((m) => m.template === 'task-opened' && m.reference === `${id}-R1S1`)).toHaveLength(1);
  });
});
