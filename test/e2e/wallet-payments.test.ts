// Real money on the real `npm start`: the WeChat Pay and Alipay adapters against the payment sandbox mounted on
// the local server, over HTTP. Pay → 202 pending → the sandbox pays and notifies → the bill is paid once with one
// receipt SMS; repeated, forged and lost notifications; concurrent payers; expiry; refunds; the mismatch alarm.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { idNumberFor, nextWorkingDay } from '../support/appointment-fixtures.ts';
import { client, startServer, tempDataDir, tokenFor, type RunningServer } from '../support/local-server.ts';
import { alipayPaidNotification, sandboxOrders, wechatPaidNotification, type SignedNotification } from '../support/wallet-notifications.ts';

const WALLETS = { PAYMENT_PROVIDER: 'wechatpay,alipay', PAYMENT_RECONCILE_AFTER_SECONDS: '1' };
const SLOW = { timeout: 60_000 };
const eventually = { timeout: 45_000, interval: 200 };

type Client = ReturnType<typeof client>;

/** A resident with a profile (so receipts are texted) and one unpaid bill. */
async function residentWithBill(server: RunningServer, staff: Client, serial: number, amount = 3810) {
  const sub = `wallet-${serial}`;
  const phone = `1380013${String(8000 + serial)}`;
  const me = client(server.url, await tokenFor(server.url, sub, 'resident'));
  expect((await me.put('/me', { name: '王秀英', idNumber: idNumberFor(600 + serial), phone, community: 'sunshine-garden' })).status).toBe(200);
  expect((await staff.post('/bills/import', { bills: [{ residentId: sub, kind: 'water', period: '2026-11', amount, dueDate: nextWorkingDay() }] })).body.imported).toBe(1);
  const bill = (await me.get('/bills')).body.items[0] as { id: string; amount: number };
  return { me, bill, phone };
}

const pay = (me: Client, billId: string, body: Record<string, unknown>, key: string) => me.post(`/bills/${billId}/pay`, body, { 'idempotency-key': key });

async function receipts(url: string, phone: string): Promise<unknown[]> {
  const res = await fetch(`${url}/_local/outbox?to=${phone}`);
  return ((await res.json()) as { template: string }[]).filter((m) => m.template === 'bill-paid');
}

async function post(url: string, route: 'wechatpay' | 'alipay', notification: SignedNotification) {
  const res = await fetch(`${url}/payments/notify/${route}`, { method: 'POST', headers: notification.headers, body: notification.body });
  return { status: res.status, text: await res.text() };
}

const complete = (url: string, paymentId: string, notify = true) =>
  fetch(`${url}/_local/payments/${paymentId}/complete`, { method: 'POST', body: JSON.stringify({ notify }) });

