// Utility bills: a resident's list and payment; staff's import from the utilities.

import * as z from 'zod/mini';
import {
  BILL_KINDS,
  BILL_STATUSES,
  billingPeriodWindow,
  isBillingPeriod,
  isDueDateOfPeriod,
  MAX_BILL_AMOUNT_FEN,
  MAX_IMPORT_ROWS,
  PAYMENT_METHODS,
  type Bill,
  type Payment,
} from '../domain/bills.ts';
import { isCalendarDate, shanghaiDate } from '../domain/calendar.ts';
import { PAY_CHANNELS, paymentStatusOf, type WalletPayment } from '../domain/payments.ts';
import { endpoint } from './endpoint.ts';
import { businessDateSchema, pageQuery, userIdSchema } from './fields.ts';

export const listBills = endpoint({
  route: 'GET /bills',
  summary: "The caller's bills by status (unpaid by default), earliest due first",
  query: z.object({ ...pageQuery, status: z._default(z.enum(BILL_STATUSES), 'unpaid') }),
});

export const payBill = endpoint({
  route: 'POST /bills/{id}/pay',
  summary: 'Pay a bill in full; Idempotency-Key required',
  params: z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'a bill id such as B202611W-3F2A9C51D0E7B4A61C28')) }),
  body: z.strictObject({
    amount: z.number().check(z.int('whole fen'), z.minimum(1)),
    method: z.enum(PAYMENT_METHODS),
    /** Wallets: qr (hall screen, PC; the default), h5 (phone browser) or jsapi (inside WeChat). */
    channel: z.optional(z.enum(PAY_CHANNELS)),
    /** jsapi: the payer's openid under the merchant's WeChat app. */
    openId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{6,128}$/, 'a WeChat openid'))),
  }),
});
/** A real month inside the import window of today (Shanghai); the message names both. */
const billingPeriod = z.string().check(
  z.refine(isBillingPeriod, 'a billing month YYYY-MM'),
  z.superRefine((period, ctx) => {
    if (!isBillingPeriod(period)) return;
    const today = shanghaiDate(new Date());
    const { earliest, latest } = billingPeriodWindow(today);
    if (period < earliest || period > latest) {
      ctx.issues.push({ code: 'custom', message: `a billing month from ${earliest} to ${latest} (today in Shanghai is ${today})`, input: period });
    }
  }),
);

const billRow = z
  .strictObject({
    residentId: userIdSchema,
    kind: z.enum(BILL_KINDS),
    period: billingPeriod,
    amount: z.number().check(z.int('whole fen'), z.minimum(1), z.maximum(MAX_BILL_AMOUNT_FEN)),
    dueDate: businessDateSchema,
  })
  .check(
    // Only once both fields are well-formed: a broken period is reported at `period` alone.
    z.refine((row) => !isBillingPeriod(row.period) || !isCalendarDate(row.dueDate) || isDueDateOfPeriod(row.period, row.dueDate), {
      path: ['dueDate'],
      message: 'a due date on or after the first day of the period and within a year of it',
    }),
  );

export const importBills = endpoint({
  route: 'POST /bills/import',
  summary: "Load the utilities' bills; a bill that exists is a duplicate",
  body: z.strictObject({ bills: z.array(billRow).check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)) }),
});

/** What a resident sees of a bill: internal keys, the provider's transaction id and the key stay inside. */
export const billView = (b: Bill) => ({
  id: b.id,
  kind: b.kind,
  period: b.period,
  amount: b.amount,
  dueDate: b.dueDate,
  status: b.status,
  ...(b.paidAt ? { paidAt: b.paidAt } : {}),
  ...(b.receiptNo ? { receiptNo: b.receiptNo } : {}),
  ...(b.paidWith ? { method: b.paidWith } : {}),
  ...(b.paymentId ? { paymentId: b.paymentId } : {}),
  ...(b.refundedAmount ? { refundedAmount: b.refundedAmount } : {}),
});

export const paymentView = (p: Payment) => ({
  paymentId: p.paymentId,
  billId: p.billId,
  amount: p.amount,
  paidAt: p.paidAt,
  receiptNo: p.receiptNo,
});

/** The 202 of a wallet payment: what the client needs to pay the order, and until when. */
export const pendingPaymentView = (p: WalletPayment) => ({
  paymentId: p.paymentId,
  billId: p.billId,
  status: paymentStatusOf(p),
  method: p.method,
  amount: p.amount,
  pay: p.pay,
  expiresAt: p.expiresAt,
});
