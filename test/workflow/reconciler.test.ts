// Never stuck: a case whose review run could not be started, and a decision whose resume failed, are
// picked up by the reconciler job.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { getCase } from '../../shared/data/cases.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { useLocalWorkflowEngine } from '../../shared/ports/local-workflows.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import { handler as reconcile } from '../../functions/workflow/reconcile-workflows.ts';
import { invoke } from '../support/invoke.ts';
import { startEngine } from '../support/workflow-harness.ts';
import { VERIFIED } from '../support/appointment-fixtures.ts';

const resident = { sub: 'reconcile-resident', role: 'resident' as const };
const caseworker = { sub: 'cw-1', role: 'staff' as const, categories: ['employment'] };
const MATERIALS = [{ type: 'id-card', ref: 'a' }, { type: 'termination-proof', ref: 'b' }];

let engine: AslWorkflowEngine;
afterEach(async () => {
  await engine?.stop();
});

describe('reconciler', () => {
  it('starts the review run of a case written while Step Functions was unreachable', async () => {
    await saveResident({
      userId: resident.sub, name: '赵六', idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female',
      phone: '+8613700137000', community: 'sunshine-garden', updatedAt: new Date().toISOString(), verification: VERIFIED,
    });
    useLocalWorkflowEngine(undefined); // no engine: every start fails

    const submitted = await invoke(submitCase, 'POST /cases', { caller: resident, body: { matter: 'unemployment-registration', materials: MATERIALS } });
    const stuck = await getCase(submitted.body.id);
    engine = startEngine();
    const firstPass = await reconcile();
    const secondPass = await reconcile();

    expect(submitted.status).toBe(201);
    expect(stuck?.status).toBe('submitted');
    expect(firstPass.started).toBe(1);
    expect(secondPass.started).toBe(0);
    await vi.waitFor(async () => expect((await getCase(submitted.body.id))?.status).toBe('in_review'), { timeout: 10_000, interval: 50 });
  });

  it('hands over a recorded decision whose resume failed', async () => {
    engine = startEngine();
    const submitted = await invoke(submitCase, 'POST /cases', { caller: resident, body: { matter: 'unemployment-registration', materials: MATERIALS } });
    const taskId = `${submitted.body.id}-R1S1`;
    await vi.waitFor(async () => expect((await getTask(taskId))?.status).toBe('pending'), { timeout: 10_000, interval: 50 });

    useLocalWorkflowEngine(undefined); // the resume call fails
    const decided = await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: caseworker, params: { id: taskId }, body: { decision: 'approve' } });
    useLocalWorkflowEngine(engine);
    const pass = await reconcile();

    expect(decided.status).toBe(200);
    expect(pass.resumed).toBe(1);
    await vi.waitFor(async () => expect((await getCase(submitted.body.id))?.status).toBe('approved'), { timeout: 10_000, interval: 50 });
  });
});
