// The local stand-in of WeChat Pay (APIv3) and Alipay (openapi gateway) behind `npm start` and the tests: real
// HTTP speaking each documented protocol, so the real adapters run against it unchanged. It checks every merchant
// request's signature with the merchant's public key (WeChat Pay: 401 SIGN_ERROR; Alipay: 40002
// isv.invalid-signature), signs every answer with its own platform key, and delivers signed notifications
// (WeChat Pay: JSON with an AEAD_AES_256_GCM `resource`; Alipay: a signed form) to the order's notify URL,
// re-signed on each attempt and retried until the platform acknowledges, like the providers do.
//
// On first start it generates the merchant's and its own RSA key pairs and the APIv3 key into `dir` (0600);
// orders, refunds and undelivered notifications live in `dir/payment-sandbox.json`, so a restart loses nothing
// and resumes the retries. The providers' behaviours that bite integrators are kept: an Alipay trade exists
// only once its QR code is scanned or its cashier opened (before that: ACQ.TRADE_NOT_EXIST, and closing it
// locks the code), and an expired WeChat Pay order stays NOTPAY until it is closed. There is no wallet app, so
// QR codes and H5 links open the sandbox's cashier page, whose "pay" button plays the resident paying.
// Answers for situations the documentation leaves open (creating or closing a paid WeChat Pay order: 400
// ORDERPAID) are the sandbox's choice.

import { createPrivateKey, createPublicKey, createHash, generateKeyPair, randomBytes, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beijingTime, fenOf, responseKey, signGatewayAnswer, signNotification, verifyRequest, yuanOf } from '../../shared/ports/alipay-rsa2.ts';
import type { AlipayConfig } from '../../shared/ports/alipay-provider.ts';
import type { WalletMethod } from '../../shared/ports/wallet-provider.ts';
import type { WechatPayConfig } from '../../shared/ports/wechatpay-provider.ts';
import { beijingRfc3339, encryptResource, parseAuthorization, requestMessage, signBody, verifySha256WithRsa, withinWindow } from '../../shared/ports/wechatpay-v3.ts';

export type MerchantConfigs = { wechatpay: WechatPayConfig; alipay: AlipayConfig };

export type PaymentSandboxOptions = {
  dir: string;
  /** Where the sandbox is reachable (http://localhost:3000): its API base URLs and cashier links start here. */
  publicUrl: string;
  /** Waits between notification attempts after the first; the real providers go on for a day (15 s … 6 h). */
  retryDelaysMs?: number[];
};

type Provider = 'wechatpay' | 'alipay';
type Channel = 'qr' | 'h5' | 'jsapi';

type SandboxRefund = { refundReference: string; refundId: string; amount: number; reason: string; notifyUrl?: string; createdAt: string };

type SandboxOrder = {
  provider: Provider;
  reference: string;
  channel: Channel;
  amount: number;
  description: string;
  notifyUrl?: string;
  returnUrl?: string;
  /** Alipay wap.pay's quit_url: where the cashier's 返回商家 link takes a payer who does not pay. */
  quitUrl?: string;
  expiresAt?: string;
  payerOpenId?: string;
  /** WeChat Pay's prepay_id, Alipay's QR token. */
  token: string;
  status: 'pending' | 'paid' | 'closed';
  /** Alipay: the trade exists once its QR code is scanned or its cashier opened. WeChat Pay orders always are. */
  opened: boolean;
  expired: boolean;
  transactionId?: string;
  paidAt?: string;
  createdAt: string;
  refunds: SandboxRefund[];
};

type Delivery = {
  id: string;
  provider: Provider;
  reference: string;
  refundReference?: string;
  url: string;
  attempts: number;
  nextAt: number;
  state: 'pending' | 'delivered' | 'abandoned';
};

type SandboxState = { orders: Record<string, SandboxOrder>; deliveries: Delivery[] };

type Keys = {
  wechatMerchant: KeyObject;
  wechatPlatform: KeyObject;
  apiV3Key: string;
  alipayApp: KeyObject;
  alipayPlatform: KeyObject;
};

/** Merchant and app ids of the test merchant (the documentation's example numbers). */
const WECHAT_MCH_ID = '1900000109';
const WECHAT_APP_ID = 'wxd678efh567hg6787';
const ALIPAY_APP_ID = '2021000000000001';
const ALIPAY_SELLER_ID = '2088000000000001';
const WECHAT_PREFIX = '/_sandbox/wechatpay';
const ALIPAY_PREFIX = '/_sandbox/alipay';
const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 30_000, 60_000, 180_000, 600_000];
const BODY_LIMIT = 1024 * 1024;
const DELIVERY_TIMEOUT_MS = 10_000;

const generateRsaKey = promisify(generateKeyPair);
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');
const keyHash = (key: KeyObject) => createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const beijingDate = () => beijingTime(Date.now()).slice(0, 10).replaceAll('-', '');

export class SandboxError extends Error {
  override name = 'SandboxError';
}

