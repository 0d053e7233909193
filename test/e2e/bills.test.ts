// Bills over HTTP on the real `npm start` entry: seeded demo bills, staff import, a resident paying with
// retries, the SMS receipt in the outbox.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const PERIOD = '2026-10';
const BILLS = [
  { residentId: 'bills-e2e', kind: 'water', period: PERIOD, amount: 4350, dueDate: '2026-11-20' },
  { residentId: 'bills-e2e', kind: 'electricity', period: PERIOD, amount: 12850, dueDate: '2026-11-15' },
];

describe('bills over HTTP', () => {
  let server: RunningServer;
  let staff: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    staff = client(server.url, await tokenFor(server.url, 'staff-e2e', 'staff', { categories: ['housing-civil'] }));
    resident = client(server.url, await tokenFor(server.url, 'bills-e2e', 'resident'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows the demo resident the seeded bills, earliest due first', async () => {
    const demo = client(server.url, await tokenFor(server.url, 'demo-resident', 'resident'));

    const res = await demo.get('/bills');

    expect(res.status).toBe(200);
    expect(res.body.items.map((b: { kind: string }) => b.kind)).toEqual(['water', 'electricity', 'gas', 'phone']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('lets staff import bills once, counts a second import as duplicates, and refuses residents', async () => {
    const first = await staff.post('/bills/import', { bills: BILLS });
    const again = await staff.post('/bills/import', { bills: BILLS });
    const byResident = await resident.post('/bills/import', { bills: BILLS });

    expect(first).toMatchObject({ status: 200, body: { imported: 2, duplicates: 0 } });
    expect(again).toMatchObject({ status: 200, body: { imported: 0, duplicates: 2 } });
    expect(byResident.status).toBe(403);
    expect(byResident.headers.get('content-type')).toBe('application/problem+json');
  });

  it('takes a payment once however often it is retried, and sends the receipt by SMS', async () => {
    await resident.put('/me', { name: '王五', idNumber: '440524188001010014', phone: '13800138002', community: 'sunshine-garden' });
    const unpaid = await resident.get('/bills?status=unpaid');
    const electricity = unpaid.body.items[0];
    expect(unpaid.body.items.map((b: { kind: string }) => b.kind)).toEqual(['electricity', 'water']);
    const path = `/bills/${electricity.id}/pay`;
    const body = { amount: 12850, method: 'wechat' };

    const withoutKey = await resident.post(path, body);
    const paid = await resident.post(path, body, { 'idempotency-key': 'e2e-pay-1' });
    const replay = await resident.post(path, body, { 'idempotency-key': 'e2e-pay-1' });
    const otherKey = await resident.post(path, body, { 'idempotency-key': 'e2e-pay-2' });

    expect(withoutKey).toMatchObject({ status: 400, body: { errors: [{ path: 'headers.idempotency-key' }] } });
    expect(paid).toMatchObject({ status: 201, body: { billId: electricity.id, amount: 12850 } });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(paid.body);
    expect(otherKey).toMatchObject({ status: 409, body: { code: 'already_paid' } });
    expect((await resident.get('/bills?status=paid')).body.items).toMatchObject([{ id: electricity.id, status: 'paid' }]);
    const outbox = await client(server.url).get('/_local/outbox?to=13800138002');
    const receipts = outbox.body.filter((m: { template: string }) => m.template === 'bill-paid');
    expect(receipts).toHaveLength(1);
    expect(receipts[0].body).toContain(paid.body.receiptNo);
  });

  it('refuses a wrong amount with 422 and someone else’s bill with 404', async () => {
    const water = (await resident.get('/bills')).body.items.find((b: { kind: string }) => b.kind === 'water');
    const stranger = client(server.url, await tokenFor(server.url, 'stranger', 'resident'));

    const wrongAmount = await resident.post(`/bills/${water.id}/pay`, { amount: 1, method: 'alipay' }, { 'idempotency-key': 'e2e-wrong' });
    const foreign = await stranger.post(`/bills/${water.id}/pay`, { amount: 4350, method: 'alipay' }, { 'idempotency-key': 'e2e-foreign' });

    expect(wrongAmount).toMatchObject({ status: 422, body: { code: 'business_rule' } });
    expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });
});