describe('wallet payments over HTTP against the payment sandbox', () => {
  let server: RunningServer;
  let staff: Client;
  let serial = 0;
  const next = () => residentWithBill(server, staff, ++serial);

  beforeAll(async () => {
    server = await startServer(tempDataDir(), WALLETS);
    staff = client(server.url, await tokenFor(server.url, 'wallet-staff', 'staff', { categories: ['housing-civil'] }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('pays a water bill with WeChat Pay: 202 with a QR code, the sandbox notifies, paid once with one receipt SMS', SLOW, async () => {
    const { me, bill, phone } = await next();

    const res = await pay(me, bill.id, { amount: bill.amount, method: 'wechat' }, 'wx-1');

    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      paymentId: `${bill.id}-1`,
      billId: bill.id,
      status: 'pending',
      method: 'wechat',
      amount: bill.amount,
      pay: { channel: 'qr', codeUrl: expect.stringContaining('/_sandbox/wechatpay/checkmweb?prepay_id=') },
      expiresAt: expect.stringMatching(/:00\.000Z$|\.000Z$/),
    });
    expect((await me.get(`/payments/${res.body.paymentId}`)).body).toMatchObject({ status: 'pending', pay: res.body.pay });
    expect((await complete(server.url, res.body.paymentId)).status).toBe(200);

    await vi.waitFor(async () => expect((await me.get(`/payments/${res.body.paymentId}`)).body.status).toBe('paid'), eventually);
    await vi.waitFor(async () => expect(await receipts(server.url, phone)).toHaveLength(1), eventually);
    const payment = (await me.get(`/payments/${res.body.paymentId}`)).body;
    expect(payment).toMatchObject({ method: 'wechat', receiptNo: expect.stringMatching(/^R\d{8}-/), paidAt: expect.any(String), refunds: [] });
    expect((await me.get('/bills?status=paid')).body.items).toEqual([
      expect.objectContaining({ id: bill.id, status: 'paid', receiptNo: payment.receiptNo, method: 'wechat', paidAt: payment.paidAt, paymentId: payment.paymentId }),
    ]);
    expect(await receipts(server.url, phone)).toHaveLength(1);
    // Paid: a new payment of it is refused, the same key gets its first answer again.
    expect((await pay(me, bill.id, { amount: bill.amount, method: 'alipay' }, 'wx-2')).body.code).toBe('already_paid');
    expect((await pay(me, bill.id, { amount: bill.amount, method: 'wechat' }, 'wx-1')).body.paymentId).toBe(res.body.paymentId);
  });

  it('pays with Alipay in the phone browser: the signed form post reaches the notify route and books the bill', SLOW, async () => {
    const { me, bill, phone } = await next();

    const res = await pay(me, bill.id, { amount: bill.amount, method: 'alipay', channel: 'h5' }, 'ali-1');

    expect(res.status).toBe(202);
    expect(res.body.pay).toEqual({ channel: 'h5', redirectUrl: expect.stringContaining('/_sandbox/alipay/gateway.do?') });
    // wap.pay is no API call: the trade comes into being when the phone's browser opens the signed URL.
    expect((await fetch(res.body.pay.redirectUrl)).status).toBe(200);
    expect((await complete(server.url, res.body.paymentId)).status).toBe(200);
    await vi.waitFor(async () => expect((await me.get(`/payments/${res.body.paymentId}`)).body.status).toBe('paid'), eventually);
    await vi.waitFor(async () => expect(await receipts(server.url, phone)).toHaveLength(1), eventually);
  });

  it('books a notification sent 5 times at once exactly once, with one receipt SMS, for either provider', SLOW, async () => {
    for (const method of ['wechat', 'alipay'] as const) {
      const { me, bill, phone } = await next();
      const { body } = await pay(me, bill.id, { amount: bill.amount, method }, `five-${method}`);
      await complete(server.url, body.paymentId, false);
      const notification =
        method === 'wechat'
          ? wechatPaidNotification(server.dataDir, { reference: body.paymentId, amount: bill.amount })
          : alipayPaidNotification(server.dataDir, { reference: body.paymentId, amount: bill.amount });

      const answers = await Promise.all(Array.from({ length: 5 }, () => post(server.url, method === 'wechat' ? 'wechatpay' : 'alipay', notification)));

      expect(answers).toEqual(Array(5).fill(method === 'wechat' ? { status: 200, text: '' } : { status: 200, text: 'success' }));
      expect((await me.get(`/payments/${body.paymentId}`)).body.status).toBe('paid');
      await vi.waitFor(async () => expect(await receipts(server.url, phone)).toHaveLength(1), eventually);
    }
  });

  it("changes nothing for a forged, changed, foreign or stale notification, answered in each provider's failure format", SLOW, async () => {
    const wx = await next();
    const wxOrder = (await pay(wx.me, wx.bill.id, { amount: wx.bill.amount, method: 'wechat' }, 'bad-wx')).body;
    const genuine = wechatPaidNotification(server.dataDir, { reference: wxOrder.paymentId, amount: wx.bill.amount });
    const changed = wechatPaidNotification(server.dataDir, { reference: wxOrder.paymentId, amount: wx.bill.amount - 1 });
    const wechatRefusals = [
      { headers: genuine.headers, body: changed.body }, // the body replayed with changes under the genuine signature
      changed, // signed, but not the order's amount
      wechatPaidNotification(server.dataDir, { reference: wxOrder.paymentId, amount: wx.bill.amount, mchid: '1900009999' }),
      wechatPaidNotification(server.dataDir, { reference: wxOrder.paymentId, amount: wx.bill.amount, timestamp: String(Math.floor(Date.now() / 1000) - 600) }),
      { headers: { 'content-type': 'application/json' }, body: '{"event_type":"TRANSACTION.SUCCESS"}' },
    ];
    for (const forged of wechatRefusals) {
      const answer = await post(server.url, 'wechatpay', forged);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'FAIL' });
    }

    const ali = await next();
    const aliOrder = (await pay(ali.me, ali.bill.id, { amount: ali.bill.amount, method: 'alipay' }, 'bad-ali')).body;
    const signed = alipayPaidNotification(server.dataDir, { reference: aliOrder.paymentId, amount: ali.bill.amount });
    const alipayRefusals = [
      { headers: signed.headers, body: signed.body.replace(/total_amount=[^&]+/, 'total_amount=0.01') },
      alipayPaidNotification(server.dataDir, { reference: aliOrder.paymentId, amount: ali.bill.amount - 1 }),
      alipayPaidNotification(server.dataDir, { reference: aliOrder.paymentId, amount: ali.bill.amount, sellerId: '2088999999999999' }),
      { headers: signed.headers, body: 'trade_status=TRADE_SUCCESS' },
    ];
    for (const forged of alipayRefusals) expect(await post(server.url, 'alipay', forged)).toEqual({ status: 200, text: 'fail' });

    for (const { me, bill, phone } of [wx, ali]) {
      expect((await me.get(`/payments/${bill.id}-1`)).body.status).toBe('pending');
      expect((await me.get('/bills')).body.items.map((b: { id: string }) => b.id)).toContain(bill.id);
      expect(await receipts(server.url, phone)).toEqual([]);
    }
  });

  it('books a payment whose notification was lost: the reconciliation job asks the provider', SLOW, async () => {
    const { me, bill, phone } = await next();
    const { body } = await pay(me, bill.id, { amount: bill.amount, method: 'wechat', channel: 'h5' }, 'lost-1');

    expect((await (await complete(server.url, body.paymentId, false)).json()) as object).toMatchObject({ notification: 'lost' });

    await vi.waitFor(async () => expect((await me.get(`/payments/${body.paymentId}`)).body.status).toBe('paid'), eventually);
    await vi.waitFor(async () => expect(await receipts(server.url, phone)).toHaveLength(1), eventually);
  });

  it('opens one order for 20 concurrent pays with one key and 10 with different keys; another method closes it first', SLOW, async () => {
    const { me, bill } = await next();
    const body = { amount: bill.amount, method: 'wechat' };

    const answers = await Promise.all([
      ...Array.from({ length: 20 }, () => pay(me, bill.id, body, 'one-key')),
      ...Array.from({ length: 10 }, (_, i) => pay(me, bill.id, body, `key-${i}`)),
    ]);

    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(202));
    expect(new Set(answers.map((a) => a.body.paymentId))).toEqual(new Set([`${bill.id}-1`]));
    expect(new Set(answers.map((a) => JSON.stringify(a.body.pay))).size).toBe(1);
    expect(sandboxOrders(server.dataDir).filter((o) => o.reference.startsWith(bill.id))).toHaveLength(1);

    const alipay = await pay(me, bill.id, { amount: bill.amount, method: 'alipay' }, 'switch');

    expect(alipay.status).toBe(202);
    expect(alipay.body.paymentId).toBe(`${bill.id}-2`);
    expect((await me.get(`/payments/${bill.id}-1`)).body.status).toBe('closed');
    expect(sandboxOrders(server.dataDir).filter((o) => o.reference.startsWith(bill.id)).map((o) => `${o.provider} ${o.status}`).sort()).toEqual(['alipay pending', 'wechatpay closed']);
  });

  it("refunds once for two requests with one key, through the provider and its refund notification; staff of the bill's centre only", SLOW, async () => {
    const { me, bill } = await next();
    const { body: order } = await pay(me, bill.id, { amount: bill.amount, method: 'wechat' }, 'refund-pay');
    await complete(server.url, order.paymentId);
    await vi.waitFor(async () => expect((await me.get(`/payments/${order.paymentId}`)).body.status).toBe('paid'), eventually);
    const refund = { amount: 1000, reason: '多收水费' };

    const [first, second] = await Promise.all([
      staff.post(`/payments/${order.paymentId}/refund`, refund, { 'idempotency-key': 'refund-1' }),
      staff.post(`/payments/${order.paymentId}/refund`, refund, { 'idempotency-key': 'refund-1' }),
    ]);
    const third = await staff.post(`/payments/${order.paymentId}/refund`, refund, { 'idempotency-key': 'refund-1' });

    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(new Set([first, second, third].map((r) => r.body.refundId)).size).toBe(1);
    expect(sandboxOrders(server.dataDir).find((o) => o.reference === order.paymentId)!.refunds).toHaveLength(1);
    await vi.waitFor(async () => expect((await me.get(`/payments/${order.paymentId}`)).body.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: 1000 })]), eventually);
    expect((await me.get(`/payments/${order.paymentId}`)).body).toMatchObject({ status: 'paid', refundedAmount: 1000 });
    expect((await me.get('/bills?status=paid')).body.items[0]).toMatchObject({ id: bill.id, refundedAmount: 1000 });

    const far = client(server.url, await tokenFor(server.url, 'far-staff', 'staff', { centre: 'balizhuang' }));
    expect((await far.post(`/payments/${order.paymentId}/refund`, refund, { 'idempotency-key': 'far' })).status).toBe(404);
    expect((await me.post(`/payments/${order.paymentId}/refund`, refund, { 'idempotency-key': 'me' })).status).toBe(403);
    const tooMuch = await staff.post(`/payments/${order.paymentId}/refund`, { amount: bill.amount, reason: '全额' }, { 'idempotency-key': 'refund-2' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors).toEqual([{ path: 'amount', message: `at most ${bill.amount - 1000}` }]);
  });

  it('refunds an Alipay payment in full: the payment reads refunded', SLOW, async () => {
    const { me, bill } = await next();
    const { body: order } = await pay(me, bill.id, { amount: bill.amount, method: 'alipay' }, 'ali-refund');
    await complete(server.url, order.paymentId);
    await vi.waitFor(async () => expect((await me.get(`/payments/${order.paymentId}`)).body.status).toBe('paid'), eventually);

    const res = await staff.post(`/payments/${order.paymentId}/refund`, { amount: bill.amount, reason: '重复缴费' }, { 'idempotency-key': 'ali-full' });

    expect(res.body).toMatchObject({ status: 'succeeded', amount: bill.amount });
    expect((await me.get(`/payments/${order.paymentId}`)).body).toMatchObject({ status: 'refunded', refundedAmount: bill.amount });
    expect((await staff.post(`/payments/${order.paymentId}/refund`, { amount: 1, reason: '再退' }, { 'idempotency-key': 'ali-more' })).body.code).toBe('invalid_state');
  });
});

