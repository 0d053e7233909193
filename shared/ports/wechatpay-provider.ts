// The WalletProvider adapter for WeChat Pay APIv3, direct merchant (直连商户), in the "WeChat Pay public key"
// mode: answers and notifications are verified with the platform public key whose id (PUB_KEY_ID_…) comes in
// Wechatpay-Serial, so no platform-certificate download is needed. Every 2xx answer is verified (timestamp window
// and signature) before it is believed; error answers are read for their code only, since they never say money
// moved. Channels: Native (qr), H5 (h5) and JSAPI (jsapi, parameters signed for getBrandWCPayRequest).
//
// closeOrder reads the order after closing it: WeChat Pay answers a close with 204 and no body, which does not
// say whether the order had been paid meanwhile, and the port promises ORDER_PAID for a paid one.

import type { KeyObject } from 'node:crypto';
import {
  assertValidOrder,
  assertValidReference,
  fetchWithTimeout,
  headerValue,
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
import { authorizationHeader, beijingRfc3339, decryptResource, jsapiPayParams, privateKeyOf, publicKeyOf, verifySignedBody, type EncryptedResource } from './wechatpay-v3.ts';

export type WechatPayConfig = {
  /** https://api.mch.weixin.qq.com (or the sandbox's /_sandbox/wechatpay). */
  baseUrl: string;
  mchId: string;
  appId: string;
  /** The serial number of the merchant API certificate whose private key signs. */
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  /** 32 characters, set in the merchant platform; decrypts notifications. */
  apiV3Key: string;
  platformPublicKeyPem: string;
  /** PUB_KEY_ID_…: the Wechatpay-Serial the platform key signs under. */
  platformPublicKeyId: string;
};

const TIMEOUT_MS = 10_000;
const CHANNEL_PATH = { qr: 'native', h5: 'h5', jsapi: 'jsapi' } as const;
/** Provider codes that mean "ask again later". */
const RETRYABLE = new Set(['SYSTEM_ERROR', 'SYSTEMERROR', 'FREQUENCY_LIMITED', 'BANK_ERROR', 'USER_PAYING']);
const SHARED_CODES: Record<string, string> = { ORDERPAID: 'ORDER_PAID', ORDER_PAID: 'ORDER_PAID', ORDER_CLOSED: 'ORDER_CLOSED', SIGN_ERROR: 'SIGN_ERROR' };

type Answer = { status: number; body: Record<string, unknown> };

type Transaction = {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number };
};

type RefundResource = {
  mchid?: string;
  out_trade_no?: string;
  out_refund_no?: string;
  refund_id?: string;
  refund_status?: string;
  amount?: { refund?: number };
};

const TRADE_STATUS: Record<string, OrderState['status']> = {
  SUCCESS: 'paid',
  REFUND: 'refunded',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'closed',
};

