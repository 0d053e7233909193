// The real WeChat Pay and Alipay adapters against the standalone payment sandbox over HTTP, with a small HTTP
// server playing the platform's notify routes: it verifies each notification with the adapter and answers with
// the adapter's acknowledgement, as the platform's handlers will.

import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentSandbox, type StandalonePaymentSandbox } from '../../infra/local/payment-sandbox.ts';
import { AlipayProvider } from '../../shared/ports/alipay-provider.ts';
import { verifyNotification } from '../../shared/ports/alipay-rsa2.ts';
import { WalletProviderError, type OrderRequest, type PayChannel, type WalletNotification, type WalletProvider } from '../../shared/ports/wallet-provider.ts';
import { WechatPayProvider } from '../../shared/ports/wechatpay-provider.ts';
import { encryptResource, jsapiMessage, signBody, verifySha256WithRsa } from '../../shared/ports/wechatpay-v3.ts';
import { pressPay } from '../support/cashier.ts';

type Received = { route: 'wechatpay' | 'alipay'; status: number; notification: WalletNotification | undefined };

/** The platform's notify routes: verify with the adapter, answer its acknowledgement, or fail on purpose. */
class NotifyRoutes {
  readonly received: Received[] = [];
  private readonly failing = new Map<string, number>();
  private server!: Server;
  url = '';
  adapters: Partial<Record<'wechatpay' | 'alipay', WalletProvider>> = {};

  /** The next `times` notifications about `reference` get a 500, as a platform that is down would answer. */
  fail(reference: string, times: number) {
    this.failing.set(reference, times);
  }

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const route = req.url === '/notify/alipay' ? 'alipay' : 'wechatpay';
        const adapter = this.adapters[route]!;
        const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
        const notification = await adapter.parseNotification(headers, Buffer.concat(chunks).toString('utf8'));
        const failures = notification ? (this.failing.get(notification.reference) ?? 0) : 0;
        if (failures > 0) {
          this.failing.set(notification!.reference, failures - 1);
          this.received.push({ route, status: 500, notification });
          res.writeHead(500).end();
          return;
        }
        const ack = adapter.acknowledge(notification !== undefined);
        this.received.push({ route, status: ack.status, notification });
        res.writeHead(ack.status, ack.headers).end(ack.body);
      });
    });
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  about(reference: string, kind?: WalletNotification['kind']) {
    return this.received.filter((r) => r.notification?.reference === reference && (kind === undefined || r.notification.kind === kind));
  }

  stop() {
    return new Promise<void>((done) => {
      this.server.close(() => done());
      this.server.closeAllConnections();
    });
  }
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function providerError(promise: Promise<unknown>): Promise<WalletProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WalletProviderError);
  return error as WalletProviderError;
}

const otherKeyPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const otherPublicKeyPem = () => createPublicKey(otherKeyPem()).export({ type: 'spki', format: 'pem' }).toString();
let sequence = 0;
const nextReference = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence += 1)}`;

const platform = new NotifyRoutes();
let sandbox: StandalonePaymentSandbox;
let wechat: WechatPayProvider;
let alipay: AlipayProvider;

const order = (route: 'wechatpay' | 'alipay', reference: string, channel: PayChannel, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  reference,
  amount: 3810,
  description: '水费 2026年11月',
  channel,
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  notifyUrl: `${platform.url}/notify/${route}`,
  ...(channel === 'h5' ? { clientIp: '203.0.113.7' } : {}),
  ...(channel === 'jsapi' ? { payerOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } : {}),
  ...extra,
});

beforeAll(async () => {
  await platform.start();
  sandbox = await startPaymentSandbox({ dir: mkdtempSync(join(tmpdir(), 'sc-pay-sandbox-')), retryDelaysMs: [50, 100, 200] });
  const config = sandbox.sandbox.merchantConfig();
  wechat = new WechatPayProvider(config.wechatpay);
  alipay = new AlipayProvider(config.alipay);
  platform.adapters = { wechatpay: wechat, alipay };
});

afterAll(async () => {
  await sandbox.stop();
  await platform.stop();
});

describe('WeChat Pay adapter against the sandbox', () => {
  it('creates Native, H5 and JSAPI orders, all pending, and the same reference again returns the same order', async () => {
    const [qr, h5, jsapi] = [nextReference('wq'), nextReference('wh'), nextReference('wj')];
    // A retry resends the very same request: another expiry under the same reference is refused.
    const qrRequest = order('wechatpay', qr, 'qr');
    const native = await wechat.createOrder(qrRequest);
    const phone = await wechat.createOrder(order('wechatpay', h5, 'h5', { returnUrl: 'https://community.example/bills?paid=1' }));
    const inApp = await wechat.createOrder(order('wechatpay', jsapi, 'jsapi'));

    expect(native).toMatchObject({ channel: 'qr', codeUrl: expect.stringContaining('/_sandbox/wechatpay/checkmweb?prepay_id=wx') });
    expect(await wechat.createOrder(qrRequest)).toEqual(native);
    expect(phone.channel === 'h5' && phone.redirectUrl.endsWith(`&redirect_url=${encodeURIComponent('https://community.example/bills?paid=1')}`)).toBe(true);
    expect(inApp.channel).toBe('jsapi');
    const params = inApp.channel === 'jsapi' ? inApp.params : {};
    expect(params).toMatchObject({ appId: sandbox.sandbox.merchantConfig().wechatpay.appId, package: expect.stringMatching(/^prepay_id=wx/), signType: 'RSA' });
    const merchantPublicKey = createPublicKey(sandbox.sandbox.merchantConfig().wechatpay.merchantPrivateKeyPem);
    expect(verifySha256WithRsa(jsapiMessage(params.appId!, params.timeStamp!, params.nonceStr!, params.package!), params.paySign!, merchantPublicKey)).toBe(true);
    for (const reference of [qr, h5, jsapi]) await expect(wechat.queryOrder(reference)).resolves.toEqual({ reference, status: 'pending', amount: 3810 });
  });

  it('refuses the same reference with another amount, as WeChat Pay refuses a reused out_trade_no', async () => {
    const reference = nextReference('wm');
    await wechat.createOrder(order('wechatpay', reference, 'qr'));
    const error = await providerError(wechat.createOrder(order('wechatpay', reference, 'qr', { amount: 1 })));
    expect(error).toMatchObject({ code: 'OUT_TRADE_NO_USED', retryable: false });
  });

  it('reports an unknown order as not_found', async () => {
    await expect(wechat.queryOrder('never-created-1')).resolves.toEqual({ reference: 'never-created-1', status: 'not_found' });
  });

  it('a paid order sends a notification the adapter verifies as that payment, and queryOrder says paid', async () => {
    const reference = nextReference('wp');
    await wechat.createOrder(order('wechatpay', reference, 'qr'));
    sandbox.sandbox.complete(reference);

    const [received] = await waitFor(() => (platform.about(reference).length ? platform.about(reference) : undefined));
    const state = await wechat.queryOrder(reference);
    const config = sandbox.sandbox.merchantConfig().wechatpay;
    expect(received).toMatchObject({ status: 200, notification: { kind: 'payment', reference, amount: 3810, merchantId: config.mchId, appId: config.appId } });
    expect(state).toMatchObject({ reference, status: 'paid', amount: 3810 });
    expect(received!.notification).toMatchObject({ providerTransactionId: state.providerTransactionId, paidAt: state.paidAt });
    expect(await providerError(wechat.createOrder(order('wechatpay', reference, 'qr')))).toMatchObject({ code: 'ORDER_PAID' });
  });

  it('a lost notification (notify: false) leaves only queryOrder to tell, and it says paid', async () => {
    const reference = nextReference('wl');
    await wechat.createOrder(order('wechatpay', reference, 'h5'));
    sandbox.sandbox.complete(reference, { notify: false });
    await pause(300);
    expect(platform.about(reference)).toEqual([]);
    await expect(wechat.queryOrder(reference)).resolves.toMatchObject({ status: 'paid' });
  });

  it('retries a notification the platform did not acknowledge until it is', async () => {
    const reference = nextReference('wr');
    await wechat.createOrder(order('wechatpay', reference, 'qr'));
    platform.fail(reference, 2);
    sandbox.sandbox.complete(reference);
    await waitFor(() => platform.about(reference).find((r) => r.status === 200));
    expect(platform.about(reference).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('closes a pending order, accepts closing it again, and refuses to close a paid one with ORDER_PAID', async () => {
    const [open, paid] = [nextReference('wc'), nextReference('wc')];
    await wechat.createOrder(order('wechatpay', open, 'jsapi'));
    await wechat.createOrder(order('wechatpay', paid, 'qr'));
    sandbox.sandbox.complete(paid, { notify: false });

    await wechat.closeOrder(open);
    await wechat.closeOrder(open);
    await wechat.closeOrder('never-created-2');
    expect(await wechat.queryOrder(open)).toMatchObject({ status: 'closed' });
    expect(() => sandbox.sandbox.complete(open)).toThrow(/closed/);
    expect(await providerError(wechat.closeOrder(paid))).toMatchObject({ code: 'ORDER_PAID', retryable: false });
    expect(await providerError(wechat.createOrder(order('wechatpay', open, 'jsapi')))).toMatchObject({ code: 'ORDER_CLOSED' });
  });

  it('an expired order can no longer be paid and stays NOTPAY (pending) until the platform closes it', async () => {
    const reference = nextReference('we');
    await wechat.createOrder(order('wechatpay', reference, 'qr'));
    sandbox.sandbox.expire(reference);
    expect(() => sandbox.sandbox.complete(reference)).toThrow(/expired/);
    expect(await wechat.queryOrder(reference)).toMatchObject({ status: 'pending' });
    await wechat.closeOrder(reference);
    expect(await wechat.queryOrder(reference)).toMatchObject({ status: 'closed' });
  });

  it('refunds once for two requests with one refundReference, and notifies that refund once', async () => {
    const reference = nextReference('wf');
    await wechat.createOrder(order('wechatpay', reference, 'qr'));
    sandbox.sandbox.complete(reference, { notify: false });
    const request = { reference, refundReference: `${reference}-r1`, amount: 3810, total: 3810, reason: '重复缴费', notifyUrl: `${platform.url}/notify/wechatpay` };

    const first = await wechat.refund(request);
    const second = await wechat.refund(request);
    const [notified] = await waitFor(() => (platform.about(reference, 'refund').length ? platform.about(reference, 'refund') : undefined));
    await pause(200);

    expect(first).toMatchObject({ refundReference: request.refundReference, status: 'processing', amount: 3810 });
    expect(second).toMatchObject({ status: 'succeeded', providerRefundId: first.providerRefundId });
    expect(sandbox.sandbox.refundsOf(reference, 'wechat')).toHaveLength(1);
    expect(platform.about(reference, 'refund')).toHaveLength(1);
    expect(notified!.notification).toEqual({ kind: 'refund', reference, refundReference: request.refundReference, providerRefundId: first.providerRefundId, amount: 3810, status: 'succeeded' });
    expect(await wechat.queryOrder(reference)).toMatchObject({ status: 'refunded' });
    expect(await providerError(wechat.refund({ ...request, refundReference: `${reference}-r2`, amount: 1 }))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('a forged notification changes nothing: the adapter gives undefined and the platform answers 401', async () => {
    const reference = nextReference('wx');
    const config = sandbox.sandbox.merchantConfig().wechatpay;
    const content = { appid: config.appId, mchid: config.mchId, out_trade_no: reference, transaction_id: '4200000000000000000000000001', trade_state: 'SUCCESS', success_time: '2026-12-01T10:00:00+08:00', amount: { total: 3810 } };
    const body = JSON.stringify({ id: 'forged', event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource: encryptResource(JSON.stringify(content), config.apiV3Key, 'transaction') });
    const response = await fetch(`${platform.url}/notify/wechatpay`, { method: 'POST', headers: { 'content-type': 'application/json', ...signBody(body, otherKeyPem(), config.platformPublicKeyId) }, body });

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'FAIL' });
    expect(platform.received.at(-1)).toEqual({ route: 'wechatpay', status: 401, notification: undefined });
  });

  it('a request signed with the wrong merchant key is refused with 401 SIGN_ERROR, mapped to WalletProviderError', async () => {
    const impostor = new WechatPayProvider({ ...sandbox.sandbox.merchantConfig().wechatpay, merchantPrivateKeyPem: otherKeyPem() });
    const error = await providerError(impostor.createOrder(order('wechatpay', nextReference('ws'), 'qr')));
    expect(error).toMatchObject({ code: 'SIGN_ERROR', retryable: false });
    expect(error.message).toContain('签名错误');
  });

  it('does not believe an answer that the platform key it holds did not sign', async () => {
    const misconfigured = new WechatPayProvider({ ...sandbox.sandbox.merchantConfig().wechatpay, platformPublicKeyPem: otherPublicKeyPem() });
    const reference = nextReference('wu');
    await wechat.createOrder(order('wechatpay', reference, 'qr'));
    expect(await providerError(misconfigured.createOrder(order('wechatpay', nextReference('wu'), 'qr')))).toMatchObject({ code: 'UNVERIFIED_RESPONSE', retryable: true });
    expect(await providerError(misconfigured.queryOrder(reference))).toMatchObject({ code: 'UNVERIFIED_RESPONSE', retryable: true });
  });

  it("the H5 cashier page pays the order and sends the payer back to the merchant's redirect_url", async () => {
    const reference = nextReference('wb');
    const instruction = await wechat.createOrder(order('wechatpay', reference, 'h5', { returnUrl: 'https://community.example/back' }));
    const redirectUrl = instruction.channel === 'h5' ? instruction.redirectUrl : '';
    const cashier = await fetch(redirectUrl);

    expect(cashier.status).toBe(200);
    expect(await cashier.text()).toContain('Local payment sandbox');
    const paid = await pressPay(redirectUrl);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('https://community.example/back');
    await waitFor(() => platform.about(reference)[0]);
    expect(await wechat.queryOrder(reference)).toMatchObject({ status: 'paid' });
  });
});

describe('Alipay adapter against the sandbox', () => {
  it('creates a precreate QR code and a wap.pay URL; each trade exists once its code is scanned or its cashier opened', async () => {
    const [qr, h5] = [nextReference('aq'), nextReference('ah')];
    const qrRequest = order('alipay', qr, 'qr');
    const code = await alipay.createOrder(qrRequest);
    const wap = await alipay.createOrder(order('alipay', h5, 'h5', { returnUrl: 'https://community.example/back' }));

    expect(await alipay.createOrder(qrRequest)).toEqual(code);
    expect(wap.channel === 'h5' && wap.redirectUrl.startsWith(`${sandbox.sandbox.merchantConfig().alipay.gatewayUrl}?`)).toBe(true);
    // Alipay creates the trade at the scan: until then the query says ACQ.TRADE_NOT_EXIST.
    await expect(alipay.queryOrder(qr)).resolves.toEqual({ reference: qr, status: 'not_found' });
    await expect(alipay.queryOrder(h5)).resolves.toEqual({ reference: h5, status: 'not_found' });
    for (const url of [code.channel === 'qr' ? code.codeUrl : '', wap.channel === 'h5' ? wap.redirectUrl : '']) {
      const cashier = await fetch(url);
      expect(cashier.status).toBe(200);
      expect(await cashier.text()).toContain('¥38.10');
    }
    for (const reference of [qr, h5]) await expect(alipay.queryOrder(reference)).resolves.toMatchObject({ reference, status: 'pending', amount: 3810, providerTransactionId: expect.any(String) });
  });

  it('refuses a JSAPI order and a reused reference with another amount', async () => {
    expect(await providerError(alipay.createOrder(order('alipay', nextReference('aj'), 'jsapi')))).toMatchObject({ code: 'CHANNEL_NOT_SUPPORTED', retryable: false });
    const reference = nextReference('am');
    await alipay.createOrder(order('alipay', reference, 'qr'));
    expect(await providerError(alipay.createOrder(order('alipay', reference, 'qr', { amount: 1 })))).toMatchObject({ code: 'ACQ.CONTEXT_INCONSISTENT' });
  });

  it('a paid trade sends a signed form notification the adapter verifies as that payment, and queryOrder says paid', async () => {
    const reference = nextReference('ap');
    await alipay.createOrder(order('alipay', reference, 'qr'));
    sandbox.sandbox.complete(reference);

    const [received] = await waitFor(() => (platform.about(reference).length ? platform.about(reference) : undefined));
    const state = await alipay.queryOrder(reference);
    const config = sandbox.sandbox.merchantConfig().alipay;
    expect(received).toMatchObject({ route: 'alipay', status: 200, notification: { kind: 'payment', reference, amount: 3810, merchantId: config.sellerId, appId: config.appId } });
    expect(state).toMatchObject({ status: 'paid', amount: 3810, providerTransactionId: received!.notification!.kind === 'payment' ? received!.notification!.providerTransactionId : '' });
    expect(await providerError(alipay.createOrder(order('alipay', reference, 'qr')))).toMatchObject({ code: 'ORDER_PAID' });
  });

  it('a lost notification (notify: false) leaves only queryOrder to tell, and it says paid', async () => {
    const reference = nextReference('al');
    await alipay.createOrder(order('alipay', reference, 'qr'));
    sandbox.sandbox.complete(reference, { notify: false });
    await pause(300);
    expect(platform.about(reference)).toEqual([]);
    await expect(alipay.queryOrder(reference)).resolves.toMatchObject({ status: 'paid' });
  });

  it('retries until the platform answers success', async () => {
    const reference = nextReference('ar');
    await alipay.createOrder(order('alipay', reference, 'qr'));
    platform.fail(reference, 1);
    sandbox.sandbox.complete(reference);
    await waitFor(() => platform.about(reference).find((r) => r.status === 200));
    expect(platform.about(reference).map((r) => r.status)).toEqual([500, 200]);
  });

  it('closes a scanned trade and one never scanned (whose code then cannot be paid); a paid one throws ORDER_PAID', async () => {
    const [scanned, unscanned, paid] = [nextReference('ac'), nextReference('ac'), nextReference('ac')];
    const code = await alipay.createOrder(order('alipay', scanned, 'qr'));
    await fetch(code.channel === 'qr' ? code.codeUrl : '');
    await alipay.createOrder(order('alipay', unscanned, 'qr'));
    await alipay.createOrder(order('alipay', paid, 'qr'));
    sandbox.sandbox.complete(paid, { notify: false });

    await alipay.closeOrder(scanned);
    await alipay.closeOrder(scanned);
    await alipay.closeOrder(unscanned);
    expect(await alipay.queryOrder(scanned)).toMatchObject({ status: 'closed' });
    expect(() => sandbox.sandbox.complete(unscanned)).toThrow(/closed/);
    expect(await providerError(alipay.closeOrder(paid))).toMatchObject({ code: 'ORDER_PAID', retryable: false });
  });

  it('an expired trade is closed by Alipay and can no longer be paid', async () => {
    const reference = nextReference('ae');
    const wap = await alipay.createOrder(order('alipay', reference, 'h5'));
    await fetch(wap.channel === 'h5' ? wap.redirectUrl : '');
    sandbox.sandbox.expire(reference);
    expect(() => sandbox.sandbox.complete(reference)).toThrow(/closed/);
    expect(await alipay.queryOrder(reference)).toMatchObject({ status: 'closed' });
  });

  it('refunds once for two requests with one refundReference, and notifies that refund once', async () => {
    const reference = nextReference('af');
    await alipay.createOrder(order('alipay', reference, 'qr'));
    sandbox.sandbox.complete(reference, { notify: false });
    const request = { reference, refundReference: `${reference}-r1`, amount: 3810, total: 3810, reason: '重复缴费', notifyUrl: '' };

    const first = await alipay.refund(request);
    const second = await alipay.refund(request);
    const [notified] = await waitFor(() => (platform.about(reference, 'refund').length ? platform.about(reference, 'refund') : undefined));
    await pause(200);

    expect(first).toEqual({ refundReference: request.refundReference, status: 'succeeded', amount: 3810 });
    expect(second).toEqual(first);
    expect(sandbox.sandbox.refundsOf(reference, 'alipay')).toHaveLength(1);
    expect(platform.about(reference, 'refund')).toHaveLength(1);
    expect(notified!.notification).toEqual({ kind: 'refund', reference, refundReference: request.refundReference, amount: 3810, status: 'succeeded' });
    expect(await alipay.queryOrder(reference)).toMatchObject({ status: 'refunded' });
  });

  it('a forged notification changes nothing: the adapter gives undefined and the platform answers fail', async () => {
    const config = sandbox.sandbox.merchantConfig().alipay;
    const body = new URLSearchParams({ app_id: config.appId, seller_id: config.sellerId, out_trade_no: nextReference('ax'), trade_no: '1', trade_status: 'TRADE_SUCCESS', total_amount: '38.10', gmt_payment: '2026-12-01 10:00:00', sign_type: 'RSA2', sign: 'Zm9yZ2Vk' });
    const response = await fetch(`${platform.url}/notify/alipay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(await response.text()).toBe('fail');
    expect(platform.received.at(-1)).toEqual({ route: 'alipay', status: 200, notification: undefined });
  });

  it('a request signed with the wrong app key is refused with 40002 isv.invalid-signature, mapped to WalletProviderError', async () => {
    const impostor = new AlipayProvider({ ...sandbox.sandbox.merchantConfig().alipay, appPrivateKeyPem: otherKeyPem() });
    const error = await providerError(impostor.createOrder(order('alipay', nextReference('as'), 'qr')));
    expect(error).toMatchObject({ code: 'SIGN_ERROR', retryable: false });
    expect(error.message).toContain('40002');
    const misconfigured = new AlipayProvider({ ...sandbox.sandbox.merchantConfig().alipay, alipayPublicKeyPem: otherPublicKeyPem() });
    expect(await providerError(misconfigured.createOrder(order('alipay', nextReference('au'), 'qr')))).toMatchObject({ code: 'UNVERIFIED_RESPONSE' });
  });

  it("the wap.pay cashier page pays the trade and sends the payer to return_url with Alipay's signed summary", async () => {
    const reference = nextReference('ab');
    const wap = await alipay.createOrder(order('alipay', reference, 'h5', { returnUrl: 'https://community.example/back' }));
    const paid = await pressPay(wap.channel === 'h5' ? wap.redirectUrl : '');
    const location = new URL(paid.headers.get('location') ?? 'http://invalid/');

    expect(paid.status).toBe(303);
    expect(location.origin + location.pathname).toBe('https://community.example/back');
    expect(location.searchParams.get('out_trade_no')).toBe(reference);
    expect(verifyNotification(Object.fromEntries(location.searchParams), sandbox.sandbox.merchantConfig().alipay.alipayPublicKeyPem)).toBe(true);
    await waitFor(() => platform.about(reference)[0]);
  });

  it('the wap.pay cashier page offers the way back to quit_url, unpaid, to a payer who changes their mind', async () => {
    const reference = nextReference('aq');
    const wap = await alipay.createOrder(order('alipay', reference, 'h5', { returnUrl: 'https://community.example/back?payment=P1' }));
    const cashier = await (await fetch(wap.channel === 'h5' ? wap.redirectUrl : '')).text();
    expect(cashier).toContain('<a href="https://community.example/back?payment=P1">返回商家');
    await expect(alipay.queryOrder(reference)).resolves.toMatchObject({ reference, status: 'pending' });
  });

  it('refuses a wap.pay URL whose signature was broken on the way', async () => {
    const wap = await alipay.createOrder(order('alipay', nextReference('ak'), 'h5'));
    const tampered = (wap.channel === 'h5' ? wap.redirectUrl : '').replace('total_amount%22%3A%2238.10', 'total_amount%22%3A%220.01');
    const response = await fetch(tampered);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('isv.invalid-signature');
  });
});

