// The notify routes with both wallets configured (a standalone payment sandbox's merchant, read from secret
// files as the local server does): fuzzed bodies, headers and content types never give a 5xx, are answered in
// each provider's failure format and write nothing; a genuine Alipay form post handed over base64-encoded, as
// API Gateway does, books the bill exactly like the raw one.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentSandbox, type StandalonePaymentSandbox } from '../../infra/local/payment-sandbox.ts';
import { importBills } from '../../shared/data/bills.ts';
import { billIdFor } from '../../shared/domain/bills.ts';
import { invoke } from '../support/invoke.ts';
import { loadEntry } from '../support/workflow-harness.ts';
import { alipayPaidNotification } from '../support/wallet-notifications.ts';

let sandbox: StandalonePaymentSandbox;
let dataDir: string;
type Handler = Awaited<ReturnType<typeof loadEntry>>;
let wechat: Handler;
let alipay: Handler;

async function itemCount(): Promise<number> {
  const { Count } = await new DynamoDBClient({}).send(new ScanCommand({ TableName: process.env.TABLE_NAME!, Select: 'COUNT' }));
  return Count ?? 0;
}

beforeAll(async () => {
  // The layout of the local server's DATA_DIR, so the notification helpers find the sandbox's keys.
  dataDir = mkdtempSync(join(tmpdir(), 'sc-wallet-notify-'));
  sandbox = await startPaymentSandbox({ dir: join(dataDir, 'payment-sandbox'), retryDelaysMs: [50] });
  const merchants = sandbox.sandbox.merchantConfig();
  for (const provider of ['wechatpay', 'alipay'] as const) {
    const file = join(dataDir, 'payment-sandbox', `${provider}-merchant.json`);
    writeFileSync(file, JSON.stringify(merchants[provider]));
    process.env[`${provider.toUpperCase()}_SECRET_FILE`] = file;
  }
  Object.assign(process.env, { PAYMENT_PROVIDER: 'wechatpay,alipay', PAYMENT_NOTIFY_BASE_URL: 'http://127.0.0.1:9' });
  wechat = await loadEntry('functions/payments/notify-wechatpay.ts');
  alipay = await loadEntry('functions/payments/notify-alipay.ts');
});
afterAll(async () => {
  await sandbox?.stop();
});

const nasty = fc.oneof(fc.string(), fc.constantFrom('', '{}', 'null', 'trade_status=TRADE_SUCCESS&sign=AAAA', '{"resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"x","nonce":"y"}}', 'x'.repeat(70_000)));
const request = fc.record({
  body: fc.oneof(nasty, fc.json()),
  contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded;charset=utf-8', 'text/plain', ''),
  signature: fc.option(fc.record({ timestamp: fc.oneof(fc.string(), fc.constant(String(Math.floor(Date.now() / 1000)))), nonce: fc.string(), signature: fc.base64String(), serial: fc.string() })),
  base64: fc.boolean(),
});

describe('notify routes', () => {
  it('never answer 5xx to anything unsigned, answer in the provider failure format, and write nothing', async () => {
    const before = await itemCount();
    await fc.assert(
      fc.asyncProperty(request, async ({ body, contentType, signature, base64 }) => {
        const headers = {
          'content-type': contentType,
          ...(signature ? { 'wechatpay-timestamp': signature.timestamp, 'wechatpay-nonce': signature.nonce, 'wechatpay-signature': signature.signature, 'wechatpay-serial': signature.serial } : {}),
        };
        const wx = await invoke(wechat, 'POST /payments/notify/wechatpay', { body, headers, base64 });
        const ali = await invoke(alipay, 'POST /payments/notify/alipay', { body, headers, base64 });
        if (body.length > 64 * 1024) {
          expect([wx.status, ali.status]).toEqual([413, 413]);
          return;
        }
        expect(wx.status).toBe(401);
        expect(wx.body).toMatchObject({ code: 'FAIL' });
        expect(ali).toMatchObject({ status: 200, body: 'fail' });
      }),
      { numRuns: 60 },
    );
    expect(await itemCount()).toBe(before);
  });

  it('books a genuine Alipay notification handed over base64-encoded, and answers its repeat success without booking again', async () => {
    const residentId = 'notify-b64';
    await importBills([{ residentId, kind: 'water', period: '2026-11', amount: 2980, dueDate: '2026-12-20' }], 'zizhuyuan', new Date().toISOString());
    const billId = billIdFor(residentId, 'water', '2026-11');
    const pay = await loadEntry('functions/bills/pay-bill.ts');
    const order = await invoke(pay, 'POST /bills/{id}/pay', {
      caller: { sub: residentId, role: 'resident' },
      params: { id: billId },
      body: { amount: 2980, method: 'alipay' },
      headers: { 'idempotency-key': 'b64' },
    });
    expect(order.status).toBe(202);
    const notification = alipayPaidNotification(dataDir, { reference: order.body.paymentId, amount: 2980 });

    const first = await invoke(alipay, 'POST /payments/notify/alipay', { body: notification.body, headers: notification.headers, base64: true });
    const again = await invoke(alipay, 'POST /payments/notify/alipay', { body: notification.body, headers: notification.headers });

    expect([first.body, again.body]).toEqual(['success', 'success']);
    const payment = await invoke(await loadEntry('functions/payments/get-payment.ts'), 'GET /payments/{id}', { caller: { sub: residentId, role: 'resident' }, params: { id: order.body.paymentId } });
    expect(payment.body).toMatchObject({ status: 'paid', amount: 2980, receiptNo: expect.any(String) });
  });
});