describe('orders that expire unpaid', () => {
  let server: RunningServer;
  let staff: Client;

  beforeAll(async () => {
    server = await startServer(tempDataDir(), { ...WALLETS, PAYMENT_ORDER_SECONDS: '2' });
    staff = client(server.url, await tokenFor(server.url, 'expiry-staff', 'staff', { categories: ['housing-civil'] }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('closes an expired order at the provider, unlocks the bill, and a new order pays it; for either provider', SLOW, async () => {
    for (const [serial, method] of [[1, 'wechat'], [2, 'alipay']] as const) {
      const { me, bill, phone } = await residentWithBill(server, staff, serial);
      const first = (await pay(me, bill.id, { amount: bill.amount, method }, `${method}-first`)).body;

      await vi.waitFor(async () => expect((await me.get(`/payments/${first.paymentId}`)).body.status).toBe('closed'), eventually);
      expect((await complete(server.url, first.paymentId)).status).toBe(409);

      const second = await pay(me, bill.id, { amount: bill.amount, method }, `${method}-second`);
      expect(second.status).toBe(202);
      expect(second.body.paymentId).toBe(`${bill.id}-2`);
      await complete(server.url, second.body.paymentId);
      await vi.waitFor(async () => expect((await me.get(`/payments/${second.body.paymentId}`)).body.status).toBe('paid'), eventually);
      await vi.waitFor(async () => expect(await receipts(server.url, phone)).toHaveLength(1), eventually);
    }
  });

  it("raises an alarm for the centre's staff when a provider pays an order it had closed; the bill keeps its one payment", SLOW, async () => {
    const { me, bill, phone } = await residentWithBill(server, staff, 3);
    const first = (await pay(me, bill.id, { amount: bill.amount, method: 'wechat' }, 'twice-first')).body;
    await vi.waitFor(async () => expect((await me.get(`/payments/${first.paymentId}`)).body.status).toBe('closed'), eventually);
    const second = (await pay(me, bill.id, { amount: bill.amount, method: 'wechat' }, 'twice-second')).body;
    await complete(server.url, second.paymentId);
    await vi.waitFor(async () => expect((await me.get(`/payments/${second.paymentId}`)).body.status).toBe('paid'), eventually);

    const late = wechatPaidNotification(server.dataDir, { reference: first.paymentId, amount: bill.amount });
    expect(await post(server.url, 'wechatpay', late)).toEqual({ status: 200, text: '' });
    expect(await post(server.url, 'wechatpay', late)).toEqual({ status: 200, text: '' });

    const alarms = (await staff.get('/payment-alarms')).body;
    expect(alarms.items).toEqual([
      { paymentId: first.paymentId, billId: bill.id, kind: 'paid_twice', raisedAt: expect.any(String), orderAmount: bill.amount, providerAmount: bill.amount, paidByPaymentId: second.paymentId },
    ]);
    expect((await me.get(`/payments/${first.paymentId}`)).body.status).toBe('paid');
    expect((await me.get('/bills?status=paid')).body.items[0]).toMatchObject({ id: bill.id, paymentId: second.paymentId });
    expect(await receipts(server.url, phone)).toHaveLength(1);
    const far = client(server.url, await tokenFor(server.url, 'far-staff', 'staff', { centre: 'balizhuang' }));
    expect((await far.get('/payment-alarms')).body.items).toEqual([]);
    // The ERROR line the monitoring stack counts: ids, no personal data.
    const line = server.output().split('\n').find((l) => l.includes('"payment mismatch"'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 'error', paymentId: first.paymentId, billId: bill.id, kind: 'paid_twice' });
    expect(line).not.toContain(phone);
  });
});