describe('sandbox restart', () => {
  it('keeps its keys (0600), its orders and the notifications still to deliver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-pay-restart-'));
    let first = await startPaymentSandbox({ dir, retryDelaysMs: [50, 100, 200, 400, 800] });
    const before = first.sandbox.merchantConfig();
    const shared = platform.adapters.wechatpay;
    // The notify route must verify with this sandbox's keys while it runs.
    platform.adapters.wechatpay = new WechatPayProvider(before.wechatpay);
    const reference = nextReference('rs');
    await new WechatPayProvider(before.wechatpay).createOrder(order('wechatpay', reference, 'qr'));
    platform.fail(reference, 1_000);
    first.sandbox.complete(reference);
    await waitFor(() => platform.about(reference)[0]);
    await first.stop();

    platform.fail(reference, 0);
    first = await startPaymentSandbox({ dir, retryDelaysMs: [50] });
    const after = first.sandbox.merchantConfig();
    try {
      expect(after.wechatpay.merchantPrivateKeyPem).toBe(before.wechatpay.merchantPrivateKeyPem);
      expect(after.alipay.alipayPublicKeyPem).toBe(before.alipay.alipayPublicKeyPem);
      expect(after.wechatpay.apiV3Key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      for (const file of ['wechatpay-merchant-private-key.pem', 'wechatpay-platform-private-key.pem', 'wechatpay-apiv3-key', 'alipay-app-private-key.pem', 'alipay-platform-private-key.pem']) {
        expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
      }
      await expect(new WechatPayProvider(after.wechatpay).queryOrder(reference)).resolves.toMatchObject({ status: 'paid' });
      await waitFor(() => platform.about(reference).find((r) => r.status === 200));
    } finally {
      await first.stop();
      platform.adapters.wechatpay = shared;
    }
  });
});
