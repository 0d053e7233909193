// The platform on Aliyun SMS (NOTIFIER=aliyun) against the local stand-in over HTTP: each message records
// the BizId Aliyun answered, the stand-in pushes its delivery report to POST /sms-receipts/{token}, and the
// report turns the message delivered (or failed with the carrier's code) once QuerySendDetails confirms it,
// as the resident sees in GET /me/messages. Forged reports change nothing. Aliyun's failure codes decide
// between a retry and giving up at once.

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_KEY, SANDBOX_SIGN_NAME, startSmsSandbox, type StandaloneSmsSandbox } from '../../infra/local/sms-sandbox.ts';
import type { PlatformNotifier } from '../../shared/ports/reliable-notifier.ts';
import { phoneFor, residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import type { Handler } from '../support/workflow-harness.ts';
import { eventually } from '../support/eventually.ts';

const TOKEN = 'receipt-token-9c1e0a7b2d4c6e8f0a1b3c5d7e9f1a3b';
let sandbox: StandaloneSmsSandbox;
let receiptServer: Server;
let notifier: PlatformNotifier;
let receive: Handler;
let listMyMessages: Handler;
let sendQueuedMessages: (event?: { time?: string }) => Promise<{ sent: number; failed: number; queued: number }>;
let checkSmsReports: (event?: { time?: string }) => Promise<{ confirmed: number; waiting: number; abandoned: number }>;
/** Phones whose pushed reports the receipt URL loses (answered 500 and not read), as when the route is down. */
const lostReports = new Set<string>();

const matter = '失业登记';
const approved = (residentId: string, serial: number, caseId: string, params: Record<string, string> = {}) => ({
  residentId,
  to: phoneFor(serial),
  template: 'case-approved' as const,
  params: { matter, caseId, ...params },
  reference: caseId,
});
const messagesOf = async (caller: TestCaller) => (await invoke(listMyMessages, 'GET /me/messages', { caller })).body.items as Record<string, any>[];
const postReports = (token: string, body: unknown) => invoke(receive, 'POST /sms-receipts/{token}', { params: { token }, body });
const beijingDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const forgedReport = (phone: string, bizId: string) => ({
  phone_number: phone.slice(3),
  send_time: `${beijingDay()} 10:00:00`,
  report_time: `${beijingDay()} 10:00:05`,
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: bizId,
  out_id: 'C20261129-0001',
});


beforeAll(async () => {
  receiptServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const token = decodeURIComponent(req.url!.replace('/sms-receipts/', ''));
      const body = Buffer.concat(chunks).toString('utf8');
      if ((JSON.parse(body) as { phone_number: string }[]).every((report) => lostReports.has(`+86${report.phone_number}`))) {
        res.writeHead(500).end();
        return;
      }
      const answer = await postReports(token, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => receiptServer.listen(0, '127.0.0.1', done));
  const receiptUrl = `http://127.0.0.1:${(receiptServer.address() as { port: number }).port}/sms-receipts/${TOKEN}`;
  sandbox = await startSmsSandbox({ port: 0, dir: mkdtempSync(join(tmpdir(), 'sc-sms-receipts-')), receiptUrl, receiptDelayMs: 50, receiptRetryMs: [200] });
  // As a cold start with NOTIFIER=aliyun reads it: set before the modules that read it are imported.
  Object.assign(process.env, {
    NOTIFIER: 'aliyun',
    STAFF_NOTIFIER: 'outbox',
    ALIYUN_SMS_ENDPOINT: sandbox.endpoint,
    ALIYUN_SMS_SECRET: JSON.stringify({ ...SANDBOX_ACCESS_KEY, signName: SANDBOX_SIGN_NAME, receiptToken: TOKEN }),
  });
  notifier = (await import('../../shared/ports/notifier-from-env.ts')).notifier;
  receive = (await import('../../functions/messages/receive-sms-receipts.ts')).handler as Handler;
  listMyMessages = (await import('../../functions/messages/list-my-messages.ts')).handler as Handler;
  sendQueuedMessages = (await import('../../functions/messages/send-queued-messages.ts')).handler;
  checkSmsReports = (await import('../../functions/messages/check-sms-reports.ts')).handler;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((done) => receiptServer.close(() => done()));
});

beforeEach(() => {
  sandbox.deliver('ok');
});

describe('delivery reports', () => {
  it("turns a message delivered when Aliyun's report arrives, and the resident sees it in GET /me/messages", async () => {
    const resident = await residentWithProfile('rcpt-delivered', 401);
    const outcome = await notifier.send(approved('rcpt-delivered', 401, 'C20261129-0401'));
    const [sent] = await messagesOf(resident);

    const [delivered] = await eventually(() => messagesOf(resident), (items) => items[0]?.status === 'delivered');

    expect(outcome).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(sent).toMatchObject({ status: 'sent', to: phoneFor(401) });
    expect(delivered).toMatchObject({ id: outcome!.messageId, status: 'delivered', text: `【智慧社区】您的${matter}事项（编号C20261129-0401）已审核通过。` });
    expect(Date.parse(delivered!.deliveredAt)).toBeGreaterThanOrEqual(Date.parse(delivered!.sentAt) - 1000);
    expect(sandbox.sent(phoneFor(401))).toMatchObject([{ outId: 'C20261129-0401', templateCode: 'SMS_CASE_APPROVED' }]);
  });

  it("turns a message failed with the carrier's code when the report says it was not received", async () => {
    sandbox.deliver('fail:MK:0001');
    const resident = await residentWithProfile('rcpt-failed', 402);
    await notifier.send(approved('rcpt-failed', 402, 'C20261129-0402'));

    const [failed] = await eventually(() => messagesOf(resident), (items) => items[0]?.status === 'failed');

    expect(failed).toMatchObject({ status: 'failed', reason: 'MK:0001', failedAt: expect.any(String) });
  });

  it('takes a repeated report as done: 200, nothing changes', async () => {
    const resident = await residentWithProfile('rcpt-repeat', 403);
    await notifier.send(approved('rcpt-repeat', 403, 'C20261129-0403'));
    const [delivered] = await eventually(() => messagesOf(resident), (items) => items[0]?.status === 'delivered');
    const bizId = sandbox.sent(phoneFor(403))[0]!.bizId;

    const again = await postReports(TOKEN, JSON.stringify([{ ...forgedReport(phoneFor(403), bizId), send_time: `${beijingDay()} 00:00:01` }]));

    expect(again).toMatchObject({ status: 200, body: { code: 0 } });
    expect(await messagesOf(resident)).toEqual([delivered]);
  });
});

describe('forged reports change nothing', () => {
  it('answers 404 without the secret token, before asking Aliyun anything', async () => {
    const resident = await residentWithProfile('rcpt-forged-token', 404);
    sandbox.deliver('none');
    await notifier.send(approved('rcpt-forged-token', 404, 'C20261129-0404'));
    const bizId = sandbox.sent(phoneFor(404))[0]!.bizId;

    const forged = await postReports('guessed-token', JSON.stringify([forgedReport(phoneFor(404), bizId)]));

    expect(forged.status).toBe(404);
    expect(forged.headers['content-type']).toBe('application/problem+json');
    expect((await messagesOf(resident))[0]).toMatchObject({ status: 'sent' });
  });

  it('keeps a message sent when a report with the token claims a delivery Aliyun does not confirm, and asks for the report again', async () => {
    const resident = await residentWithProfile('rcpt-forged-success', 405);
    sandbox.deliver('none');
    await notifier.send(approved('rcpt-forged-success', 405, 'C20261129-0405'));
    const bizId = sandbox.sent(phoneFor(405))[0]!.bizId;

    const waiting = await postReports(TOKEN, JSON.stringify([forgedReport(phoneFor(405), bizId)]));
    const unknown = await postReports(TOKEN, JSON.stringify([forgedReport(phoneFor(405), '900619746936498440^0')]));

    expect(waiting).toMatchObject({ status: 503, body: { code: 'receipts_unconfirmed' } });
    expect(unknown.status).toBe(503);
    expect((await messagesOf(resident))[0]).toMatchObject({ status: 'sent' });
  });

  it('refuses a body that is not a list of reports with 400', async () => {
    expect((await postReports(TOKEN, JSON.stringify({ biz_id: '1' }))).status).toBe(400);
    expect((await postReports(TOKEN, 'not json')).status).toBe(400);
  });
});

describe("Aliyun's failure codes: retry or give up", () => {
  it('queues an SMS refused for flow control and sends it on the retry, the report following', async () => {
    const resident = await residentWithProfile('rcpt-throttled', 406);
    sandbox.failNext('isv.BUSINESS_LIMIT_CONTROL');
    const now = new Date();
    const outcome = await notifier.send(approved('rcpt-throttled', 406, 'C20261129-0406'), { now });
    const [queued] = await messagesOf(resident);

    await sendQueuedMessages({ time: new Date(now.getTime() + 61_000).toISOString() });
    const [delivered] = await eventually(() => messagesOf(resident), (items) => items[0]?.status === 'delivered');

    expect(outcome).toMatchObject({ status: 'queued' });
    expect(queued).toMatchObject({ status: 'queued', reason: expect.stringContaining('isv.BUSINESS_LIMIT_CONTROL') });
    expect(delivered).toMatchObject({ status: 'delivered' });
    expect(sandbox.sent(phoneFor(406))).toHaveLength(1);
  });

  it.each([
    ['isv.AMOUNT_NOT_ENOUGH', 407],
    ['isv.DAY_LIMIT_CONTROL', 408],
    ['isv.SMS_TEMPLATE_ILLEGAL', 409],
  ])('fails an SMS refused with %s at once, with the code as the reason, and never retries it', async (code, serial) => {
    const resident = await residentWithProfile(`rcpt-${serial}`, serial);
    sandbox.failNext(code);
    const now = new Date();
    await notifier.send(approved(`rcpt-${serial}`, serial, `C20261129-0${serial}`), { now });
    await sendQueuedMessages({ time: new Date(now.getTime() + 3_600_000).toISOString() });

    expect((await messagesOf(resident))[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining(code) });
    expect(sandbox.sent(phoneFor(serial))).toEqual([]);
  });

  it('fails at once, before calling Aliyun, a message whose values break the registered variable rules', async () => {
    const resident = await residentWithProfile('rcpt-too-long', 410);
    await notifier.send(approved('rcpt-too-long', 410, 'C20261129-0410', { matter: '字'.repeat(21) }));

    expect((await messagesOf(resident))[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^SmsTemplateParamError: .*matter.*too-long/) });
    expect(sandbox.sent(phoneFor(410))).toEqual([]);
  });
});