const REFUND_STATUS: Record<string, RefundState['status']> = { SUCCESS: 'succeeded', PROCESSING: 'processing', CLOSED: 'failed', ABNORMAL: 'failed' };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export class WechatPayProvider implements WalletProvider {
  readonly method = 'wechat' as const;
  readonly merchantId: string;
  private readonly base: string;
  private readonly merchantKey: KeyObject;
  private readonly platformKey: KeyObject;

  constructor(private readonly config: WechatPayConfig) {
    this.merchantId = config.mchId;
    this.base = config.baseUrl.replace(/\/+$/, '');
    this.merchantKey = privateKeyOf(config.merchantPrivateKeyPem);
    this.platformKey = publicKeyOf(config.platformPublicKeyPem);
  }

  async createOrder(order: OrderRequest): Promise<PayInstruction> {
    assertValidOrder(order);
    if (order.channel === 'jsapi' && !order.payerOpenId) throw new WalletProviderError('INVALID_REQUEST', 'A JSAPI order needs the payer openid.', false);
    if (order.channel === 'h5' && !order.clientIp) throw new WalletProviderError('INVALID_REQUEST', 'An H5 order needs the payer IP address.', false);
    const body = {
      appid: this.config.appId,
      mchid: this.config.mchId,
      description: order.description,
      out_trade_no: order.reference,
      time_expire: beijingRfc3339(order.expiresAt),
      notify_url: order.notifyUrl,
      amount: { total: order.amount, currency: 'CNY' },
      ...(order.channel === 'jsapi' ? { payer: { openid: order.payerOpenId } } : {}),
      ...(order.channel === 'h5' ? { scene_info: { payer_client_ip: order.clientIp, h5_info: { type: 'Wap' } } } : {}),
    };
    const answer = await this.call('POST', `/v3/pay/transactions/${CHANNEL_PATH[order.channel]}`, body);
    if (order.channel === 'qr') return { channel: 'qr', codeUrl: this.field(answer, 'code_url') };
    if (order.channel === 'jsapi') return { channel: 'jsapi', params: jsapiPayParams(this.config.appId, this.field(answer, 'prepay_id'), this.merchantKey) };
    const h5Url = this.field(answer, 'h5_url');
    // The documented way back from the H5 cashier: redirect_url appended, URL-encoded.
    return { channel: 'h5', redirectUrl: order.returnUrl ? `${h5Url}&redirect_url=${encodeURIComponent(order.returnUrl)}` : h5Url };
  }

  async queryOrder(reference: string): Promise<OrderState> {
    assertValidReference(reference);
    let answer: Answer;
    try {
      answer = await this.call('GET', `/v3/pay/transactions/out-trade-no/${reference}?mchid=${encodeURIComponent(this.config.mchId)}`);
    } catch (error) {
      if (error instanceof WalletProviderError && error.code === 'ORDER_NOT_EXIST') return { reference, status: 'not_found' };
      throw error;
    }
    const transaction = answer.body as Transaction;
    if (transaction.mchid !== this.config.mchId || transaction.out_trade_no !== reference) {
      throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer for ${reference} names another order or merchant.`, true);
    }
    const status = TRADE_STATUS[transaction.trade_state ?? ''];
    if (!status) throw new WalletProviderError('UNKNOWN_STATE', `Unknown trade_state ${String(transaction.trade_state)}.`, true);
    return {
      reference,
      status,
      ...(transaction.transaction_id ? { providerTransactionId: transaction.transaction_id } : {}),
      ...(typeof transaction.amount?.total === 'number' ? { amount: transaction.amount.total } : {}),
      ...(transaction.success_time ? { paidAt: new Date(transaction.success_time).toISOString() } : {}),
    };
  }

  async closeOrder(reference: string): Promise<void> {
    assertValidReference(reference);
    let refusal: WalletProviderError | undefined;
    try {
      await this.call('POST', `/v3/pay/transactions/out-trade-no/${reference}/close`, { mchid: this.config.mchId });
    } catch (error) {
      if (!(error instanceof WalletProviderError) || error.retryable) throw error;
      refusal = error;
    }
    const { status } = await this.queryOrder(reference);
    if (status === 'paid' || status === 'refunded') throw new WalletProviderError('ORDER_PAID', `Order ${reference} is paid and cannot be closed.`, false);
    if (status === 'closed' || status === 'not_found') return;
    throw refusal ?? new WalletProviderError('NOT_CLOSED', `Order ${reference} is still open after closing it.`, true);
  }

  async refund(request: RefundRequest): Promise<RefundState> {
    assertValidReference(request.reference);
    const answer = await this.call('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: request.reference,
      out_refund_no: request.refundReference,
      reason: request.reason,
      // Without notify_url WeChat Pay notifies the URL set in the merchant platform; an empty one would be refused.
      ...(request.notifyUrl ? { notify_url: request.notifyUrl } : {}),
      amount: { refund: request.amount, total: request.total, currency: 'CNY' },
    });
    const refund = answer.body as { refund_id?: string; out_refund_no?: string; status?: string; amount?: { refund?: number } };
    const status = REFUND_STATUS[refund.status ?? ''];
    if (!status || refund.out_refund_no !== request.refundReference) {
      throw new WalletProviderError('UNVERIFIED_RESPONSE', `Unexpected refund answer for ${request.refundReference}.`, true);
    }
    return { refundReference: request.refundReference, status, amount: refund.amount?.refund ?? request.amount, ...(refund.refund_id ? { providerRefundId: refund.refund_id } : {}) };
  }

  async parseNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<WalletNotification | undefined> {
    try {
      const signed = {
        timestamp: headerValue(headers, 'Wechatpay-Timestamp'),
        nonce: headerValue(headers, 'Wechatpay-Nonce'),
        signature: headerValue(headers, 'Wechatpay-Signature'),
        serial: headerValue(headers, 'Wechatpay-Serial'),
      };
      if (!verifySignedBody(signed, rawBody, this.platformKey, this.config.platformPublicKeyId, Date.now() / 1000)) return undefined;
      const envelope = parseJson(rawBody);
      if (!isObject(envelope) || !isObject(envelope.resource)) return undefined;
      const plaintext = decryptResource(envelope.resource as EncryptedResource, this.config.apiV3Key);
      const content = plaintext === undefined ? undefined : parseJson(plaintext);
      if (!isObject(content) || content.mchid !== this.config.mchId) return undefined;
      if (envelope.event_type === 'TRANSACTION.SUCCESS') return this.paymentOf(content as Transaction);
      if (typeof envelope.event_type === 'string' && envelope.event_type.startsWith('REFUND.')) return this.refundOf(content as RefundResource);
      return undefined;
    } catch {
      return undefined;
    }
  }

  acknowledge(accepted: boolean): NotificationAck {
    if (accepted) return { status: 200, headers: {}, body: '' };
    return { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'FAIL', message: '通知未被接受' }) };
  }

  private paymentOf(transaction: Transaction): WalletNotification | undefined {
    const { appid, out_trade_no, transaction_id, trade_state, success_time, amount } = transaction;
    if (trade_state !== 'SUCCESS' || appid !== this.config.appId || !out_trade_no || !transaction_id || !success_time) return undefined;
    if (typeof amount?.total !== 'number' || Number.isNaN(Date.parse(success_time))) return undefined;
    return { kind: 'payment', reference: out_trade_no, providerTransactionId: transaction_id, amount: amount.total, paidAt: new Date(success_time).toISOString(), merchantId: this.config.mchId, appId: appid };
  }

  private refundOf(refund: RefundResource): WalletNotification | undefined {
    const { out_trade_no, out_refund_no, refund_id, refund_status, amount } = refund;
    if (!out_trade_no || !out_refund_no || !refund_id || typeof amount?.refund !== 'number') return undefined;
    if (refund_status !== 'SUCCESS' && refund_status !== 'CLOSED' && refund_status !== 'ABNORMAL') return undefined;
    return { kind: 'refund', reference: out_trade_no, refundReference: out_refund_no, providerRefundId: refund_id, amount: amount.refund, status: refund_status === 'SUCCESS' ? 'succeeded' : 'failed' };
  }

  private field(answer: Answer, name: string): string {
    const value = answer.body[name];
    if (typeof value !== 'string' || value === '') throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer has no ${name}.`, true);
    return value;
  }

  /** One signed request; a 2xx answer is returned only once its signature verifies. */
  private async call(method: 'GET' | 'POST', pathAndQuery: string, payload?: object): Promise<Answer> {
    const url = new URL(this.base + pathAndQuery);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = authorizationHeader({
      mchId: this.config.mchId,
      serialNo: this.config.merchantSerialNo,
      privateKey: this.merchantKey,
      method,
      pathAndQuery: url.pathname + url.search,
      body,
    });
    const response = await fetchWithTimeout(
      url.href,
      {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          'user-agent': 'smart-community-wallet/1.0',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body }),
      },
      TIMEOUT_MS,
    );
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) {
      const signed = {
        timestamp: response.headers.get('wechatpay-timestamp') ?? undefined,
        nonce: response.headers.get('wechatpay-nonce') ?? undefined,
        signature: response.headers.get('wechatpay-signature') ?? undefined,
        serial: response.headers.get('wechatpay-serial') ?? undefined,
      };
      if (!verifySignedBody(signed, text, this.platformKey, this.config.platformPublicKeyId, Date.now() / 1000)) {
        throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer to ${method} ${url.pathname} is not signed by WeChat Pay.`, true);
      }
      const parsed = text === '' ? {} : parseJson(text);
      if (!isObject(parsed)) throw new WalletProviderError('UNVERIFIED_RESPONSE', `The answer to ${method} ${url.pathname} is not JSON.`, true);
      return { status: response.status, body: parsed };
    }
    const error = parseJson(text);
    const providerCode = isObject(error) && typeof error.code === 'string' ? error.code : `HTTP_${response.status}`;
    const message = isObject(error) && typeof error.message === 'string' ? error.message : text.slice(0, 200);
    throw new WalletProviderError(SHARED_CODES[providerCode] ?? providerCode, `WeChat Pay: ${message}`, response.status >= 500 || response.status === 429 || RETRYABLE.has(providerCode));
  }
}
