// The way back from paying in the phone's browser (h5): the pay route names the web app's pay page of the bill
// with the payment (on WEB_URL) as each wallet's return URL, and the sandbox's cashier sends the resident there
// after paying. The address comes from configuration only: a body that brings its own is refused. Both wallets
// against a standalone payment sandbox, with its merchants read from secret files as the local server does.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentSandbox, type StandalonePaymentSandbox } from '../../infra/local/payment-sandbox.ts';
import { importBills } from '../../shared/data/bills.ts';
import { billIdFor } from '../../shared/domain/bills.ts';
import { matchPage } from '../../web/src/page-paths.ts';
import { pressPay } from '../support/cashier.ts';
import { invoke } from '../support/invoke.ts';
import { loadEntry } from '../support/workflow-harness.ts';

const WEB_URL = 'https://community.example';
let sandbox: StandalonePaymentSandbox;
let pay: Awaited<ReturnType<typeof loadEntry>>;
let serial = 0;

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sc-wallet-return-')), 'payment-sandbox');
  sandbox = await startPaymentSandbox({ dir, retryDelaysMs: [50] });
  const merchants = sandbox.sandbox.merchantConfig();
  for (const provider of ['wechatpay', 'alipay'] as const) {
    const file = join(dir, `${provider}-merchant.json`);
    writeFileSync(file, JSON.stringify(merchants[provider]));
    process.env[`${provider.toUpperCase()}_SECRET_FILE`] = file;
  }
  // Nothing listens at the notify URL: these tests are about the resident's way back, not the booking.
  Object.assign(process.env, { PAYMENT_PROVIDER: 'wechatpay,alipay', PAYMENT_NOTIFY_BASE_URL: 'http://127.0.0.1:9', WEB_URL });
  pay = await loadEntry('functions/bills/pay-bill.ts');
});
afterEach(() => {
  process.env.WEB_URL = WEB_URL;
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A resident of their own with one unpaid water bill of 38.10. */
async function residentWithBill() {
  const residentId = `return-${++serial}`;
  await importBills([{ residentId, kind: 'water', period: '2026-11', amount: 3810, dueDate: '2026-12-20' }], 'zizhuyuan', new Date().toISOString());
  return { caller: { sub: residentId, role: 'resident' as const }, billId: billIdFor(residentId, 'water', '2026-11') };
}

const payInBrowser = (caller: { sub: string; role: 'resident' }, billId: string, body: Record<string, unknown>) =>
  invoke(pay, 'POST /bills/{id}/pay', { caller, params: { id: billId }, body: { amount: 3810, channel: 'h5', ...body }, headers: { 'idempotency-key': `key-${billId}` } });

describe("an H5 order's way back", () => {
  it.each(['wechat', 'alipay'] as const)('with %s: the cashier sends the resident to the pay page of the bill with the payment, on WEB_URL', async (method) => {
    const { caller, billId } = await residentWithBill();

    const order = await payInBrowser(caller, billId, { method });

    expect(order.status).toBe(202);
    expect(order.body.pay.channel).toBe('h5');
    const paid = await pressPay(order.body.pay.redirectUrl);
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location')!);
    expect(back.origin).toBe(WEB_URL);
    expect(matchPage(back.pathname)).toEqual({ page: 'pay', params: { id: billId } });
    expect(back.searchParams.get('payment')).toBe(order.body.paymentId);
    // WeChat Pay goes back to redirect_url as given; Alipay adds its signed summary of the trade to return_url.
    if (method === 'wechat') expect(back.href).toBe(`${WEB_URL}/my-bills/${billId}/pay?payment=${order.body.paymentId}`);
    else expect(back.searchParams.get('out_trade_no')).toBe(order.body.paymentId);
  });

  it('is left out without WEB_URL: the order is made, and the cashier ends at its own page', async () => {
    delete process.env.WEB_URL;
    const { caller, billId } = await residentWithBill();

    const order = await payInBrowser(caller, billId, { method: 'wechat' });

    expect(order.status).toBe(202);
    expect(order.body.pay.redirectUrl).not.toContain('redirect_url');
    const paid = await pressPay(order.body.pay.redirectUrl);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('支付成功');
  });

  it('is never taken from the request: a returnUrl in the body is 400 at its path and opens no order', async () => {
    const { caller, billId } = await residentWithBill();

    const refused = await payInBrowser(caller, billId, { method: 'alipay', returnUrl: 'https://attacker.example/phish' });

    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'returnUrl' }] });
    const order = await payInBrowser(caller, billId, { method: 'alipay' });
    expect(order.body.paymentId).toBe(`${billId}-1`);
  });
});
