import { describe, expect, it } from 'vitest';
import {
  billIdFor,
  firstRowPerBill,
  isBillingPeriod,
  periodForSms,
  previousPeriod,
  providerReferenceFor,
  receiptNumber,
  reminderDueDates,
  yuan,
  type BillRow,
} from '../../shared/domain/bills.ts';
import { render, smsSegments, smsText } from '../../shared/domain/messages.ts';

const row = (overrides: Partial<BillRow> = {}): BillRow => ({
  residentId: 'r-1',
  kind: 'water',
  period: '2026-11',
  amount: 4350,
  dueDate: '2026-12-15',
  ...overrides,
});

describe('bill rules', () => {
  it('derives the same bill id from the same resident, kind and period', () => {
    expect(billIdFor('r-1', 'water', '2026-11')).toBe(billIdFor('r-1', 'water', '2026-11'));
    expect(billIdFor('r-1', 'water', '2026-11')).toMatch(/^B202611W-[0-9A-F]{20}$/);
  });

  it('derives different bill ids when the resident, kind or period differs', () => {
    const ids = new Set([
      billIdFor('r-1', 'water', '2026-11'),
      billIdFor('r-2', 'water', '2026-11'),
      billIdFor('r-1', 'gas', '2026-11'),
      billIdFor('r-1', 'water', '2026-12'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('accepts only real billing months', () => {
    expect(isBillingPeriod('2026-11')).toBe(true);
    expect(isBillingPeriod('2026-13')).toBe(false);
    expect(isBillingPeriod('2026-00')).toBe(false);
    expect(isBillingPeriod('2026-1')).toBe(false);
    expect(isBillingPeriod('2026-11-01')).toBe(false);
  });

  it('names the month before a date, across the year end', () => {
    expect(previousPeriod('2026-11-28')).toBe('2026-10');
    expect(previousPeriod('2027-01-01')).toBe('2026-12');
  });

  it('formats fen as yuan with two decimals', () => {
    expect(yuan(12850)).toBe('128.50');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(100)).toBe('1.00');
  });

  it('uses one provider reference per bill', () => {
    const id = billIdFor('r-1', 'water', '2026-11');
    expect(providerReferenceFor(id)).toBe(providerReferenceFor(id));
    expect(providerReferenceFor(id)).not.toBe(providerReferenceFor(billIdFor('r-1', 'gas', '2026-11')));
  });

  it('builds a receipt number from the payment date and id', () => {
    expect(receiptNumber('2026-11-28', 'PAY-0b7c6a1e-2f3d-4e5f-8a9b-1c2d3e4f5a6b')).toBe('R20261128-3E4F5A6B');
  });

  it('reminds from three days before the due date up to the due date', () => {
    expect(reminderDueDates('2026-12-30')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('keeps the first row of a bill repeated within one import and counts the repeats', () => {
    const rows = [row({ amount: 100 }), row({ kind: 'gas' }), row({ amount: 999 }), row({ residentId: 'r-2' })];

    const { unique, repeats } = firstRowPerBill(rows);

    expect(repeats).toBe(1);
    expect(unique).toEqual([rows[0], rows[1], rows[3]]);
  });

  it('fits the receipt and reminder SMS into one segment each', () => {
    const paid = smsText(render('bill-paid', { period: periodForSms('2026-11'), kind: '燃气费', amount: '12850.00', receiptNo: 'R20261128-3E4F5A6B' }));
    const due = smsText(render('bill-due', { period: periodForSms('2026-11'), kind: '电话费', amount: '12850.00', dueDate: '12月15日' }));

    expect(paid).toBe('【智慧社区】您2026年11月燃气费12850.00元已缴纳成功，收据号R20261128-3E4F5A6B。');
    expect(smsSegments(paid)).toBe(1);
    expect(smsSegments(due)).toBe(1);
  });
});
