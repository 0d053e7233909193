// What the browser tests set up through the API instead of the pages (a journey clicks only its own part):
// residents with a profile, their ID numbers, staff's approvals and the collection at the window, a bill to
// pay, a notice to read.

import { expect, vi } from 'vitest';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { client, tokenFor } from './local-server.ts';

let sequence = 0;

const withCheck = (first17: string) => `${first17}${checkCharacter(first17)}`;

/**
 * A valid ID number nobody else in this run has: region 110105, born on `birthDate` (1980-01-01, well below
 * 60, unless given), an odd order code (a man), check character. Order codes 998 and 999 are left out: the
 * identity sandbox reads them as "registered to someone else" and "no record".
 */
export function freshIdNumber(birthDate = '19800101'): string {
  sequence++;
  const order = (process.pid * 7 + sequence * 2) % 996 | 1;
  return withCheck(`110105${birthDate}${String(order).padStart(3, '0')}`);
}

/** A valid ID number the identity sandbox's register holds under another name: PUT /me is refused 422 identity_mismatch. */
export const idNumberOfSomeoneElse = () => withCheck('11010519800101998');

/**
 * A resident with a profile, verified by the real-name check unless `unverified`: then its ID number has order
 * code 999, which the identity sandbox's register does not hold (saved, but not verified).
 */
export async function residentWithProfile(url: string, sub: string, { birthDate, unverified = false }: { birthDate?: string; unverified?: boolean } = {}): Promise<string> {
  const token = await tokenFor(url, sub, 'resident');
  const idNumber = unverified ? withCheck(`110105${birthDate ?? '19800101'}999`) : freshIdNumber(birthDate);
  const res = await client(url, token).put('/me', { name: '测试居民', idNumber, phone: '13800138123', community: 'sunshine-garden' });
  expect(res.status).toBe(200);
  return token;
}

/** The step's approver (the caseworker for step 1, a supervisor for step 2) approves it once the workflow has opened it. */
export async function approveOpenStep(url: string, caseId: string, round: number, step: 1 | 2 = 1): Promise<void> {
  const approver =
    step === 1
      ? client(url, await tokenFor(url, 'web-caseworker', 'staff', { categories: ['social-insurance', 'family-health', 'housing-civil'] }))
      : client(url, await tokenFor(url, 'web-supervisor', 'supervisor', { categories: ['social-insurance', 'family-health', 'housing-civil'] }));
  const taskId = `${caseId}-R${round}S${step}`;
  await vi.waitFor(
    async () => {
      const queue = await approver.get('/tasks?status=pending&limit=100');
      expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(taskId);
    },
    { timeout: 15_000, interval: 200 },
  );
  expect((await approver.post(`/tasks/${taskId}/decision`, { decision: 'approve', comment: '材料齐全，同意' })).status).toBe(200);
}

/** The resident picks up the result at the window: the clerk marks the case collected. */
export async function collectAtWindow(url: string, caseId: string): Promise<void> {
  const clerk = client(url, await tokenFor(url, 'web-caseworker', 'staff', { categories: ['social-insurance'] }));
  expect((await clerk.post(`/cases/${caseId}/collect`)).status).toBe(200);
}

export async function importBill(url: string, residentId: string, amount: number, period: string, dueDate: string, kind = 'water'): Promise<void> {
  const staff = client(url, await tokenFor(url, 'web-billing', 'staff', { categories: ['housing-civil'] }));
  const res = await staff.post('/bills/import', { bills: [{ residentId, kind, period, amount, dueDate }] });
  expect(res.body).toMatchObject({ imported: 1 });
}

/** A notice of sunshine-garden that began an hour ago, or with `upcoming` begins tomorrow; a water outage unless `kind` says otherwise. */
export async function publishNotice(url: string, title: string, { kind = 'water-outage', upcoming = false }: { kind?: string; upcoming?: boolean } = {}): Promise<void> {
  const staff = client(url, await tokenFor(url, 'web-notices', 'staff'));
  const startsAt = new Date(Date.now() + (upcoming ? 86_400_000 : -3_600_000)).toISOString();
  const endsAt = new Date(Date.now() + (upcoming ? 2 : 1) * 86_400_000).toISOString();
  const res = await staff.post('/notices', { community: 'sunshine-garden', kind, title, body: '管道检修，请提前储水。', startsAt, endsAt });
  expect(res.status).toBe(201);
}
