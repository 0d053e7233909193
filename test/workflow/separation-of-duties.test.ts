// Issue 18 items 10 and 13 on the real approval workflow: nobody decides their own case, one person decides
// at most one step of a case in any round (四眼原则), and the resident's case history names the window or the
// staff member, never an account id.

import { afterEach, describe, expect, it } from 'vitest';
import { handler as addMaterials } from '../../functions/cases/add-materials.ts';
import { handler as getCaseRoute } from '../../functions/cases/get-case.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { getCase } from '../../shared/data/cases.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { getTask } from '../../shared/data/tasks.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { VERIFIED } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { atStep, caseReaches, startEngine } from '../support/workflow-harness.ts';

const RETIREMENT = [
  { type: 'id-card', ref: 'oss://id.jpg' },
  { type: 'personnel-file', ref: 'oss://file.pdf' },
];
const caseworker = (sub: string, name?: string): TestCaller => ({ sub, role: 'staff', categories: ['social-insurance'], ...(name ? { name } : {}) });
const supervisor = (sub: string, name?: string): TestCaller => ({ sub, role: 'supervisor', ...(name ? { name } : {}) });

let serial = 0;
/** A verified woman born 1949: her retirement case passes the automatic review. */
async function verifiedResident(sub: string): Promise<void> {
  const first17 = `11010519491231${String(100 + ++serial * 2)}`;
  await saveResident({
    userId: sub,
    name: '测试居民',
    idNumber: first17 + checkCharacter(first17),
    birthDate: '1949-12-31',
    sex: 'female',
    phone: `+86139${String(serial).padStart(8, '1')}`,
    community: 'sunshine-garden',
    updatedAt: new Date().toISOString(),
    verification: VERIFIED,
  });
}

const decide = (taskId: string, who: TestCaller, decision = 'approve', extra: Record<string, unknown> = {}) =>
  invoke(decideTask, 'POST /tasks/{id}/decision', { caller: who, params: { id: taskId }, body: { decision, ...extra } });
async function submitRetirement(applicant: TestCaller): Promise<string> {
  const res = await invoke(submitCase, 'POST /cases', { caller: applicant, body: { matter: 'retirement', materials: RETIREMENT } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

let engine: AslWorkflowEngine;
afterEach(async () => {
  await engine?.stop();
});

describe('separation of duties (四眼原则)', () => {
  it('refuses an account in the staff and supervisor groups that submitted a retirement case and tries to approve both of its steps', async () => {
    engine = startEngine();
    // One account in every group, working social insurance at the demo centre: the scenario of the report.
    const insider: TestCaller = { sub: 'insider-1', role: 'resident', groups: ['resident', 'staff', 'supervisor'], categories: ['social-insurance'] };
    await verifiedResident(insider.sub);
    const id = await submitRetirement(insider);

    await atStep(id, `${id}-R1S1`);
    const ownFirstStep = await decide(`${id}-R1S1`, insider);
    expect(ownFirstStep).toMatchObject({ status: 403, body: { code: 'separation_of_duties' } });
    expect((await getTask(`${id}-R1S1`))!.status).toBe('pending');

    expect((await decide(`${id}-R1S1`, caseworker('cw-honest'))).status).toBe(200);
    await atStep(id, `${id}-R1S2`);
    const ownSecondStep = await decide(`${id}-R1S2`, insider);
    expect(ownSecondStep).toMatchObject({ status: 403, body: { code: 'separation_of_duties' } });

    expect((await decide(`${id}-R1S2`, supervisor('sup-honest'))).status).toBe(200);
    await caseReaches(id, (c) => c.status === 'approved');
  });

  it('lets one person decide at most one step: a staff-and-supervisor account that approved step 1 may not approve step 2', async () => {
    engine = startEngine();
    await verifiedResident('applicant-2');
    const both: TestCaller = { sub: 'both-1', role: 'staff', groups: ['staff', 'supervisor'], categories: ['social-insurance'] };
    const id = await submitRetirement({ sub: 'applicant-2', role: 'resident' });

    await atStep(id, `${id}-R1S1`);
    expect((await decide(`${id}-R1S1`, both)).status).toBe(200);
    await atStep(id, `${id}-R1S2`);
    const second = await decide(`${id}-R1S2`, both);

    expect(second).toMatchObject({ status: 403, body: { code: 'separation_of_duties' } });
    expect(second.body.detail).toContain('step 1');
    expect((await decide(`${id}-R1S2`, supervisor('sup-other'))).status).toBe(200);
    await caseReaches(id, (c) => c.status === 'approved');
  });

  it('counts every round: who returned step 2 may not decide step 1 of the next round, yet may decide step 2 again', async () => {
    engine = startEngine();
    await verifiedResident('applicant-3');
    const applicant: TestCaller = { sub: 'applicant-3', role: 'resident' };
    const both: TestCaller = { sub: 'both-2', role: 'staff', groups: ['staff', 'supervisor'], categories: ['social-insurance'] };
    const id = await submitRetirement(applicant);

    await atStep(id, `${id}-R1S1`);
    expect((await decide(`${id}-R1S1`, caseworker('cw-round-1'))).status).toBe(200);
    await atStep(id, `${id}-R1S2`);
    expect((await decide(`${id}-R1S2`, both, 'return', { missingMaterials: ['personnel-file'] })).status).toBe(200);
    await caseReaches(id, (c) => c.status === 'returned');
    const added = await invoke(addMaterials, 'POST /cases/{id}/materials', { caller: applicant, params: { id }, body: { materials: [{ type: 'personnel-file', ref: 'oss://file-2.pdf' }] } });
    expect(added.status).toBe(200);

    await atStep(id, `${id}-R2S1`);
    expect(await decide(`${id}-R2S1`, both)).toMatchObject({ status: 403, body: { code: 'separation_of_duties' } });
    expect((await decide(`${id}-R2S1`, caseworker('cw-round-2'))).status).toBe(200);
    await atStep(id, `${id}-R2S2`);
    expect((await decide(`${id}-R2S2`, both)).status).toBe(200);
    await caseReaches(id, (c) => c.status === 'approved');
  });
});

describe("the resident's case history (item 13)", () => {
  it('names the window or the staff member on each decision, never an account id; staff keep the account for audits', async () => {
    engine = startEngine();
    await verifiedResident('history-1');
    const applicant: TestCaller = { sub: 'history-1', role: 'resident' };
    const id = await submitRetirement(applicant);
    await atStep(id, `${id}-R1S1`);
    expect((await decide(`${id}-R1S1`, caseworker('cw-7f3a9c', '张三'))).status).toBe(200);
    await atStep(id, `${id}-R1S2`);
    expect((await decide(`${id}-R1S2`, supervisor('sup-91b2'))).status).toBe(200);
    await caseReaches(id, (c) => c.status === 'approved');

    const seen = await invoke(getCaseRoute, 'GET /cases/{id}', { caller: applicant, params: { id } });

    expect(seen.body.history.map((h: { actor: string }) => h.actor)).toEqual(['本人', '系统', '社会保险窗口 张三', '科室负责人']);
    expect(JSON.stringify(seen.body)).not.toMatch(/cw-7f3a9c|sup-91b2/);
    expect((await getCase(id))!.history.map((h) => h.actor)).toEqual(['history-1', 'system', 'cw-7f3a9c', 'sup-91b2']);
  });
});
