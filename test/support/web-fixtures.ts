// What the browser tests set up through the API instead of the pages (a journey clicks only its own part):
// residents with a profile, their ID numbers, a staff member's approval, a bill to pay, a notice to read.

import { expect, vi } from 'vitest';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { client, tokenFor } from './local-server.ts';

let sequence = 0;

/** A valid ID number nobody else in this run has: region 110105, born 1980-01-01 (well below 60), check character. */
export function freshIdNumber(): string {
  sequence++;
  const first17 = `11010519800101${String((process.pid * 7 + sequence) % 1000).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
}

export async function residentWithProfile(url: string, sub: string): Promise<string> {
  const token = await tokenFor(url, sub, 'resident');
  const res = await client(url, token).put('/me', { name: '测试居民', idNumber: freshIdNumber(), phone: '13800138123', community: 'sunshine-garden' });
  expect(res.status).toBe(200);
  return token;
}

/** The caseworker approves the case's open step once the workflow has opened it. */
export async function approveOpenStep(url: string, caseId: string, round: number): Promise<void> {
  const caseworker = client(url, await tokenFor(url, 'web-caseworker', 'staff', { categories: ['social-insurance', 'family-health', 'housing-civil'] }));
  const taskId = `${caseId}-R${round}S1`;
  await vi.waitFor(
    async () => {
      const queue = await caseworker.get('/tasks?status=pending&limit=100');
      expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    },
    { timeout: 15_000, interval: 200 },
  );
  expect((await caseworker.post(`/tasks/${taskId}/decision`, { decision: 'approve', comment: '材料齐全，同意' })).status).toBe(200);
}

export async function importBill(url: string, residentId: string, amount: number, period: string, dueDate: string): Promise<void> {
  const staff = client(url, await tokenFor(url, 'web-billing', 'staff', { categories: ['housing-civil'] }));
  const res = await staff.post('/bills/import', { bills: [{ residentId, kind: 'water', period, amount, dueDate }] });
  expect(res.body).toMatchObject({ imported: 1 });
}

export async function publishNotice(url: string, title: string): Promise<void> {
  const staff = client(url, await tokenFor(url, 'web-notices', 'staff'));
  const startsAt = new Date(Date.now() - 3_600_000).toISOString();
  const endsAt = new Date(Date.now() + 86_400_000).toISOString();
  const res = await staff.post('/notices', { community: 'sunshine-garden', kind: 'water-outage', title, body: '管道检修，请提前储水。', startsAt, endsAt });
  expect(res.status).toBe(201);
}
