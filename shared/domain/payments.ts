// Payments of bills through a wallet (WeChat Pay, Alipay), the rules that need no I/O. A wallet payment is one
// order at the provider: created pending, then paid (the provider's signed notification or its answer to a
// query), or closed (it expired or was given up, confirmed by the provider). A bill has at most one pending
// order at a time; each new order after a closed one is the next attempt and has its own merchant order number,
// since a closed order's number can never be used again. Refunds and alarms belong to the payment.

import { createHash } from 'node:crypto';
import type { PayChannel, PayInstruction, WalletMethod } from '../ports/wallet-provider.ts';

export type PaymentStatus = 'pending' | 'paid' | 'closed' | 'refunded';

/** Who took the money: a wallet adapter, or v1's simulated provider. */
export type PaymentProviderName = 'wechatpay' | 'alipay' | 'simulated';

export const PAY_CHANNELS = ['qr', 'h5', 'jsapi'] as const satisfies readonly PayChannel[];

/** The provider of each wallet method. */
export const WALLET_PROVIDER: Record<WalletMethod, 'wechatpay' | 'alipay'> = { wechat: 'wechatpay', alipay: 'alipay' };

/** Orders a bill may have: its order numbers are `<billId>-<attempt>`, and both providers stop at 32 characters. */
export const MAX_ORDER_ATTEMPTS = 99;

/** How long a resident has to pay an order (the provider's own time_expire), unless PAYMENT_ORDER_SECONDS says otherwise. */
export const DEFAULT_ORDER_SECONDS = 15 * 60;

/** A notification may be late or lost: orders still pending after this long are asked about. */
export const DEFAULT_RECONCILE_AFTER_SECONDS = 5 * 60;

/** The merchant order number of a bill's n-th order: B202611W-<20 hex>-<n>, at most 32 characters. */
export function paymentIdFor(billId: string, attempt: number): string {
  const id = `${billId}-${attempt}`;
  if (!/^[A-Za-z0-9_-]{6,32}$/.test(id)) throw new Error(`Payment id ${id} is not a merchant order number`);
  return id;
}

/**
 * The merchant refund number of one refund request: the same payment, staff member and Idempotency-Key always
 * give the same number, so a retried request can never make the provider refund twice.
 */
export function refundIdFor(paymentId: string, requestedBy: string, idempotencyKey: string): string {
  return `RF${createHash('sha256').update(`${paymentId}\n${requestedBy}\n${idempotencyKey}`).digest('hex').slice(0, 30).toUpperCase()}`;
}

/** An order's deadline in whole seconds: it is also the provider's, which counts in seconds. */
export const orderDeadline = (now: number, seconds: number) => new Date(Math.floor(now / 1000) * 1000 + seconds * 1000).toISOString();

/** When a pending order is asked about next: after the reconciliation delay, and no later than its deadline. */
export function nextCheckAt(now: number, expiresAt: string, afterSeconds: number): string {
  return new Date(Math.min(now + afterSeconds * 1000, Date.parse(expiresAt))).toISOString();
}

export type WalletPayment = {
  /** The merchant order number (out_trade_no). */
  paymentId: string;
  billId: string;
  residentId: string;
  /** The bill's centre: its staff refund the payment. */
  centre: string;
  provider: PaymentProviderName;
  method: string;
  channel?: PayChannel;
  amount: number;
  status: PaymentStatus;
  createdAt: string;
  /** The Idempotency-Key of the request that opened it. */
  idempotencyKey: string;
  /** Wallet orders: what the provider is asked, kept so that a retry sends exactly the same order. */
  description?: string;
  expiresAt?: string;
  merchantId?: string;
  payerOpenId?: string;
  clientIp?: string;
  /** What the client needs to pay, once the provider created the order. */
  pay?: PayInstruction;
  providerTransactionId?: string;
  paidAt?: string;
  receiptNo?: string;
  /** False when the money came in but the bill had been paid by another payment (an alarm says so). */
  settledBill?: boolean;
  closedAt?: string;
  /** Fen promised back by refunds requested and not failed. */
  refundReserved?: number;
  /** Fen the provider confirmed refunded. */
  refundedAmount?: number;
};

export type RefundStatus = 'requested' | 'processing' | 'succeeded' | 'failed';

export type Refund = {
  refundId: string;
  paymentId: string;
  billId: string;
  amount: number;
  reason: string;
  status: RefundStatus;
  requestedBy: string;
  requestedAt: string;
  settledAt?: string;
  providerRefundId?: string;
  /** The provider's code when it refused. */
  failure?: string;
};

export type AlarmKind = 'paid_twice' | 'amount_mismatch';

/** The ERROR log line of an alarm (ids only): the Monitoring stack's metric filter counts it. */
export const MISMATCH_LOG_MESSAGE = 'payment mismatch';

/** Money the provider reports that the platform cannot book as a bill's payment: staff must look at it. */
export type PaymentAlarm = {
  paymentId: string;
  billId: string;
  centre: string;
  kind: AlarmKind;
  raisedAt: string;
  orderAmount: number;
  providerAmount: number;
  providerTransactionId?: string;
  /** paid_twice: the payment that had paid the bill. */
  paidByPaymentId?: string;
};

/** What a payment is now, for the resident: a fully refunded payment reads `refunded`. */
export function paymentStatusOf(payment: WalletPayment): PaymentStatus {
  if (payment.status === 'paid' && (payment.refundedAmount ?? 0) >= payment.amount) return 'refunded';
  return payment.status;
}

/** Fen that can still be asked back: paid, less every refund requested that has not failed. */
export const refundable = (payment: WalletPayment) => (payment.status === 'paid' ? payment.amount - (payment.refundReserved ?? 0) : 0);
