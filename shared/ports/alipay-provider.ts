// The WalletProvider adapter for Alipay's openapi gateway (gateway.do, RSA2, public-key mode). Channels: qr is
// alipay.trade.precreate (当面付 QR code); h5 is alipay.trade.wap.pay, which is not an API call at all but the
// gateway URL with every parameter signed, opened by the phone's browser. Alipay has no JSAPI channel here
// (its in-app payments need alipay.trade.create with a buyer id): such orders are refused, not guessed.
//
// Every successful (10000) answer is verified over its raw `<method>_response` text before it is believed. A wap.pay
// URL for a reference already used names the same out_trade_no, so Alipay never takes a second payment for it.
// closeOrder treats ACQ.TRADE_NOT_EXIST as closed (a QR code nobody scanned is locked by the close) and reads the
// trade when the close is refused, to tell a paid trade (ORDER_PAID) from one already closed. Refunds answer
// synchronously (10000 = refunded; a repeat of the same out_request_no says fund_change N and moves nothing).

import type { KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { beijingTime, fenOf, isoFromBeijingTime, readGatewayAnswer, signRequest, verifyNotification, yuanOf, type Params } from './alipay-rsa2.ts';
import {
  assertValidOrder,
  assertValidReference,
  fetchWithTimeout,
  WalletProviderError,
  type NotificationAck,
  type OrderRequest,
  type OrderState,
  type PayInstruction,
  type RefundRequest,
  type RefundState,
  type WalletNotification,
  type WalletProvider,
} from './wallet-provider.ts';

export type AlipayConfig = {
  /** https://openapi.alipay.com/gateway.do (or the sandbox's /_sandbox/alipay/gateway.do). */
  gatewayUrl: string;
  appId: string;
  /** The merchant's Alipay user id (2088…): notifications must name it as seller_id. */
  sellerId: string;
  appPrivateKeyPem: string;
  alipayPublicKeyPem: string;
};

const TIMEOUT_MS = 10_000;
const SUCCESS = '10000';
const SHARED_CODES: Record<string, string> = {
  'ACQ.TRADE_HAS_SUCCESS': 'ORDER_PAID',
  'ACQ.TRADE_HAS_CLOSE': 'ORDER_CLOSED',
  'isv.invalid-signature': 'SIGN_ERROR',
};
/** 20000 is "service unavailable"; the ACQ codes are Alipay's own "try again". */
const RETRYABLE = new Set(['ACQ.SYSTEM_ERROR', 'aop.ACQ.SYSTEM_ERROR']);

export class AlipayProvider implements WalletProvider {
  readonly method = 'alipay' as const;
  readonly merchantId: string;
  private readonly appKey: KeyObject;
  private readonly alipayKey: KeyObject;

  constructor(private readonly config: AlipayConfig) {
    this.merchantId = config.sellerId;
    this.appKey = createPrivateKey(config.appPrivateKeyPem);
    this.alipayKey = createPublicKey(config.alipayPublicKeyPem);
  }

  async createOrder(order: OrderRequest): Promise<PayInstruction> {
    assertValidOrder(order);
    const biz = {
      out_trade_no: order.reference,
      total_amount: yuanOf(order.amount),
      subject: order.description,
      time_expire: beijingTime(order.expiresAt),
    };
    if (order.channel === 'qr') {
      const answer = await this.call('alipay.trade.precreate', biz, { notify_url: order.notifyUrl });
      const qrCode = answer.qr_code;
      if (typeof qrCode !== 'string' || answer.out_trade_no !== order.reference) throw new WalletProviderError('UNVERIFIED_RESPONSE', 'The precreate answer has no QR code for this order.', true);
      return { channel: 'qr', codeUrl: qrCode };
    }
    if (order.channel === 'h5') {
      const wapBiz = { ...biz, product_code: 'QUICK_WAP_WAY', ...(order.returnUrl ? { quit_url: order.returnUrl } : {}) };
      const params = this.signed('alipay.trade.wap.pay', wapBiz, { notify_url: order.notifyUrl, return_url: order.returnUrl });
      return { channel: 'h5', redirectUrl: `${this.config.gatewayUrl}?${new URLSearchParams(params).toString()}` };
    }
    throw new WalletProviderError('CHANNEL_NOT_SUPPORTED', 'Alipay orders are paid by QR code or in the phone browser (qr, h5).', false);
  }

  async queryOrder(reference: string): Promise<OrderState> {
    assertValidReference(reference);
    let answer: Record<string, unknown>;
    try {
      answer = await this.call('alipay.trade.query', { out_trade_no: reference });
    } catch (error) {
      if (error instanceof WalletProviderError && error.code === 'ACQ.TRADE_NOT_EXIST') return { reference, status: 'not_found' };
      throw error;
    }
    if (answer.out_trade_no !== reference) throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer for ${reference} names another order.`, true);
    const paidAt = isoFromBeijingTime(typeof answer.send_pay_date === 'string' ? answer.send_pay_date : undefined);
    const status = this.statusOf(answer.trade_status, paidAt !== undefined);
    const amount = fenOf(typeof answer.total_amount === 'string' ? answer.total_amount : undefined);
    return {
      reference,
      status,
      ...(typeof answer.trade_no === 'string' ? { providerTransactionId: answer.trade_no } : {}),
      ...(amount !== undefined ? { amount } : {}),
      ...(paidAt && status !== 'pending' ? { paidAt } : {}),
    };
  }

  async closeOrder(reference: string): Promise<void> {
    assertValidReference(reference);
    try {
      await this.call('alipay.trade.close', { out_trade_no: reference });
      return;
    } catch (error) {
      if (!(error instanceof WalletProviderError) || error.retryable) throw error;
      if (error.code === 'ACQ.TRADE_NOT_EXIST') return;
      const { status } = await this.queryOrder(reference);
      if (status === 'paid' || status === 'refunded') throw new WalletProviderError('ORDER_PAID', `Order ${reference} is paid and cannot be closed.`, false);
      if (status === 'closed') return;
      throw error;
    }
  }

  async refund(request: RefundRequest): Promise<RefundState> {
    assertValidReference(request.reference);
    const answer = await this.call('alipay.trade.refund', {
      out_trade_no: request.reference,
      refund_amount: yuanOf(request.amount),
      refund_reason: request.reason,
      out_request_no: request.refundReference,
    });
    if (answer.out_trade_no !== request.reference) throw new WalletProviderError('UNVERIFIED_RESPONSE', `The refund answer names another order.`, true);
    return { refundReference: request.refundReference, status: 'succeeded', amount: request.amount };
  }

  async parseNotification(_headers: Record<string, string | undefined>, rawBody: string): Promise<WalletNotification | undefined> {
    try {
      const fields = Object.fromEntries(new URLSearchParams(rawBody));
      if (!verifyNotification(fields, this.alipayKey)) return undefined;
      if (fields.app_id !== this.config.appId || fields.seller_id !== this.config.sellerId || !fields.out_trade_no || !fields.trade_no) return undefined;
      if (fields.out_biz_no && fields.refund_fee) {
        const refunded = fenOf(fields.refund_fee);
        if (refunded === undefined) return undefined;
        return { kind: 'refund', reference: fields.out_trade_no, refundReference: fields.out_biz_no, amount: refunded, status: 'succeeded' };
      }
      if (fields.trade_status !== 'TRADE_SUCCESS' && fields.trade_status !== 'TRADE_FINISHED') return undefined;
      const amount = fenOf(fields.total_amount);
      const paidAt = isoFromBeijingTime(fields.gmt_payment);
      if (amount === undefined || paidAt === undefined) return undefined;
      return { kind: 'payment', reference: fields.out_trade_no, providerTransactionId: fields.trade_no, amount, paidAt, merchantId: fields.seller_id, appId: fields.app_id };
    } catch {
      return undefined;
    }
  }

  acknowledge(accepted: boolean): NotificationAck {
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: accepted ? 'success' : 'fail' };
  }

  private statusOf(tradeStatus: unknown, wasPaid: boolean): OrderState['status'] {
    if (tradeStatus === 'WAIT_BUYER_PAY') return 'pending';
    if (tradeStatus === 'TRADE_SUCCESS' || tradeStatus === 'TRADE_FINISHED') return 'paid';
    // A closed trade that had been paid was refunded in full; one never paid timed out or was closed.
    if (tradeStatus === 'TRADE_CLOSED') return wasPaid ? 'refunded' : 'closed';
    throw new WalletProviderError('UNKNOWN_STATE', `Unknown trade_status ${String(tradeStatus)}.`, true);
  }

  private signed(method: string, biz: object, extra: Params = {}): Record<string, string> {
    return signRequest(
      {
        app_id: this.config.appId,
        method,
        format: 'JSON',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: beijingTime(Date.now()),
        version: '1.0',
        ...extra,
        biz_content: JSON.stringify(biz),
      },
      this.appKey,
    );
  }

  /** One signed gateway call; the payload of a 10000 answer is returned only once its signature verifies. */
  private async call(method: string, biz: object, extra: Params = {}): Promise<Record<string, unknown>> {
    const response = await fetchWithTimeout(
      this.config.gatewayUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
        body: new URLSearchParams(this.signed(method, biz, extra)).toString(),
      },
      TIMEOUT_MS,
    );
    const text = await response.text();
    if (response.status >= 500) throw new WalletProviderError(`HTTP_${response.status}`, `Alipay gateway answered ${response.status}.`, true);
    const answer = readGatewayAnswer(text, method, this.alipayKey);
    if (!answer) throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer to ${method} is not a gateway answer.`, true);
    const { code, sub_code: subCode, sub_msg: subMsg, msg } = answer.payload;
    if (code === SUCCESS) {
      if (!answer.verified) throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer to ${method} is not signed by Alipay.`, true);
      return answer.payload;
    }
    const providerCode = typeof subCode === 'string' ? subCode : String(code);
    const message = `Alipay ${String(code)} ${String(msg)}${typeof subMsg === 'string' ? `: ${subMsg}` : ''}`;
    throw new WalletProviderError(SHARED_CODES[providerCode] ?? providerCode, message, RETRYABLE.has(providerCode) || code === '20000');
  }
}