describe('reports that never came', () => {
  const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

  it('asks Aliyun about an SMS whose report was lost, once it is overdue, and records what Aliyun says', async () => {
    const resident = await residentWithProfile('rcpt-lost', 411);
    lostReports.add(phoneFor(411));
    await notifier.send(approved('rcpt-lost', 411, 'C20261129-0411'));
    await eventually(async () => sandbox.sent(phoneFor(411))[0]?.status, (status) => status === 3);
    const [sent] = await messagesOf(resident);

    const early = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 5) });
    const stillSent = (await messagesOf(resident))[0];
    const overdue = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 11) });

    expect(sent).toMatchObject({ status: 'sent' });
    expect(early.confirmed).toBe(0);
    expect(stillSent).toMatchObject({ status: 'sent' });
    expect(overdue.confirmed).toBe(1);
    expect((await messagesOf(resident))[0]).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
  });

  it('asks again later while Aliyun has no outcome, and stops asking after 72 hours, the message left sent', async () => {
    const resident = await residentWithProfile('rcpt-silent', 412);
    sandbox.deliver('none');
    await notifier.send(approved('rcpt-silent', 412, 'C20261129-0412'));
    const [sent] = await messagesOf(resident);

    const first = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 11) });
    const tooSoon = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 20) });
    const again = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 42) });
    const last = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 72 * 60 + 1) });
    const after = await checkSmsReports({ time: minutesAfter(sent!.sentAt, 100 * 60) });

    // The forged-report tests above left their SMS waiting too, sent seconds earlier: they keep the same rhythm.
    expect(first.waiting).toBeGreaterThanOrEqual(1);
    expect(tooSoon).toEqual({ waiting: 0, confirmed: 0, abandoned: 0 });
    expect(again.waiting).toBeGreaterThanOrEqual(1);
    expect(last.abandoned).toBeGreaterThanOrEqual(1);
    expect(after).toEqual({ waiting: 0, confirmed: 0, abandoned: 0 });
    expect((await messagesOf(resident))[0]).toMatchObject({ status: 'sent' });
  });
});
