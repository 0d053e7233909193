// Utility bills: the rules that need no I/O. A bill is one resident's charge for one kind of utility in one
// billing month, so its id is derived from exactly that (re-importing a bill finds the same id and is a
// duplicate, never a second bill). Money is integer fen; residents read it in yuan.

import { createHash } from 'node:crypto';
import { addDays } from './calendar.ts';

export const BILL_KINDS = ['water', 'electricity', 'gas', 'phone'] as const;
export type BillKind = (typeof BILL_KINDS)[number];

export const BILL_STATUSES = ['unpaid', 'paid'] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

export const PAYMENT_METHODS = ['wechat', 'alipay', 'unionpay', 'simulated'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Rows one POST /bills/import may carry: one Lambda invocation writes them well within its time limit. */
export const MAX_IMPORT_ROWS = 500;

/** A utility bill above 100,000 yuan is a data error in the import, not a household's consumption. */
export const MAX_BILL_AMOUNT_FEN = 10_000_000;

/** Residents are reminded of an unpaid bill from this many days before its due date. */
export const REMINDER_DAYS_BEFORE_DUE = 3;

const KIND_LETTER: Record<BillKind, string> = { water: 'W', electricity: 'E', gas: 'G', phone: 'P' };
const KIND_NAME_ZH: Record<BillKind, string> = { water: '水费', electricity: '电费', gas: '燃气费', phone: '电话费' };

/**
 * B202611W-<20 hex>: the period and kind stay readable for the phone line; the 80-bit hash of the
 * resident, kind and period makes two residents' bills collide with negligible probability.
 */
export function billIdFor(residentId: string, kind: BillKind, period: string): string {
  const hash = createHash('sha256').update(`${residentId}\n${kind}\n${period}`).digest('hex').slice(0, 20).toUpperCase();
  return `B${period.replace('-', '')}${KIND_LETTER[kind]}-${hash}`;
}

/** A billing period: YYYY-MM with a real month. */
export function isBillingPeriod(value: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** Years back an import may still bring a bill from: older debts are the utility's collection matter. */
export const BILLING_YEARS_BACK = 5;

/**
 * The billing months an import may carry on `today` (Shanghai): the last five years up to next month (a
 * utility may bill the running month early). 1900-01 or 9999-12 is a broken file, not a bill.
 */
export function billingPeriodWindow(today: string): { earliest: string; latest: string } {
  const year = String(Number(today.slice(0, 4)) - BILLING_YEARS_BACK).padStart(4, '0');
  return { earliest: `${year}-${today.slice(5, 7)}`, latest: addDays(`${today.slice(0, 7)}-28`, 7).slice(0, 7) };
}

/** A bill falls due once its period has begun and within a year of that. */
export function isDueDateOfPeriod(period: string, dueDate: string): boolean {
  const start = `${period}-01`;
  const yearLater = `${String(Number(period.slice(0, 4)) + 1).padStart(4, '0')}${start.slice(4)}`;
  return dueDate >= start && dueDate < yearLater;
}

/** The period before the one `date` (YYYY-MM-DD) falls in: utilities bill the month just ended. */
export function previousPeriod(date: string): string {
  return addDays(`${date.slice(0, 7)}-01`, -1).slice(0, 7);
}

/**
 * The reference the payment provider de-duplicates charges on (WeChat Pay's out_trade_no, Alipay's
 * out_trade_no, UnionPay's orderId). One per bill, whatever the Idempotency-Key: a provider that already
 * took the money for this bill answers with that charge instead of charging again.
 */
export const providerReferenceFor = (billId: string) => `bill-${billId}`;

/** R20261128-XXXXXXXX: the Shanghai business date of payment and eight characters from the payment id. */
export function receiptNumber(paidOn: string, paymentId: string): string {
  return `R${paidOn.replaceAll('-', '')}-${paymentId.replace(/[^0-9A-Za-z]/g, '').slice(-8).toUpperCase()}`;
}

/** 12850 fen → "128.50". */
export function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export const kindNameZh = (kind: BillKind) => KIND_NAME_ZH[kind];

/** 2026-11 → 2026年11月. */
export const periodForSms = (period: string) => `${period.slice(0, 4)}年${Number(period.slice(5, 7))}月`;

/**
 * Due dates whose unpaid bills are reminded on `today`: today up to REMINDER_DAYS_BEFORE_DUE days ahead.
 * Looking at the whole window, not only today + 3, still reminds a bill imported late or a day the job
 * did not run; each bill is reminded once all the same.
 */
export function reminderDueDates(today: string): string[] {
  return Array.from({ length: REMINDER_DAYS_BEFORE_DUE + 1 }, (_, days) => addDays(today, days));
}

export type BillRow = { residentId: string; kind: BillKind; period: string; amount: number; dueDate: string };

/**
 * Splits an import into the first row for each resident, kind and period and the rows that repeat one
 * already in the same request. Keeping the first makes the outcome independent of write order.
 */
export function firstRowPerBill<T extends BillRow>(rows: T[]): { unique: T[]; repeats: number } {
  const seen = new Set<string>();
  const unique = rows.filter((row) => {
    const id = billIdFor(row.residentId, row.kind, row.period);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { unique, repeats: rows.length - unique.length };
}

export type Payment = {
  paymentId: string;
  billId: string;
  residentId: string;
  amount: number;
  method: PaymentMethod;
  /** The provider's transaction id. */
  chargeId: string;
  paidAt: string;
  receiptNo: string;
  /** The Idempotency-Key the payment was made under, so a lost answer can be given again. */
  idempotencyKey: string;
};

export type Bill = {
  id: string;
  residentId: string;
  /** The centre whose staff imported it: they answer for its refunds. */
  centre: string;
  kind: BillKind;
  period: string;
  amount: number;
  dueDate: string;
  status: BillStatus;
  importedAt: string;
  paidAt?: string;
  remindedAt?: string;
  /** The one wallet order the bill is locked to while it is pending (shared/domain/payments.ts). */
  pendingPayment?: string;
  /** Wallet orders opened so far: the next one is attempt orderAttempts + 1. */
  orderAttempts?: number;
  /** Copied from the payment that paid it, for the bill list. */
  paymentId?: string;
  receiptNo?: string;
  paidWith?: PaymentMethod;
  /** Fen refunded of the payment that paid it. */
  refundedAmount?: number;
  payment?: Payment;
};
