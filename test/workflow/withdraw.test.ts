// Withdrawing a case (撤回): the real case-approval ASL on the local engine is stopped, the open step leaves
// every queue, a late decision is refused, the statistics count it, and a stop that failed is done later by
// the reconciler.

import { afterEach, describe, expect, it } from 'vitest';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { getCase, listCasesAwaitingStop } from '../../shared/data/cases.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as withdrawCase } from '../../functions/cases/withdraw-case.ts';
import { handler as getStats } from '../../functions/stats/get-stats.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import { handler as listTasks } from '../../functions/tasks/list-tasks.ts';
import { handler as reconcile } from '../../functions/workflow/reconcile-workflows.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { caseReaches, startEngine, stepPending } from '../support/workflow-harness.ts';

const caseworker: TestCaller = { sub: 'cw-withdraw', role: 'staff', categories: ['employment'] };
const supervisor: TestCaller = { sub: 'sup-withdraw', role: 'supervisor' };
const COMPLETE = [{ type: 'id-card', ref: 'a' }, { type: 'termination-proof', ref: 'b' }];

let engine: AslWorkflowEngine;
afterEach(async () => {
  await engine?.stop();
});

let serial = 700;
const resident = () => residentWithProfile(`withdraw-${++serial}`, serial);

async function submit(caller: TestCaller, materials = COMPLETE): Promise<string> {
  const res = await invoke(submitCase, 'POST /cases', { caller, body: { matter: 'unemployment-registration', materials } });
  expect(res.status).toBe(201);
  return res.body.id;
}


const withdraw = (caller: TestCaller, id: string) => invoke(withdrawCase, 'POST /cases/{id}/withdraw', { caller, params: { id } });
const withdrawnToday = async () => {
  const today = shanghaiDate(new Date());
  const stats = await invoke(getStats, 'GET /stats', { caller: supervisor, query: { from: today, to: today } });
  return stats.body.categories.find((c: { category: string }) => c.category === 'employment').withdrawn as number;
};
const queueOf = async (who: TestCaller) => (await invoke(listTasks, 'GET /tasks', { caller: who, query: { limit: '100' } })).body.items.map((t: { id: string }) => t.id);

describe('withdrawing a case', () => {
  it('ends a case waiting for a caseworker: no pending task anywhere, the run finished without failing, a late decision 409', async () => {
    engine = startEngine();
    const owner = await resident();
    const id = await submit(owner);
    const taskId = `${id}-R1S1`;
    await stepPending(taskId);
    expect(await queueOf(caseworker)).toContain(taskId);

    const res = await withdraw(owner, id);
    const run = await engine.finished(`${id}-1`);

    expect(res).toMatchObject({ status: 200, body: { id, status: 'withdrawn', currentStep: null, withdrawnAt: expect.any(String) } });
    expect(res.body.history.at(-1)).toMatchObject({ status: 'withdrawn', actor: '本人' });
    expect(run).toMatchObject({ status: 'aborted' });
    expect(engine.waitingToken(`${id}-1`)).toBeUndefined();
    expect(await getTask(taskId)).toMatchObject({ status: 'withdrawn' });
    expect(await queueOf(caseworker)).not.toContain(taskId);
    expect(await queueOf(supervisor)).not.toContain(taskId);
    expect(await listCasesAwaitingStop(100)).toEqual([]);

    const late = await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: caseworker, params: { id: taskId }, body: { decision: 'approve' } });
    expect(late).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect((await getCase(id))?.status).toBe('withdrawn');
    expect(readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.reference === id).map((m) => m.template)).toEqual(['case-accepted']);
  });

  it('withdraws a returned case, whose run has already ended, and counts every withdrawal in the statistics', async () => {
    engine = startEngine();
    const owner = await resident();
    const id = await submit(owner, [COMPLETE[0]!]);
    await caseReaches(id, (c) => c.status === 'returned');
    await engine.finished(`${id}-1`);

    const before = await withdrawnToday();
    const res = await withdraw(owner, id);

    expect(res).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
    expect((await engine.finished(`${id}-1`))?.status).toBe('succeeded');
    expect(await withdrawnToday()).toBe(before + 1);
  });

  it('refuses a case that can no longer be withdrawn with 409 invalid_state, and another resident’s with 404', async () => {
    engine = startEngine();
    const owner = await resident();
    const id = await submit(owner);
    await caseReaches(id, (c) => c.status === 'in_review');

    const stranger = await withdraw(await resident(), id);
    const first = await withdraw(owner, id);
    const again = await withdraw(owner, id);

    expect(stranger).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(first.status).toBe(200);
    expect(again).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
  });

  it('stops the run later, by the reconciler, when Step Functions could not be reached at the withdrawal', async () => {
    engine = startEngine();
    const owner = await resident();
    const id = await submit(owner);
    await stepPending(`${id}-R1S1`);

    useLocalWorkflowEngine(undefined);
    const res = await withdraw(owner, id);
    const marked = await listCasesAwaitingStop(100);
    useLocalWorkflowEngine(engine);
    const pass = await reconcile();

    expect(res).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
    expect(marked.map((c) => c.id)).toEqual([id]);
    expect(pass.stopped).toBe(1);
    expect((await engine.finished(`${id}-1`))?.status).toBe('aborted');
    expect(await listCasesAwaitingStop(100)).toEqual([]);
    expect(await getTask(`${id}-R1S1`)).toMatchObject({ status: 'withdrawn' });
  });
});
