// The WalletProvider port: payments that arrive asynchronously (WeChat Pay, Alipay). The platform creates an
// order, the resident pays in the wallet app, and the provider tells the platform by a signed notification;
// the platform can also ask (queryOrder) when a notification is late or lost. Adapters: wechatpay-provider.ts
// (APIv3) and alipay-provider.ts (openapi gateway, RSA2); both speak HTTP with node:crypto and fetch only, since
// the providers' SDKs alone are larger than a function's bundle budget.
//
// Choices every adapter keeps:
// - Money is integer fen at this port; an adapter converts to the provider's unit (Alipay's yuan strings).
// - `reference` is the merchant order number (out_trade_no): 6–32 characters [A-Za-z0-9_-], the intersection
//   of what both providers accept. It is the idempotency key: creating an order again with the same reference
//   and the same request returns that same order's instruction (WeChat Pay answers the same prepay_id/code_url;
//   an Alipay wap.pay URL names the same out_trade_no), never a second charge. Another amount, channel or expiry
//   under a reference already used is refused by the provider (the adapter throws its code).
// - `expiresAt` becomes the provider's own payment deadline (time_expire), so an order the platform gave up on
//   cannot be paid later even if closing it failed.
// - Alipay creates the trade only when the resident scans the QR code or opens the cashier: until then
//   queryOrder says `not_found`, which before `expiresAt` means "not paid yet", not "lost". Closing it then
//   still locks the QR code. WeChat Pay knows an order from the moment it is created.
// - `refunded` is the provider's own word that money went back: WeChat Pay's REFUND (after any refund) and
//   Alipay's TRADE_CLOSED of a paid trade (after a full refund; a partly refunded Alipay trade stays `paid`).
// - WalletProviderError codes shared by the adapters: ORDER_PAID (the order is paid: creating or closing it
//   again is refused), ORDER_CLOSED, SIGN_ERROR (the provider refused our signature: wrong key or serial),
//   UNVERIFIED_RESPONSE (an answer whose signature did not verify: treated as not received), NETWORK,
//   INVALID_REQUEST (refused before sending), CHANNEL_NOT_SUPPORTED; anything else keeps the provider's own
//   code. `retryable` says whether asking again may succeed; whether money moved is settled by queryOrder.
// - Notifications: parseNotification returns undefined for anything that does not verify (signature, the
//   5-minute timestamp window of WeChat Pay, merchant and app id), so a caller can answer acknowledge(false)
//   and change nothing. A refund notification's `providerRefundId` is absent for Alipay, whose refunds have no
//   id of their own, and its `amount` is Alipay's refund_fee: the trade's refunded total.

export type WalletMethod = 'wechat' | 'alipay';
export type PayChannel = 'qr' | 'h5' | 'jsapi';

export type PayInstruction =
  /** Render as a QR code on a hall screen or a PC. */
  | { channel: 'qr'; codeUrl: string }
  /** Open in the phone's browser. */
  | { channel: 'h5'; redirectUrl: string }
  /** WeixinJSBridge getBrandWCPayRequest / wx.chooseWXPay parameters. */
  | { channel: 'jsapi'; params: Record<string, string> };

export type OrderRequest = {
  /** Merchant order number, 6–32 characters [A-Za-z0-9_-]. */
  reference: string;
  /** Integer fen. */
  amount: number;
  /** What the payer sees (at most 127 characters). */
  description: string;
  channel: PayChannel;
  /** ISO 8601; the provider refuses payment after it. */
  expiresAt: string;
  notifyUrl: string;
  /** jsapi: the payer's openid under the merchant's app. */
  payerOpenId?: string;
  /** h5: the payer's IP address, which WeChat Pay requires. */
  clientIp?: string;
  /** h5: where the wallet sends the payer back. */
  returnUrl?: string;
};

export type OrderState = {
  reference: string;
  status: 'pending' | 'paid' | 'closed' | 'refunded' | 'not_found';
  providerTransactionId?: string;
  amount?: number;
  paidAt?: string;
};

export type RefundRequest = {
  reference: string;
  /** Merchant refund number; the idempotency key of the refund. */
  refundReference: string;
  /** Fen to give back. */
  amount: number;
  /** Fen the order was paid with. */
  total: number;
  reason: string;
  /** WeChat Pay only: Alipay notifies refunds at the order's notify URL. */
  notifyUrl: string;
};

export type RefundState = {
  refundReference: string;
  status: 'processing' | 'succeeded' | 'failed';
  providerRefundId?: string;
  amount: number;
};

export type WalletNotification =
  | { kind: 'payment'; reference: string; providerTransactionId: string; amount: number; paidAt: string; merchantId: string; appId: string }
  | { kind: 'refund'; reference: string; refundReference: string; providerRefundId?: string; amount: number; status: 'succeeded' | 'failed' };

export type NotificationAck = { status: number; headers: Record<string, string>; body: string };

export interface WalletProvider {
  readonly method: WalletMethod;
  readonly merchantId: string;
  /** Idempotent per reference: the same reference again returns the same order's instruction, never a second charge. */
  createOrder(order: OrderRequest): Promise<PayInstruction>;
  queryOrder(reference: string): Promise<OrderState>;
  /** Closing a closed (or never created) order is fine; closing a paid one throws WalletProviderError ORDER_PAID. */
  closeOrder(reference: string): Promise<void>;
  /** Idempotent per refundReference. */
  refund(request: RefundRequest): Promise<RefundState>;
  /** Verifies and decodes a notification; undefined when it does not verify. Never throws on hostile input. */
  parseNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<WalletNotification | undefined>;
  /** The answer the provider expects (WeChat Pay: 200 empty / 401 JSON {code:'FAIL'}; Alipay: `success` / `fail`). */
  acknowledge(accepted: boolean): NotificationAck;
}

export class WalletProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WalletProviderError';
  }
}

const REFERENCE = /^[A-Za-z0-9_-]{6,32}$/;
const MAX_DESCRIPTION = 127;

/** The checks both providers make, done before any request so a bad order never reaches them. */
export function assertValidOrder(order: OrderRequest): void {
  const refuse = (message: string) => {
    throw new WalletProviderError('INVALID_REQUEST', message, false);
  };
  if (!REFERENCE.test(order.reference)) refuse(`reference must be 6–32 characters [A-Za-z0-9_-], not ${JSON.stringify(order.reference)}`);
  if (!Number.isSafeInteger(order.amount) || order.amount < 1) refuse('amount must be a positive whole number of fen');
  if (order.description.length < 1 || order.description.length > MAX_DESCRIPTION) refuse(`description must be 1–${MAX_DESCRIPTION} characters`);
  if (Number.isNaN(Date.parse(order.expiresAt))) refuse('expiresAt must be an ISO 8601 time');
}

export function assertValidReference(reference: string): void {
  if (!REFERENCE.test(reference)) throw new WalletProviderError('INVALID_REQUEST', `reference must be 6–32 characters [A-Za-z0-9_-]`, false);
}

/** Header lookup that ignores case: node lowercases incoming names, API Gateway passes them as sent. */
export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** A fetch that turns "no answer" into a retryable NETWORK error and gives up after the timeout. */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new WalletProviderError('NETWORK', `No answer from ${new URL(url).host}: ${String(error)}`, true);
  }
}
