import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as payBill } from '../../functions/bills/pay-bill.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { getBill, importBills } from '../../shared/data/bills.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { billIdFor, providerReferenceFor } from '../../shared/domain/bills.ts';
import { simulatedPaymentProvider } from '../../shared/ports/simulated-payment-provider.ts';
import { invoke } from '../support/invoke.ts';

const PHONE = '+8613800138000';
const AMOUNT = 4350;
const resident = (sub: string) => ({ sub, role: 'resident' as const });

async function unpaidBill(residentId: string): Promise<string> {
  await importBills([{ residentId, kind: 'water', period: '2026-11', amount: AMOUNT, dueDate: '2026-12-15' }], 'zizhuyuan', new Date().toISOString());
  return billIdFor(residentId, 'water', '2026-11');
}

const pay = (sub: string, billId: string, key: string | undefined, body: unknown = { amount: AMOUNT, method: 'wechat' }) =>
  invoke(payBill, 'POST /bills/{id}/pay', {
    caller: resident(sub),
    params: { id: billId },
    body,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

const chargesOf = (billId: string) => simulatedPaymentProvider.chargesFor(providerReferenceFor(billId));

describe('POST /bills/{id}/pay', () => {
  beforeAll(async () => {
    await saveResident({
      userId: 'payer',
      name: '李秀英',
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      phone: PHONE,
      community: 'sunshine-garden',
      updatedAt: new Date().toISOString(),
    });
  });
  afterEach(() => simulatedPaymentProvider.configure({}));

  it('pays the bill, answers 201 with the receipt and sends it by SMS', async () => {
    const billId = await unpaidBill('payer');

    const res = await pay('payer', billId, 'key-happy');

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      paymentId: expect.stringMatching(/^PAY-/),
      billId,
      amount: AMOUNT,
      paidAt: expect.any(String),
      receiptNo: expect.stringMatching(/^R\d{8}-[0-9A-F]{8}$/),
    });
    const bill = await getBill(billId);
    expect(bill).toMatchObject({ status: 'paid', paidAt: res.body.paidAt, payment: { paymentId: res.body.paymentId, method: 'wechat' } });
    expect(chargesOf(billId)).toHaveLength(1);
    const sms = readOutbox(process.env.OUTBOX_FILE!, PHONE).filter((m) => m.reference === billId);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain(`收据号${res.body.receiptNo}`);
    expect(sms[0]!.body).toContain('43.50元');
  });

  it('makes one payment when 20 requests with one key arrive together, and gives every one the same answer', async () => {
    const billId = await unpaidBill('race-one-key');
    simulatedPaymentProvider.configure({ delayMs: 200 });

    const answers = await Promise.all(Array.from({ length: 20 }, () => pay('race-one-key', billId, 'key-shared')));

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(chargesOf(billId)).toHaveLength(1);
    expect((await getBill(billId))?.payment?.paymentId).toBe(answers[0]!.body.paymentId);
  });

  it('makes exactly one payment when 10 requests with 10 keys arrive together; the rest get 409 already_paid', async () => {
    const billId = await unpaidBill('race-ten-keys');

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => pay('race-ten-keys', billId, `key-${i}`)));

    const paid = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(paid).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const answer of refused) expect(answer).toMatchObject({ status: 409, body: { code: 'already_paid' } });
    expect(chargesOf(billId)).toHaveLength(1);
    expect((await getBill(billId))?.payment?.paymentId).toBe(paid[0]!.body.paymentId);
  });

  it('answers 502 and leaves the bill unpaid when the provider fails after taking the money; the retry completes it without a second charge', async () => {
    const billId = await unpaidBill('provider-timeout');
    simulatedPaymentProvider.configure({ failure: 'after-charge' });

    const failed = await pay('provider-timeout', billId, 'key-timeout');

    expect(failed).toMatchObject({ status: 502, body: { code: 'payment_provider_failed' } });
    expect((await getBill(billId))?.status).toBe('unpaid');
    expect(chargesOf(billId)).toHaveLength(1);

    simulatedPaymentProvider.configure({});
    const retry = await pay('provider-timeout', billId, 'key-timeout');
    const again = await pay('provider-timeout', billId, 'key-timeout');

    expect(retry.status).toBe(201);
    expect(again.body).toEqual(retry.body);
    expect(chargesOf(billId)).toHaveLength(1);
    expect((await getBill(billId))?.payment?.chargeId).toBe(chargesOf(billId)[0]!.chargeId);
  });

  it('completes a bill charged under a lost answer when the resident retries with a new key, without a second charge', async () => {
    const billId = await unpaidBill('provider-timeout-new-key');
    simulatedPaymentProvider.configure({ failure: 'after-charge' });
    await pay('provider-timeout-new-key', billId, 'key-first');
    simulatedPaymentProvider.configure({});

    const retry = await pay('provider-timeout-new-key', billId, 'key-second');

    expect(retry.status).toBe(201);
    expect(chargesOf(billId)).toHaveLength(1);
  });

  it('answers 502 without charging when the provider refuses, and a retry with the same key succeeds', async () => {
    const billId = await unpaidBill('provider-refuses');
    simulatedPaymentProvider.configure({ failure: 'before-charge' });

    const failed = await pay('provider-refuses', billId, 'key-refused');

    expect(failed).toMatchObject({ status: 502, body: { code: 'payment_provider_failed' } });
    expect(chargesOf(billId)).toHaveLength(0);
    simulatedPaymentProvider.configure({});
    expect((await pay('provider-refuses', billId, 'key-refused')).status).toBe(201);
    expect(chargesOf(billId)).toHaveLength(1);
  });

  it('gives the payment again to its own key when the stored answer was lost', async () => {
    const billId = await unpaidBill('lost-answer');
    const first = await pay('lost-answer', billId, 'key-lost');
    await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: 'IDEMPOTENCY#pay-bill#lost-answer#key-lost', sk: 'IDEMPOTENCY' } }));

    const again = await pay('lost-answer', billId, 'key-lost');

    expect(again).toEqual(first);
  });

  it('returns 409 already_paid for a bill paid under another key', async () => {
    const billId = await unpaidBill('paid-twice');
    await pay('paid-twice', billId, 'key-a');

    const second = await pay('paid-twice', billId, 'key-b');

    expect(second).toMatchObject({ status: 409, body: { code: 'already_paid' } });
  });

  it('returns 409 idempotency_key_reused for the same key with another body', async () => {
    const billId = await unpaidBill('key-reuse');
    await pay('key-reuse', billId, 'key-reused');

    const res = await pay('key-reuse', billId, 'key-reused', { amount: AMOUNT, method: 'alipay' });

    expect(res).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
  });

  it('returns 404 for someone else’s bill and for an unknown one, and charges nothing', async () => {
    const billId = await unpaidBill('owner');

    const foreign = await pay('intruder', billId, 'key-foreign');
    const unknown = await pay('intruder', 'B202611W-00000000000000000000', 'key-unknown');

    expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(chargesOf(billId)).toHaveLength(0);
    expect((await getBill(billId))?.status).toBe('unpaid');
  });

  it('returns 422 business_rule when the amount is not the bill’s', async () => {
    const billId = await unpaidBill('wrong-amount');

    const res = await pay('wrong-amount', billId, 'key-amount', { amount: AMOUNT - 1, method: 'unionpay' });

    expect(res).toMatchObject({ status: 422, body: { code: 'business_rule', errors: [{ path: 'amount', message: 'must be 4350: the bill is for 4350 fen (¥43.50)' }] } });
    expect(chargesOf(billId)).toHaveLength(0);
  });

  it('returns 400 at headers.idempotency-key without the header', async () => {
    const billId = await unpaidBill('no-key');

    const res = await pay('no-key', billId, undefined);

    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path: 'headers.idempotency-key' }] } });
    expect((await getBill(billId))?.status).toBe('unpaid');
  });

  it('pays a bill of a resident without a profile and sends no SMS', async () => {
    const billId = await unpaidBill('no-profile');

    const res = await pay('no-profile', billId, 'key-no-profile');

    expect(res.status).toBe(201);
    expect(readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.reference === billId)).toHaveLength(0);
  });
});
