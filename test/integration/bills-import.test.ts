import { describe, expect, it } from 'vitest';
import { handler as importBills } from '../../functions/bills/import-bills.ts';
import { handler as listBills } from '../../functions/bills/list-bills.ts';
import { handler as payBill } from '../../functions/bills/pay-bill.ts';
import { billIdFor } from '../../shared/domain/bills.ts';
import { invoke } from '../support/invoke.ts';

const STAFF = { sub: 'staff-billing', role: 'staff' as const, categories: ['housing-civil'] };
const resident = (sub: string) => ({ sub, role: 'resident' as const });

type Row = { residentId: string; kind: string; period: string; amount: unknown; dueDate: string };
const row = (residentId: string, overrides: Partial<Row> = {}): Row => ({
  residentId,
  kind: 'electricity',
  period: '2026-11',
  amount: 12850,
  dueDate: '2026-12-20',
  ...overrides,
});
/** n rows for n distinct residents of a prefix. */
const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => row(`${prefix}-${i}`));

const importAs = (caller: { sub: string; role: 'staff' | 'resident' }, bills: unknown[]) =>
  invoke(importBills, 'POST /bills/import', { caller, body: { bills } });
const list = (sub: string, query: Record<string, string> = {}) => invoke(listBills, 'GET /bills', { caller: resident(sub), query });

describe('POST /bills/import', () => {
  it('imports 500 bills, and the same 500 again are all duplicates', async () => {
    const file = rows('bulk', 500);

    const first = await importAs(STAFF, file);
    const again = await importAs(STAFF, file);

    expect(first).toMatchObject({ status: 200, body: { imported: 500, duplicates: 0 } });
    expect(again).toMatchObject({ status: 200, body: { imported: 0, duplicates: 500 } });
    expect((await list('bulk-499')).body.items).toHaveLength(1);
  });

  it('counts a bill repeated within one request as a duplicate and keeps the first row', async () => {
    const res = await importAs(STAFF, [row('repeat', { amount: 100 }), row('repeat', { amount: 999 })]);

    expect(res.body).toEqual({ imported: 1, duplicates: 1 });
    expect((await list('repeat')).body.items.map((b: { amount: number }) => b.amount)).toEqual([100]);
  });

  it('never overwrites an existing bill, paid or not, when it is imported again with other figures', async () => {
    await importAs(STAFF, [row('reimport')]);
    const id = billIdFor('reimport', 'electricity', '2026-11');
    await invoke(payBill, 'POST /bills/{id}/pay', {
      caller: resident('reimport'),
      params: { id },
      body: { amount: 12850, method: 'alipay' },
      headers: { 'idempotency-key': 'reimport-pay' },
    });

    const res = await importAs(STAFF, [row('reimport', { amount: 1, dueDate: '2027-01-31' })]);

    expect(res.body).toEqual({ imported: 0, duplicates: 1 });
    expect((await list('reimport', { status: 'paid' })).body.items).toMatchObject([{ id, amount: 12850, dueDate: '2026-12-20', status: 'paid' }]);
  });

  it('refuses 501 rows with 400 at bills and writes nothing', async () => {
    const res = await importAs(STAFF, rows('too-many', 501));

    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(res.body.errors).toContainEqual({ path: 'bills', message: expect.any(String) });
    expect((await list('too-many-0')).body.items).toEqual([]);
  });

  it('names the index and field of every bad row, and writes none of the good ones', async () => {
    const file = rows('bad-row', 10);
    file[3] = row('bad-row-3', { period: '2026-13' });
    file[7] = row('bad-row-7', { amount: 12.5, kind: 'heating' });

    const res = await importAs(STAFF, file);

    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['bills.3.period', 'bills.7.amount', 'bills.7.kind']);
    expect((await list('bad-row-0')).body.items).toEqual([]);
  });

  it('refuses residents with 403', async () => {
    const res = await importAs(resident('sneaky'), [row('sneaky', { amount: 1 })]);

    expect(res).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await list('sneaky')).body.items).toEqual([]);
  });
});

describe('GET /bills', () => {
  it('lists only my unpaid bills, earliest due first, page by page', async () => {
    await importAs(STAFF, [
      row('lister', { kind: 'gas', dueDate: '2026-12-25' }),
      row('lister', { kind: 'water', dueDate: '2026-12-05' }),
      row('lister', { kind: 'phone', dueDate: '2026-12-15' }),
      row('someone-else', { kind: 'water', dueDate: '2026-12-01' }),
    ]);

    const first = await list('lister', { limit: '2' });
    const second = await list('lister', { limit: '2', cursor: first.body.nextCursor });

    expect(first.status).toBe(200);
    expect(first.body.items.map((b: { kind: string }) => b.kind)).toEqual(['water', 'phone']);
    expect(first.body.items[0]).toEqual({
      id: billIdFor('lister', 'water', '2026-11'),
      kind: 'water',
      period: '2026-11',
      amount: 12850,
      dueDate: '2026-12-05',
      status: 'unpaid',
    });
    expect(second.body.items.map((b: { kind: string }) => b.kind)).toEqual(['gas']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('moves a paid bill from the unpaid list to the paid list', async () => {
    await importAs(STAFF, [row('mover', { kind: 'water' }), row('mover', { kind: 'gas' })]);
    const id = billIdFor('mover', 'water', '2026-11');

    await invoke(payBill, 'POST /bills/{id}/pay', {
      caller: resident('mover'),
      params: { id },
      body: { amount: 12850, method: 'wechat' },
      headers: { 'idempotency-key': 'mover-pay' },
    });

    expect((await list('mover')).body.items.map((b: { kind: string }) => b.kind)).toEqual(['gas']);
    expect((await list('mover', { status: 'paid' })).body.items).toEqual([expect.objectContaining({ id, status: 'paid', paidAt: expect.any(String) })]);
  });

  it('refuses a cursor of another list with 400', async () => {
    await importAs(STAFF, [row('cursor', { kind: 'water' }), row('cursor', { kind: 'gas' })]);
    const page = await list('cursor', { limit: '1' });

    const res = await list('cursor', { status: 'paid', cursor: page.body.nextCursor });

    expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'cursor' }] } });
  });
});
