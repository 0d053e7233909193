// A resident's case from submission to decision over HTTP on the real local platform, including a restart
// of the platform while the case waits for its caseworker.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const PROFILE = { name: '陈明', idNumber: '310104195802030014', phone: '13800138111', community: 'sunshine-garden' };
const MATERIALS = [
  { type: 'id-card', ref: 'oss://id.jpg' },
  { type: 'labor-contract', ref: 'oss://contract.pdf' },
  { type: 'wage-statement', ref: 'oss://wages.pdf' },
];

describe('cases over HTTP', () => {
  let server: RunningServer;
  let resident: ReturnType<typeof client>;
  let otherResident: ReturnType<typeof client>;
  let caseworker: ReturnType<typeof client>;
  let wrongWindow: ReturnType<typeof client>;

  const connect = async (url: string) => {
    resident = client(url, await tokenFor(url, 'e2e-resident', 'resident'));
    otherResident = client(url, await tokenFor(url, 'e2e-other', 'resident'));
    caseworker = client(url, await tokenFor(url, 'e2e-cw', 'staff', { categories: ['social-insurance'] }));
    wrongWindow = client(url, await tokenFor(url, 'e2e-cw-health', 'staff', { categories: ['family-health'] }));
  };

  beforeAll(async () => {
    server = await startServer();
    await connect(server.url);
    expect((await resident.put('/me', PROFILE)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  let caseId: string;

  it('submits a case, reviews it at once and tells the resident the due date by SMS', async () => {
    const submitted = await resident.post('/cases', { matter: 'social-insurance-backpay', materials: MATERIALS }, { 'idempotency-key': 'case-1' });
    caseId = submitted.body.id;

    const reviewed = await vi.waitFor(
      async () => {
        const res = await resident.get(`/cases/${caseId}`);
        if (res.body.status !== 'in_review' || !res.body.currentStep) throw new Error(res.body.status);
        return res;
      },
      { timeout: 15_000, interval: 100 },
    );
    // The SMS follows the transition to in_review: wait for it rather than race it.
    const sms = await vi.waitFor(
      async () => {
        const res = await client(server.url).get('/_local/outbox?to=13800138111');
        if (!res.body.some((m: { template: string }) => m.template === 'case-accepted')) throw new Error('no SMS yet');
        return res;
      },
      { timeout: 15_000, interval: 100 },
    );

    expect(submitted).toMatchObject({ status: 201, body: { status: 'submitted', matter: 'social-insurance-backpay', category: 'social-insurance' } });
    expect(caseId).toMatch(/^C\d{8}-\d{4}$/);
    expect(reviewed.body).toMatchObject({ status: 'in_review', currentStep: { role: 'caseworker' } });
    expect(reviewed.body.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sms.body.map((m: { template: string }) => m.template)).toContain('case-accepted');
    expect(JSON.stringify(sms.body)).not.toContain(PROFILE.idNumber);
  });

  it('answers a repeated submission with the same Idempotency-Key with the same case, and refuses another body under it', async () => {
    const again = await resident.post('/cases', { matter: 'social-insurance-backpay', materials: MATERIALS }, { 'idempotency-key': 'case-1' });
    const changed = await resident.post('/cases', { matter: 'social-insurance-backpay', materials: MATERIALS.slice(1) }, { 'idempotency-key': 'case-1' });

    expect(again).toMatchObject({ status: 201, body: { id: caseId } });
    expect(changed).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
    expect((await resident.get('/cases')).body.items).toHaveLength(1);
  });

  it("hides a case from another resident with 404", async () => {
    expect(await otherResident.get(`/cases/${caseId}`)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await otherResident.get('/cases')).body).toEqual({ items: [], nextCursor: null });
  });

  it('validates a submission with field paths', async () => {
    const res = await resident.post('/cases', { matter: 'social-insurance-backpay', materials: [{ type: 'passport', ref: 'x' }] });
    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path: 'materials.0.type' }] } });
  });

  it("shows the task in the caseworker's queue, without the task token", async () => {
    const queue = await caseworker.get('/tasks?status=pending');
    const task = queue.body.items.find((t: { caseId: string }) => t.caseId === caseId);

    expect(task).toMatchObject({ id: `${caseId}-R1S1`, role: 'caseworker', status: 'pending', overdue: false, category: 'social-insurance' });
    expect(JSON.stringify(queue.body)).not.toMatch(/token/i);
    expect((await wrongWindow.get('/tasks')).body.items.some((t: { caseId: string }) => t.caseId === caseId)).toBe(false);
  });

  it('refuses decisions from a resident (403), from another window (403) and unknown decisions (400)', async () => {
    const path = `/tasks/${caseId}-R1S1/decision`;
    expect(await resident.post(path, { decision: 'approve' })).toMatchObject({ status: 403 });
    expect(await wrongWindow.post(path, { decision: 'approve' })).toMatchObject({ status: 403 });
    expect(await caseworker.post(path, { decision: 'maybe' })).toMatchObject({ status: 400, body: { errors: [{ path: 'decision' }] } });
  });

  it('completes the case after a restart of the platform between submission and decision', async () => {
    expect(await server.stop()).toBe(0);
    server = await startServer(server.dataDir);
    await connect(server.url);

    const decided = await caseworker.post(`/tasks/${caseId}-R1S1/decision`, { decision: 'approve', comment: '同意补缴' });
    const twice = await caseworker.post(`/tasks/${caseId}-R1S1/decision`, { decision: 'reject' });
    const approved = await vi.waitFor(
      async () => {
        const res = await resident.get(`/cases/${caseId}`);
        if (res.body.status !== 'approved') throw new Error(res.body.status);
        return res;
      },
      { timeout: 15_000, interval: 100 },
    );

    expect(decided).toMatchObject({ status: 200, body: { status: 'decided', decision: 'approve' } });
    expect(twice).toMatchObject({ status: 409, body: { code: 'already_decided' } });
    expect(approved.body.history.map((h: { status: string }) => h.status)).toEqual(['submitted', 'in_review', 'approved']);
    await vi.waitFor(
      async () => {
        const sms = await client(server.url).get('/_local/outbox?to=%2B8613800138111');
        expect(sms.body.map((m: { template: string }) => m.template)).toContain('case-approved');
      },
      { timeout: 10_000, interval: 100 },
    );
  });
});
