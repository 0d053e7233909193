// The pure rules of wallet payments: order numbers both providers accept, refund numbers a retry reproduces,
// deadlines in whole seconds, when a pending order is asked about, and what a payment reads as.

import { describe, expect, it } from 'vitest';
import { billIdFor } from '../../shared/domain/bills.ts';
import { MAX_ORDER_ATTEMPTS, nextCheckAt, orderDeadline, paymentIdFor, paymentStatusOf, refundable, refundIdFor, type WalletPayment } from '../../shared/domain/payments.ts';
import { assertValidReference } from '../../shared/ports/wallet-provider.ts';

const billId = billIdFor('resident-with-a-long-user-id-0001', 'electricity', '2026-11');
const paid: WalletPayment = {
  paymentId: `${billId}-1`,
  billId,
  residentId: 'r',
  centre: 'zizhuyuan',
  provider: 'wechatpay',
  method: 'wechat',
  amount: 5000,
  status: 'paid',
  createdAt: '2026-12-01T01:00:00.000Z',
  idempotencyKey: 'k',
};

describe('payment ids', () => {
  it('names every attempt of a bill with a merchant order number both providers accept, up to the last attempt', () => {
    for (const attempt of [1, 9, 10, MAX_ORDER_ATTEMPTS]) {
      const id = paymentIdFor(billId, attempt);
      expect(id.length).toBeLessThanOrEqual(32);
      expect(() => assertValidReference(id)).not.toThrow();
    }
    expect(paymentIdFor(billId, 2)).toBe(`${billId}-2`);
    expect(() => paymentIdFor(billId, 100)).toThrow(/merchant order number/);
  });

  it('gives a refund the same number for the same payment, staff member and key, and another for anything else', () => {
    const id = refundIdFor(paid.paymentId, 'staff-1', 'key-1');
    expect(id).toMatch(/^RF[0-9A-F]{30}$/);
    expect(refundIdFor(paid.paymentId, 'staff-1', 'key-1')).toBe(id);
    expect(refundIdFor(paid.paymentId, 'staff-2', 'key-1')).not.toBe(id);
    expect(refundIdFor(paid.paymentId, 'staff-1', 'key-2')).not.toBe(id);
  });
});

describe('deadlines and checks', () => {
  it('sets an order deadline in whole seconds, as the providers count', () => {
    expect(orderDeadline(Date.parse('2026-12-01T01:00:00.750Z'), 900)).toBe('2026-12-01T01:15:00.000Z');
  });

  it('asks about a pending order after the reconciliation delay, never later than its deadline', () => {
    const now = Date.parse('2026-12-01T01:00:00.000Z');
    expect(nextCheckAt(now, '2026-12-01T01:15:00.000Z', 300)).toBe('2026-12-01T01:05:00.000Z');
    expect(nextCheckAt(now, '2026-12-01T01:02:00.000Z', 300)).toBe('2026-12-01T01:02:00.000Z');
  });
});

describe('what a payment reads as', () => {
  it('reads refunded once the whole amount went back, and paid while part of it did', () => {
    expect(paymentStatusOf({ ...paid, refundedAmount: 1000 })).toBe('paid');
    expect(paymentStatusOf({ ...paid, refundedAmount: 5000 })).toBe('refunded');
    expect(paymentStatusOf({ ...paid, status: 'pending' })).toBe('pending');
  });

  it('can refund what was paid less every refund requested, and nothing of an unpaid order', () => {
    expect(refundable(paid)).toBe(5000);
    expect(refundable({ ...paid, refundReserved: 1200 })).toBe(3800);
    expect(refundable({ ...paid, status: 'closed' })).toBe(0);
  });
});
