// Over HTTP on the real local platform: a resident rates a decided case poorly, a supervisor finds and
// closes the follow-up, and the supervisor's statistics show the window's numbers.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '../../shared/domain/calendar.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const PROFILE = { name: '赵磊', idNumber: '310104198502030016', phone: '13800138222', community: 'sunshine-garden' };
const MATERIALS = [
  { type: 'id-card', ref: 'oss://id.jpg' },
  { type: 'termination-proof', ref: 'oss://termination.pdf' },
];

describe('ratings and statistics over HTTP', () => {
  let server: RunningServer;
  let resident: ReturnType<typeof client>;
  let caseworker: ReturnType<typeof client>;
  let supervisor: ReturnType<typeof client>;
  let caseId: string;

  beforeAll(async () => {
    server = await startServer();
    resident = client(server.url, await tokenFor(server.url, 'e2e-rater', 'resident'));
    caseworker = client(server.url, await tokenFor(server.url, 'e2e-cw-employment', 'staff', { categories: ['employment'] }));
    supervisor = client(server.url, await tokenFor(server.url, 'e2e-sup', 'supervisor'));
    expect((await resident.put('/me', PROFILE)).status).toBe(200);

    caseId = (await resident.post('/cases', { matter: 'unemployment-registration', materials: MATERIALS })).body.id;
    await vi.waitFor(
      async () => expect((await caseworker.get('/tasks')).body.items.map((t: { id: string }) => t.id)).toContain(`${caseId}-R1S1`),
      { timeout: 15_000, interval: 100 },
    );
    expect((await caseworker.post(`/tasks/${caseId}-R1S1/decision`, { decision: 'approve' })).status).toBe(200);
    await vi.waitFor(async () => expect((await resident.get(`/cases/${caseId}`)).body.status).toBe('approved'), { timeout: 15_000, interval: 100 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('takes a rating once and shows it on the case', async () => {
    const rated = await resident.post(`/cases/${caseId}/rating`, { score: 1, comment: '窗口态度差' });
    const again = await resident.post(`/cases/${caseId}/rating`, { score: 5 });
    const shown = await resident.get(`/cases/${caseId}`);

    expect(rated).toMatchObject({ status: 201, body: { caseId, score: 1, label: '非常不满意', comment: '窗口态度差' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'already_rated' } });
    expect(shown.body.rating).toMatchObject({ score: 1, comment: '窗口态度差' });
  });

  it('puts the follow-up in the supervisors’ queue, where a supervisor closes it', async () => {
    const queue = await supervisor.get('/tasks?status=pending');
    const followUp = queue.body.items.find((t: { id: string }) => t.id === `${caseId}-F1`);
    const byResident = await resident.post(`/tasks/${caseId}-F1/decision`, { decision: 'approve', comment: '已处理' });
    const closed = await supervisor.post(`/tasks/${caseId}-F1/decision`, { decision: 'approve', comment: '已回访并道歉' });

    expect(followUp).toMatchObject({ kind: 'follow-up', role: 'supervisor', category: 'employment', case: { rating: { score: 1 } } });
    expect(byResident.status).toBe(403);
    expect(closed).toMatchObject({ status: 200, body: { status: 'decided', decidedBy: 'e2e-sup' } });
    expect((await supervisor.get('/tasks')).body.items.map((t: { id: string }) => t.id)).not.toContain(`${caseId}-F1`);
  });

  it("shows the supervisor the window's numbers, and nobody else", async () => {
    const today = (await resident.get(`/cases/${caseId}`)).body.submittedAt.slice(0, 10) as string;
    const period = `from=${addDays(today, -1)}&to=${addDays(today, 2)}`;

    const report = await supervisor.get(`/stats?${period}`);
    const byStaff = await caseworker.get(`/stats?${period}`);

    expect(report.status).toBe(200);
    expect(report.body.categories.find((c: { category: string }) => c.category === 'employment')).toMatchObject({
      submitted: 1,
      approved: 1,
      rejected: 0,
      returned: 0,
      onTimeRate: 1,
      ratings: 1,
      avgRating: 1,
    });
    expect(report.body.staff).toEqual([{ centre: 'zizhuyuan', userId: 'e2e-cw-employment', decisions: 1, avgDecisionHours: expect.any(Number) }]);
    expect(byStaff).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });
});