async function loadKeys(dir: string): Promise<Keys> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKey = async (name: string) => {
    const file = join(dir, name);
    if (!existsSync(file)) {
      const { privateKey: key } = await generateRsaKey('rsa', { modulusLength: 2048 });
      writeFileSync(file, pem(key), { mode: 0o600 });
    }
    return createPrivateKey(readFileSync(file, 'utf8'));
  };
  const apiV3File = join(dir, 'wechatpay-apiv3-key');
  if (!existsSync(apiV3File)) writeFileSync(apiV3File, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const [wechatMerchant, wechatPlatform, alipayApp, alipayPlatform] = await Promise.all([
    privateKey('wechatpay-merchant-private-key.pem'),
    privateKey('wechatpay-platform-private-key.pem'),
    privateKey('alipay-app-private-key.pem'),
    privateKey('alipay-platform-private-key.pem'),
  ]);
  return { wechatMerchant, wechatPlatform, apiV3Key: readFileSync(apiV3File, 'utf8').trim(), alipayApp, alipayPlatform };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => (size > BODY_LIMIT ? fail(new SandboxError('Request body too large')) : done(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', fail);
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const obj = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function page(res: ServerResponse, status: number, title: string, content: string): void {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<p><strong>本地支付沙箱 · Local payment sandbox</strong> — no real money moves here.</p>
<h1 style="font-size:1.3rem">${escapeHtml(title)}</h1>${content}</body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

export class PaymentSandbox {
  private readonly retryDelaysMs: number[];
  private readonly publicUrl: string;
  private readonly stateFile: string;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly wechatMerchantPublic: KeyObject;
  private readonly alipayAppPublic: KeyObject;
  private stopped = false;

  private constructor(
    options: PaymentSandboxOptions,
    private readonly keys: Keys,
    private readonly state: SandboxState,
  ) {
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.stateFile = join(options.dir, 'payment-sandbox.json');
    this.wechatMerchantPublic = createPublicKey(keys.wechatMerchant);
    this.alipayAppPublic = createPublicKey(keys.alipayApp);
  }

  static async open(options: PaymentSandboxOptions): Promise<PaymentSandbox> {
    const keys = await loadKeys(options.dir);
    const file = join(options.dir, 'payment-sandbox.json');
    const state: SandboxState = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxState) : { orders: {}, deliveries: [] };
    const sandbox = new PaymentSandbox(options, keys, state);
    for (const delivery of state.deliveries) if (delivery.state === 'pending') sandbox.schedule(delivery, Math.max(0, delivery.nextAt - Date.now()));
    return sandbox;
  }

  /** What the platform configures its adapters with: the test merchant's ids, keys and this sandbox's URLs. */
  merchantConfig(): MerchantConfigs {
    return {
      wechatpay: {
        baseUrl: `${this.publicUrl}${WECHAT_PREFIX}`,
        mchId: WECHAT_MCH_ID,
        appId: WECHAT_APP_ID,
        merchantSerialNo: this.merchantSerialNo,
        merchantPrivateKeyPem: pem(this.keys.wechatMerchant),
        apiV3Key: this.keys.apiV3Key,
        platformPublicKeyPem: publicPem(this.keys.wechatPlatform),
        platformPublicKeyId: this.platformPublicKeyId,
      },
      alipay: {
        gatewayUrl: `${this.publicUrl}${ALIPAY_PREFIX}/gateway.do`,
        appId: ALIPAY_APP_ID,
        sellerId: ALIPAY_SELLER_ID,
        appPrivateKeyPem: pem(this.keys.alipayApp),
        alipayPublicKeyPem: publicPem(this.keys.alipayPlatform),
      },
    };
  }

  /** Serves /_sandbox/wechatpay/… and /_sandbox/alipay/…; false for any other path, so a server can mount it. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const isWechat = url.pathname.startsWith(`${WECHAT_PREFIX}/`);
    if (!isWechat && !url.pathname.startsWith(`${ALIPAY_PREFIX}/`)) return false;
    try {
      const body = await readBody(req);
      if (isWechat) await this.serveWechat(req, res, url, body);
      else await this.serveAlipay(req, res, url, body);
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: String(error) }));
      }
    }
    return true;
  }

  /**
   * The resident pays in the wallet app (for Alipay: scans, then pays). With `notify: false` the provider's
   * notification is lost, so only queryOrder can tell. Paying twice is a no-op; a closed or expired order refuses.
   */
  complete(reference: string, options: { notify?: boolean; method?: WalletMethod } = {}): void {
    const order = this.findOrder(reference, options.method);
    if (order.status === 'paid') return;
    if (order.status === 'closed') throw new SandboxError(`Order ${reference} is closed and cannot be paid.`);
    if (this.isExpired(order)) throw new SandboxError(`Order ${reference} expired and cannot be paid.`);
    if (order.provider === 'alipay') this.openTrade(order);
    order.status = 'paid';
    order.paidAt = new Date().toISOString();
    order.transactionId ??= `4200${beijingDate()}${digits(16)}`;
    if (options.notify ?? true) this.enqueue(order);
    this.save();
  }

  /** The order's time runs out: it can no longer be paid. Alipay closes the trade; WeChat Pay keeps it NOTPAY until closed. */
  expire(reference: string, method?: WalletMethod): void {
    const order = this.findOrder(reference, method);
    order.expired = true;
    if (order.provider === 'alipay' && order.status === 'pending' && order.opened) order.status = 'closed';
    this.save();
  }

  /** The provider's books: every refund of an order, to see that a repeated request refunded once. */
  refundsOf(reference: string, method?: WalletMethod): SandboxRefund[] {
    return [...this.findOrder(reference, method).refunds];
  }

  /** Stops the retry timers and waits for deliveries under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private get merchantSerialNo(): string {
    return keyHash(this.keys.wechatMerchant).slice(0, 40);
  }

  private get platformPublicKeyId(): string {
    return `PUB_KEY_ID_${keyHash(this.keys.wechatPlatform).slice(0, 32)}`;
  }

  private findOrder(reference: string, method?: WalletMethod): SandboxOrder {
    const candidates = (['wechatpay', 'alipay'] as const)
      .filter((provider) => method === undefined || (method === 'wechat') === (provider === 'wechatpay'))
      .map((provider) => this.state.orders[`${provider}:${reference}`])
      .filter((order): order is SandboxOrder => order !== undefined);
    if (candidates.length === 0) throw new SandboxError(`No sandbox order ${reference}.`);
    if (candidates.length > 1) throw new SandboxError(`Both providers hold order ${reference}; name the method.`);
    return candidates[0]!;
  }

  private order(provider: Provider, reference: string): SandboxOrder | undefined {
    return this.state.orders[`${provider}:${reference}`];
  }

  private isExpired(order: SandboxOrder): boolean {
    return order.expired || (order.expiresAt !== undefined && Date.parse(order.expiresAt) < Date.now());
  }

  /** An Alipay trade comes into being, with its trade_no, when the payer scans its code or opens its cashier. */
  private openTrade(order: SandboxOrder): void {
    order.opened = true;
    order.transactionId ??= `${beijingDate()}2200${digits(16)}`;
  }

  private refunded(order: SandboxOrder): number {
    return order.refunds.reduce((sum, refund) => sum + refund.amount, 0);
  }

  private save(): void {
    const temporary = `${this.stateFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(temporary, this.stateFile);
  }

  // ---- WeChat Pay APIv3 ----

  private sendWechat(res: ServerResponse, status: number, payload?: object): void {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers: Record<string, string> = {
      ...signBody(body, this.keys.wechatPlatform, this.platformPublicKeyId),
      'Request-ID': randomUUID(),
      ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    };
    res.writeHead(status, headers);
    res.end(body);
  }

  private wechatError(res: ServerResponse, status: number, code: string, message: string): void {
    this.sendWechat(res, status, { code, message });
  }

  private async serveWechat(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const path = url.pathname.slice(WECHAT_PREFIX.length);
    if (path === '/checkmweb' && req.method === 'GET') return this.wechatCashier(res, url);
    if (path === '/checkmweb/pay' && req.method === 'POST') return this.wechatCashierPay(res, body);

    const auth = parseAuthorization(req.headers.authorization);
    const signedOk =
      auth !== undefined &&
      auth.mchid === WECHAT_MCH_ID &&
      auth.serial_no === this.merchantSerialNo &&
      withinWindow(auth.timestamp, Date.now() / 1000) &&
      verifySha256WithRsa(requestMessage(req.method ?? 'GET', req.url ?? '', auth.timestamp, auth.nonce_str, body), auth.signature, this.wechatMerchantPublic);
    if (!signedOk) return this.wechatError(res, 401, 'SIGN_ERROR', '签名错误，请检查后再试');

    const create = /^\/v3\/pay\/transactions\/(native|h5|jsapi)$/.exec(path);
    if (create && req.method === 'POST') return this.wechatCreate(res, create[1] as 'native' | 'h5' | 'jsapi', body);
    const query = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path);
    if (query && req.method === 'GET') return this.wechatQuery(res, decodeURIComponent(query[1]!), url.searchParams.get('mchid'));
    const close = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(path);
    if (close && req.method === 'POST') return this.wechatClose(res, decodeURIComponent(close[1]!), body);
    if (path === '/v3/refund/domestic/refunds' && req.method === 'POST') return this.wechatRefund(res, body);
    return this.wechatError(res, 404, 'NOT_FOUND', `No API ${req.method} ${path}`);
  }

  private wechatInstruction(order: SandboxOrder): object {
    const cashier = `${this.publicUrl}${WECHAT_PREFIX}/checkmweb?prepay_id=${order.token}`;
    if (order.channel === 'qr') return { code_url: cashier };
    if (order.channel === 'h5') return { h5_url: `${cashier}&package=${digits(10)}` };
    return { prepay_id: order.token };
  }

  private wechatCreate(res: ServerResponse, tradeType: 'native' | 'h5' | 'jsapi', body: string): void {
    const request = parseJsonObject(body);
    if (!request) return this.wechatError(res, 400, 'PARAM_ERROR', '请求体不是合法的JSON');
    const reference = str(request.out_trade_no) ?? '';
    const total = obj(request.amount).total;
    const description = str(request.description) ?? '';
    const timeExpire = str(request.time_expire);
    const notifyUrl = str(request.notify_url) ?? '';
    const openId = str(obj(request.payer).openid);
    const clientIp = str(obj(request.scene_info).payer_client_ip);
    if (request.mchid !== WECHAT_MCH_ID) return this.wechatError(res, 400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
    if (request.appid !== WECHAT_APP_ID) return this.wechatError(res, 400, 'APPID_MCHID_NOT_MATCH', 'AppID和mch_id不匹配');
    if (!/^[A-Za-z0-9_\-|*]{6,32}$/.test(reference)) return this.wechatError(res, 400, 'PARAM_ERROR', '输入源“/body/out_trade_no”映射到字段“商户订单号”字符串规则校验失败');
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 1) return this.wechatError(res, 400, 'PARAM_ERROR', '订单金额必须为正整数（分）');
    if (description.length < 1 || description.length > 127) return this.wechatError(res, 400, 'PARAM_ERROR', '商品描述长度应为1到127');
    if (!/^https?:\/\//.test(notifyUrl)) return this.wechatError(res, 400, 'PARAM_ERROR', 'notify_url格式不正确');
    if (timeExpire !== undefined && Number.isNaN(Date.parse(timeExpire))) return this.wechatError(res, 400, 'PARAM_ERROR', 'time_expire格式不正确');
    if (tradeType === 'jsapi' && !openId) return this.wechatError(res, 400, 'PARAM_ERROR', 'JSAPI下单缺少payer.openid');
    if (tradeType === 'h5' && (!clientIp || !str(obj(obj(request.scene_info).h5_info).type))) return this.wechatError(res, 400, 'PARAM_ERROR', 'H5下单缺少scene_info');
    const channel: Channel = tradeType === 'native' ? 'qr' : tradeType;
    const expiresAt = timeExpire === undefined ? undefined : new Date(timeExpire).toISOString();

    const existing = this.order('wechatpay', reference);
    if (existing) {
      if (existing.status === 'paid') return this.wechatError(res, 400, 'ORDERPAID', '该订单已支付');
      if (existing.status === 'closed') return this.wechatError(res, 400, 'ORDER_CLOSED', '当前订单已关闭，请重新下单');
      if (existing.channel !== channel || existing.amount !== total || existing.expiresAt !== expiresAt || existing.payerOpenId !== openId) {
        return this.wechatError(res, 403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      }
      return this.sendWechat(res, 200, this.wechatInstruction(existing));
    }
    const order: SandboxOrder = {
      provider: 'wechatpay',
      reference,
      channel,
      amount: total,
      description,
      notifyUrl,
      ...(expiresAt ? { expiresAt } : {}),
      ...(openId ? { payerOpenId: openId } : {}),
      token: `wx${beijingTime(Date.now()).replace(/\D/g, '')}${randomBytes(8).toString('hex')}`,
      status: 'pending',
      opened: true,
      expired: false,
      createdAt: new Date().toISOString(),
      refunds: [],
    };
    this.state.orders[`wechatpay:${reference}`] = order;
    this.save();
    this.sendWechat(res, 200, this.wechatInstruction(order));
  }

  private wechatTransaction(order: SandboxOrder): Record<string, unknown> {
    const tradeState = order.status === 'paid' ? (order.refunds.length > 0 ? 'REFUND' : 'SUCCESS') : order.status === 'closed' ? 'CLOSED' : 'NOTPAY';
    const description = { SUCCESS: '支付成功', REFUND: '转入退款', CLOSED: '已关闭', NOTPAY: '未支付' }[tradeState];
    return {
      appid: WECHAT_APP_ID,
      mchid: WECHAT_MCH_ID,
      out_trade_no: order.reference,
      trade_type: { qr: 'NATIVE', h5: 'MWEB', jsapi: 'JSAPI' }[order.channel],
      trade_state: tradeState,
      trade_state_desc: description,
      ...(order.status === 'paid'
        ? { transaction_id: order.transactionId, bank_type: 'OTHERS', success_time: beijingRfc3339(order.paidAt!), payer: { openid: order.payerOpenId ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } }
        : {}),
      amount: { total: order.amount, currency: 'CNY', ...(order.status === 'paid' ? { payer_total: order.amount, payer_currency: 'CNY' } : {}) },
    };
  }

  private wechatQuery(res: ServerResponse, reference: string, mchId: string | null): void {
    if (mchId !== WECHAT_MCH_ID) return this.wechatError(res, 400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
    const order = this.order('wechatpay', reference);
    if (!order) return this.wechatError(res, 404, 'ORDER_NOT_EXIST', '订单不存在');
    this.sendWechat(res, 200, this.wechatTransaction(order));
  }

  private wechatClose(res: ServerResponse, reference: string, body: string): void {
    if (parseJsonObject(body)?.mchid !== WECHAT_MCH_ID) return this.wechatError(res, 400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
    const order = this.order('wechatpay', reference);
    if (!order) return this.wechatError(res, 404, 'ORDER_NOT_EXIST', '订单不存在');
    if (order.status === 'paid') return this.wechatError(res, 400, 'ORDERPAID', '订单已支付');
    if (order.status === 'closed') return this.wechatError(res, 400, 'ORDER_CLOSED', '订单已关闭');
    order.status = 'closed';
    this.save();
    this.sendWechat(res, 204);
  }

  private wechatRefundAnswer(order: SandboxOrder, refund: SandboxRefund, status: 'PROCESSING' | 'SUCCESS'): object {
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.refundReference,
      transaction_id: order.transactionId,
      out_trade_no: order.reference,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      create_time: beijingRfc3339(refund.createdAt),
      ...(status === 'SUCCESS' ? { success_time: beijingRfc3339(refund.createdAt) } : {}),
      status,
      funds_account: 'AVAILABLE',
      amount: { total: order.amount, refund: refund.amount, payer_total: order.amount, payer_refund: refund.amount, settlement_total: order.amount, settlement_refund: refund.amount, discount_refund: 0, currency: 'CNY' },
    };
  }

  private wechatRefund(res: ServerResponse, body: string): void {
    const request = parseJsonObject(body);
    const reference = str(request?.out_trade_no);
    const refundReference = str(request?.out_refund_no) ?? '';
    const amount = obj(request?.amount);
    if (!request || !reference || !/^[A-Za-z0-9_\-|*@]{1,64}$/.test(refundReference)) return this.wechatError(res, 400, 'PARAM_ERROR', '缺少out_trade_no或out_refund_no格式不正确');
    if (typeof amount.refund !== 'number' || !Number.isSafeInteger(amount.refund) || amount.refund < 1) return this.wechatError(res, 400, 'PARAM_ERROR', '退款金额必须为正整数（分）');
    const order = this.order('wechatpay', reference);
    if (!order) return this.wechatError(res, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const earlier = Object.values(this.state.orders)
      .filter((o) => o.provider === 'wechatpay')
      .flatMap((o) => o.refunds.map((r) => ({ o, r })))
      .find(({ r }) => r.refundReference === refundReference);
    if (earlier) {
      if (earlier.o !== order || earlier.r.amount !== amount.refund) return this.wechatError(res, 400, 'INVALID_REQUEST', '退款单号已被使用，且请求参数与原退款单不一致');
      return this.sendWechat(res, 200, this.wechatRefundAnswer(order, earlier.r, 'SUCCESS'));
    }
    if (order.status !== 'paid') return this.wechatError(res, 400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (amount.total !== order.amount) return this.wechatError(res, 400, 'INVALID_REQUEST', '订单金额与原订单不一致');
    if (this.refunded(order) + amount.refund > order.amount) return this.wechatError(res, 400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    const notifyUrl = str(request.notify_url);
    const refund: SandboxRefund = { refundReference, refundId: `50${digits(27)}`, amount: amount.refund, reason: str(request.reason) ?? '', ...(notifyUrl ? { notifyUrl } : {}), createdAt: new Date().toISOString() };
    order.refunds.push(refund);
    // WeChat Pay answers PROCESSING, then notifies REFUND.SUCCESS; without notify_url it would use the URL set in
    // the merchant platform, which a sandbox does not have, so no notification goes out then.
    if (notifyUrl) this.enqueue(order, refund);
    this.save();
    this.sendWechat(res, 200, this.wechatRefundAnswer(order, refund, 'PROCESSING'));
  }

  private wechatCashier(res: ServerResponse, url: URL): void {
    const prepayId = url.searchParams.get('prepay_id') ?? '';
    const order = Object.values(this.state.orders).find((o) => o.provider === 'wechatpay' && o.token === prepayId);
    if (!order) return page(res, 404, '订单不存在', '<p>This payment link is unknown to the sandbox.</p>');
    this.cashierPage(res, order, `${WECHAT_PREFIX}/checkmweb/pay`, { prepay_id: prepayId, redirect_url: url.searchParams.get('redirect_url') ?? '' });
  }

  private wechatCashierPay(res: ServerResponse, body: string): void {
    const form = new URLSearchParams(body);
    const order = Object.values(this.state.orders).find((o) => o.provider === 'wechatpay' && o.token === form.get('prepay_id'));
    if (!order) return page(res, 404, '订单不存在', '<p>This payment link is unknown to the sandbox.</p>');
    this.payAtCashier(res, order, () => form.get('redirect_url') || undefined);
  }

  // ---- Alipay openapi gateway ----

  private sendAlipay(res: ServerResponse, method: string, payload: object): void {
    const key = responseKey(method);
    const body = signGatewayAnswer(key, payload, this.keys.alipayPlatform);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
    res.end(body);
  }

  private alipayError(res: ServerResponse, method: string, code: string, subCode: string, subMsg: string): void {
    const msg = code === '40002' ? 'Invalid Arguments' : code === '40004' ? 'Business Failed' : 'Service Currently Unavailable';
    this.sendAlipay(res, method, { code, msg, sub_code: subCode, sub_msg: subMsg });
  }

  private async serveAlipay(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const path = url.pathname.slice(ALIPAY_PREFIX.length);
    const qr = /^\/qr\/([0-9a-f]+)$/.exec(path);
    if (qr && req.method === 'GET') return this.alipayScan(res, qr[1]!);
    if (path === '/cashier/pay' && req.method === 'POST') return this.alipayCashierPay(res, body);
    if (path !== '/gateway.do') return page(res, 404, 'Not found', '<p>No such sandbox page.</p>');

    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST' && body) Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
    const method = params.method ?? '';
    const isPage = method === 'alipay.trade.wap.pay';
    const refuse = (code: string, subCode: string, subMsg: string) =>
      isPage ? page(res, 400, `${code} ${subCode}`, `<p>${escapeHtml(subMsg)}</p>`) : this.alipayError(res, method || 'error', code, subCode, subMsg);

    if (!['alipay.trade.precreate', 'alipay.trade.query', 'alipay.trade.close', 'alipay.trade.refund', 'alipay.trade.wap.pay'].includes(method)) {
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(signGatewayAnswer('error_response', { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' }, this.keys.alipayPlatform));
      return;
    }
    if (params.app_id !== ALIPAY_APP_ID) return refuse('40002', 'isv.invalid-app-id', '无效的AppID参数');
    if (params.sign_type !== 'RSA2') return refuse('40002', 'isv.invalid-signature-type', '无效的签名类型');
    if (!verifyRequest(params, this.alipayAppPublic)) return refuse('40002', 'isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    const biz = parseJsonObject(params.biz_content ?? '');
    if (!biz) return refuse('40002', 'isv.invalid-biz-content', 'biz_content不是合法的JSON');
    const reference = str(biz.out_trade_no) ?? '';
    if (!/^[A-Za-z0-9_\-]{1,64}$/.test(reference)) return refuse('40004', 'ACQ.INVALID_PARAMETER', '参数无效: out_trade_no');

    if (method === 'alipay.trade.precreate' || method === 'alipay.trade.wap.pay') {
      const amount = fenOf(str(biz.total_amount));
      const subject = str(biz.subject) ?? '';
      const timeExpire = str(biz.time_expire);
      if (amount === undefined || amount < 1 || subject === '') return refuse('40004', 'ACQ.INVALID_PARAMETER', '参数无效: total_amount或subject');
      const channel: Channel = isPage ? 'h5' : 'qr';
      const expiresAt = timeExpire ? new Date(`${timeExpire.replace(' ', 'T')}+08:00`).toISOString() : undefined;
      let order = this.order('alipay', reference);
      if (order) {
        if (order.status === 'paid') return refuse('40004', 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
        if (order.status === 'closed') return refuse('40004', 'ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
        if (order.channel !== channel || order.amount !== amount || order.expiresAt !== expiresAt) return refuse('40004', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      } else {
        order = {
          provider: 'alipay',
          reference,
          channel,
          amount,
          description: subject,
          ...(params.notify_url ? { notifyUrl: params.notify_url } : {}),
          ...(params.return_url ? { returnUrl: params.return_url } : {}),
          ...(str(biz.quit_url) ? { quitUrl: str(biz.quit_url) } : {}),
          ...(expiresAt ? { expiresAt } : {}),
          token: randomBytes(12).toString('hex'),
          status: 'pending',
          opened: false,
          expired: false,
          createdAt: new Date().toISOString(),
          refunds: [],
        };
        this.state.orders[`alipay:${reference}`] = order;
      }
      if (isPage) {
        this.openTrade(order);
        this.save();
        return this.alipayCashier(res, order);
      }
      this.save();
      return this.sendAlipay(res, method, { code: '10000', msg: 'Success', out_trade_no: reference, qr_code: `${this.publicUrl}${ALIPAY_PREFIX}/qr/${order.token}` });
    }

    const order = this.order('alipay', reference);
    if (method === 'alipay.trade.close' && order && !order.opened) {
      // Closing before the scan fails, yet the code can no longer be paid: the documented trap, kept.
      order.status = 'closed';
      this.save();
    }
    if (!order || !order.opened) return refuse('40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (method === 'alipay.trade.query') return this.sendAlipay(res, method, { code: '10000', msg: 'Success', ...this.alipayTrade(order) });
    if (method === 'alipay.trade.close') {
      if (order.status !== 'pending') return refuse('40004', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      order.status = 'closed';
      this.save();
      return this.sendAlipay(res, method, { code: '10000', msg: 'Success', out_trade_no: reference, ...(order.transactionId ? { trade_no: order.transactionId } : {}) });
    }
    return this.alipayRefund(res, order, biz);
  }

  private alipayTradeStatus(order: SandboxOrder): string {
    if (order.status === 'pending') return 'WAIT_BUYER_PAY';
    return order.status === 'closed' || this.refunded(order) === order.amount ? 'TRADE_CLOSED' : 'TRADE_SUCCESS';
  }

  private alipayTrade(order: SandboxOrder): Record<string, string> {
    return {
      out_trade_no: order.reference,
      trade_no: order.transactionId ?? '',
      buyer_logon_id: '159****5620',
      trade_status: this.alipayTradeStatus(order),
      total_amount: yuanOf(order.amount),
      ...(order.paidAt ? { buyer_pay_amount: yuanOf(order.amount), send_pay_date: beijingTime(order.paidAt) } : {}),
    };
  }

  private alipayRefund(res: ServerResponse, order: SandboxOrder, biz: Record<string, unknown>): void {
    const method = 'alipay.trade.refund';
    const amount = fenOf(str(biz.refund_amount));
    // Without out_request_no Alipay treats the request as a full refund identified by the trade itself.
    const refundReference = str(biz.out_request_no) ?? order.reference;
    if (amount === undefined || amount < 1) return this.alipayError(res, method, '40004', 'ACQ.INVALID_PARAMETER', '参数无效: refund_amount');
    const answer = (fundChange: 'Y' | 'N') =>
      this.sendAlipay(res, method, {
        code: '10000',
        msg: 'Success',
        trade_no: order.transactionId,
        out_trade_no: order.reference,
        buyer_logon_id: '159****5620',
        fund_change: fundChange,
        refund_fee: yuanOf(this.refunded(order)),
      });
    if (order.refunds.some((refund) => refund.refundReference === refundReference)) return answer('N');
    if (order.status !== 'paid') return this.alipayError(res, method, '40004', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    if (this.refunded(order) + amount > order.amount) return this.alipayError(res, method, '40004', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    const refund: SandboxRefund = { refundReference, refundId: `${beijingDate()}${digits(12)}`, amount, reason: str(biz.refund_reason) ?? '', createdAt: new Date().toISOString() };
    order.refunds.push(refund);
    if (order.notifyUrl) this.enqueue(order, refund);
    this.save();
    answer('Y');
  }

  private alipayScan(res: ServerResponse, token: string): void {
    const order = Object.values(this.state.orders).find((o) => o.provider === 'alipay' && o.token === token);
    if (!order) return page(res, 404, '二维码无效', '<p>This QR code is unknown to the sandbox.</p>');
    if (order.status === 'pending' && !this.isExpired(order)) {
      this.openTrade(order);
      this.save();
    }
    this.alipayCashier(res, order);
  }

  private alipayCashier(res: ServerResponse, order: SandboxOrder): void {
    this.cashierPage(res, order, `${ALIPAY_PREFIX}/cashier/pay`, { out_trade_no: order.reference });
  }

  private alipayCashierPay(res: ServerResponse, body: string): void {
    const order = this.order('alipay', new URLSearchParams(body).get('out_trade_no') ?? '');
    if (!order) return page(res, 404, '交易不存在', '<p>This order is unknown to the sandbox.</p>');
    this.payAtCashier(res, order, () => (order.returnUrl ? this.alipayReturnUrl(order, order.returnUrl) : undefined));
  }

  /** Alipay sends the payer back to return_url with the trade's signed summary (never proof of payment). */
  private alipayReturnUrl(order: SandboxOrder, returnUrl: string): string {
    const fields = signNotification(
      {
        app_id: ALIPAY_APP_ID,
        auth_app_id: ALIPAY_APP_ID,
        charset: 'utf-8',
        method: 'alipay.trade.wap.pay.return',
        out_trade_no: order.reference,
        seller_id: ALIPAY_SELLER_ID,
        timestamp: beijingTime(Date.now()),
        total_amount: yuanOf(order.amount),
        trade_no: order.transactionId ?? '',
        version: '1.0',
      },
      this.keys.alipayPlatform,
    );
    return `${returnUrl}${returnUrl.includes('?') ? '&' : '?'}${new URLSearchParams({ ...fields, sign_type: 'RSA2' }).toString()}`;
  }

  // ---- the cashier page both providers share ----

  private cashierPage(res: ServerResponse, order: SandboxOrder, action: string, hidden: Record<string, string>): void {
    const provider = order.provider === 'wechatpay' ? '微信支付 WeChat Pay' : '支付宝 Alipay';
    const facts = `<p>${escapeHtml(provider)} · ${escapeHtml(order.description)}</p><p style="font-size:2rem;margin:.5rem 0">¥${yuanOf(order.amount)}</p><p>订单号 ${escapeHtml(order.reference)}</p>`;
    if (order.status === 'paid') return page(res, 200, '已支付 · Paid', facts);
    if (order.status === 'closed' || this.isExpired(order)) return page(res, 200, '订单已关闭 · Closed', facts);
    const inputs = Object.entries(hidden)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('');
    const quit = order.quitUrl ? `<p><a href="${escapeHtml(order.quitUrl)}">返回商家 · Back to the merchant</a></p>` : '';
    page(res, 200, '确认付款 · Confirm payment', `${facts}<form method="post" action="${escapeHtml(action)}">${inputs}<button type="submit" style="font-size:1.2rem;padding:.6rem 2rem">支付 · Pay</button></form>${quit}`);
  }

  /** `backTo` is asked after paying: Alipay's return URL carries the trade as paid. */
  private payAtCashier(res: ServerResponse, order: SandboxOrder, backTo: () => string | undefined): void {
    try {
      this.complete(order.reference, { method: order.provider === 'wechatpay' ? 'wechat' : 'alipay' });
    } catch (error) {
      return page(res, 409, '无法支付 · Cannot pay', `<p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`);
    }
    const target = backTo();
    if (target) {
      res.writeHead(303, { location: target });
      res.end();
      return;
    }
    page(res, 200, '支付成功 · Paid', `<p>¥${yuanOf(order.amount)} — ${escapeHtml(order.description)}</p>`);
  }

  // ---- notifications ----

  private enqueue(order: SandboxOrder, refund?: SandboxRefund): void {
    const url = refund?.notifyUrl ?? order.notifyUrl;
    if (!url) return;
    const delivery: Delivery = {
      id: randomUUID(),
      provider: order.provider,
      reference: order.reference,
      ...(refund ? { refundReference: refund.refundReference } : {}),
      url,
      attempts: 0,
      nextAt: Date.now(),
      state: 'pending',
    };
    this.state.deliveries.push(delivery);
    this.schedule(delivery, 0);
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(delivery.id);
      const attempt = this.deliver(delivery).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }, delayMs);
    timer.unref();
    this.timers.set(delivery.id, timer);
  }

  /** Builds the notification afresh for each attempt: its timestamp and signature must be current. */
  private notificationRequest(delivery: Delivery): { headers: Record<string, string>; body: string } {
    const order = this.order(delivery.provider, delivery.reference)!;
    const refund = order.refunds.find((r) => r.refundReference === delivery.refundReference);
    if (delivery.provider === 'wechatpay') {
      const content = refund
        ? {
            mchid: WECHAT_MCH_ID,
            out_trade_no: order.reference,
            transaction_id: order.transactionId,
            out_refund_no: refund.refundReference,
            refund_id: refund.refundId,
            refund_status: 'SUCCESS',
            success_time: beijingRfc3339(refund.createdAt),
            user_received_account: '支付用户零钱',
            amount: { total: order.amount, refund: refund.amount, payer_total: order.amount, payer_refund: refund.amount },
          }
        : this.wechatTransaction(order);
      const kind = refund ? 'refund' : 'transaction';
      const body = JSON.stringify({
        id: randomUUID(),
        create_time: beijingRfc3339(new Date().toISOString()),
        resource_type: 'encrypt-resource',
        event_type: refund ? 'REFUND.SUCCESS' : 'TRANSACTION.SUCCESS',
        summary: refund ? '退款成功' : '支付成功',
        resource: encryptResource(JSON.stringify(content), this.keys.apiV3Key, kind),
      });
      return { headers: { 'content-type': 'application/json', ...signBody(body, this.keys.wechatPlatform, this.platformPublicKeyId) }, body };
    }
    const fields = signNotification(
      {
        notify_time: beijingTime(Date.now()),
        notify_type: 'trade_status_sync',
        notify_id: `${beijingDate()}${digits(24)}`,
        app_id: ALIPAY_APP_ID,
        auth_app_id: ALIPAY_APP_ID,
        charset: 'utf-8',
        version: '1.0',
        trade_no: order.transactionId ?? '',
        out_trade_no: order.reference,
        buyer_id: '2088102177846880',
        buyer_logon_id: '159****5620',
        seller_id: ALIPAY_SELLER_ID,
        trade_status: refund ? this.alipayTradeStatus(order) : 'TRADE_SUCCESS',
        total_amount: yuanOf(order.amount),
        receipt_amount: yuanOf(order.amount),
        invoice_amount: yuanOf(order.amount),
        buyer_pay_amount: yuanOf(order.amount),
        point_amount: '0.00',
        subject: order.description,
        gmt_create: beijingTime(order.createdAt),
        gmt_payment: beijingTime(order.paidAt!),
        fund_bill_list: JSON.stringify([{ amount: yuanOf(order.amount), fundChannel: 'ALIPAYACCOUNT' }]),
        ...(refund ? { out_biz_no: refund.refundReference, refund_fee: yuanOf(this.refunded(order)), send_back_fee: yuanOf(refund.amount), gmt_refund: `${beijingTime(refund.createdAt)}.000` } : {}),
      },
      this.keys.alipayPlatform,
    );
    return { headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, body: new URLSearchParams({ ...fields, sign_type: 'RSA2' }).toString() };
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { headers, body } = this.notificationRequest(delivery);
    let acknowledged = false;
    try {
      const response = await fetch(delivery.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      const text = await response.text();
      // WeChat Pay takes any 2xx as received; Alipay wants the body `success`.
      acknowledged = delivery.provider === 'wechatpay' ? response.ok : text.trim() === 'success';
    } catch {
      acknowledged = false;
    }
    delivery.attempts += 1;
    if (acknowledged) delivery.state = 'delivered';
    else if (delivery.attempts > this.retryDelaysMs.length) delivery.state = 'abandoned';
    else {
      const delay = this.retryDelaysMs[delivery.attempts - 1]!;
      delivery.nextAt = Date.now() + delay;
      this.schedule(delivery, delay);
    }
    this.save();
  }
}

export type StandalonePaymentSandbox = { sandbox: PaymentSandbox; url: string; stop: () => Promise<void> };

/** The sandbox alone on its own port (0: any free one), for tests. */
export async function startPaymentSandbox(options: { port?: number; dir: string; retryDelaysMs?: number[] }): Promise<StandalonePaymentSandbox> {
  let ready!: (sandbox: PaymentSandbox) => void;
  const opened = new Promise<PaymentSandbox>((done) => (ready = done));
  const server = createServer((req, res) => {
    void opened.then(async (sandbox) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!(await sandbox.handle(req, res, url))) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Not a sandbox path');
      }
    });
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const sandbox = await PaymentSandbox.open({ dir: options.dir, publicUrl: url, ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}) });
  ready(sandbox);
  return {
    sandbox,
    url,
    stop: async () => {
      await sandbox.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
