import { beforeAll, describe, expect, it } from 'vitest';
import { handler as payBill } from '../../functions/bills/pay-bill.ts';
import { handler as remindDueBills } from '../../functions/bills/remind-due-bills.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { getBill, importBills } from '../../shared/data/bills.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { billIdFor, type BillKind } from '../../shared/domain/bills.ts';
import { invoke } from '../support/invoke.ts';

const PHONE = '+8613800138001';
const RESIDENT = 'reminded-resident';

/** Each test runs the job on its own day, so the bills of one test are outside the others' windows. */
const nineAmShanghai = (date: string) => `${date}T01:00:00.000Z`;

async function bill(kind: BillKind, period: string, dueDate: string, residentId = RESIDENT): Promise<string> {
  await importBills([{ residentId, kind, period, amount: 6020, dueDate }], 'zizhuyuan', new Date().toISOString());
  return billIdFor(residentId, kind, period);
}

const remindersOf = (billId: string) => readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.reference === billId && m.template === 'bill-due');

describe('due-bill reminders (scheduled job)', () => {
  beforeAll(async () => {
    await saveResident({
      userId: RESIDENT,
      name: '张伟',
      idNumber: '440524188001010014',
      birthDate: '1880-01-01',
      sex: 'male',
      phone: PHONE,
      community: 'sunshine-garden',
      updatedAt: new Date().toISOString(),
    });
  });

  it('sends one SMS three days before the due date, however often the job runs', async () => {
    const billId = await bill('gas', '2030-02', '2030-03-13');

    const runs = await Promise.all([remindDueBills({ time: nineAmShanghai('2030-03-10') }), remindDueBills({ time: nineAmShanghai('2030-03-10') })]);
    const later = await remindDueBills({ time: nineAmShanghai('2030-03-11') });

    expect(runs.map((r) => r.reminded).sort()).toEqual([0, 1]);
    expect(later.reminded).toBe(0);
    const sms = remindersOf(billId);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: PHONE, body: '【智慧社区】您2030年2月燃气费60.20元将于3月13日到期，请及时缴纳。' });
    expect((await getBill(billId))?.remindedAt).toBe(nineAmShanghai('2030-03-10'));
  });

  it('leaves bills due later than three days, and overdue bills, alone', async () => {
    const later = await bill('water', '2030-04', '2030-05-14');
    const overdue = await bill('phone', '2030-04', '2030-05-09');

    const run = await remindDueBills({ time: nineAmShanghai('2030-05-10') });

    expect(run.reminded).toBe(0);
    expect(remindersOf(later)).toEqual([]);
    expect(remindersOf(overdue)).toEqual([]);
  });

  it('still reminds a bill that entered the window late, once', async () => {
    const billId = await bill('electricity', '2030-06', '2030-07-11');

    const first = await remindDueBills({ time: nineAmShanghai('2030-07-10') });
    const second = await remindDueBills({ time: nineAmShanghai('2030-07-11') });

    expect([first.reminded, second.reminded]).toEqual([1, 0]);
    expect(remindersOf(billId)).toHaveLength(1);
  });

  it('does not remind of a bill that is paid', async () => {
    const billId = await bill('water', '2030-08', '2030-09-13');
    await invoke(payBill, 'POST /bills/{id}/pay', {
      caller: { sub: RESIDENT, role: 'resident' },
      params: { id: billId },
      body: { amount: 6020, method: 'unionpay' },
      headers: { 'idempotency-key': 'pay-before-reminder' },
    });

    const run = await remindDueBills({ time: nineAmShanghai('2030-09-10') });

    expect(run.reminded).toBe(0);
    expect(remindersOf(billId)).toEqual([]);
  });

  it('sends nothing to a resident without a profile, and does not try again', async () => {
    const billId = await bill('gas', '2030-10', '2030-11-13', 'no-profile');

    const first = await remindDueBills({ time: nineAmShanghai('2030-11-10') });
    const second = await remindDueBills({ time: nineAmShanghai('2030-11-10') });

    expect([first.reminded, second.reminded]).toEqual([0, 0]);
    expect(remindersOf(billId)).toEqual([]);
    expect((await getBill(billId))?.remindedAt).toBeDefined();
  });
});
