// The Aliyun SMS adapter against the local stand-in over real HTTP: the signature the stand-in verifies, the
// templates it knows, the error codes it answers, QuerySendDetails and the delivery report it pushes to a
// receipt URL, where the receipt intake confirms each report before applying it.

import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smsText, TEMPLATES, type TemplateName } from '../../shared/domain/messages.ts';
import { renderRegistered, SMS_TEMPLATES, templateParam } from '../../shared/domain/sms-templates.ts';
import { AliyunSmsError, aliyunSmsClient, type AliyunSmsConfig } from '../../shared/ports/aliyun-sms-client.ts';
import { aliyunSmsNotifier } from '../../shared/ports/aliyun-sms-notifier.ts';
import { smsReceiptIntake, type ConfirmedDelivery, type SmsReport } from '../../shared/ports/aliyun-sms-receipts.ts';
import { signRpcCall } from '../../shared/ports/aliyun-sms-signing.ts';
import type { Notifier, StaffMessage } from '../../shared/ports/notifier.ts';
import { SANDBOX_ACCESS_KEY, SANDBOX_SIGN_NAME, startSmsSandbox, type StandaloneSmsSandbox } from '../../infra/local/sms-sandbox.ts';
import { caseId, LARGEST_PARAMS, matter } from '../support/sms-template-params.ts';
import { eventually } from '../support/eventually.ts';

const TOKEN = 'receipt-token-3f9c1e0a7b2d4c6e8f0a1b3c5d7e9f1a';
let sandbox: StandaloneSmsSandbox;
let receiptServer: Server;
let config: AliyunSmsConfig;
const pushed: SmsReport[][] = [];
const applied: ConfirmedDelivery[] = [];
const staffMessages: StaffMessage[] = [];
const staffNotifier: Notifier = {
  send: async () => Promise.reject(new Error('residents are not reached through the staff notifier')),
  notifyStaff: async (message) => {
    staffMessages.push(message);
  },
};

let phoneSequence = 0;
const nextPhone = () => `+86139${String(10_000_000 + phoneSequence++).slice(-8)}`;
const national = (e164: string) => e164.slice(3);
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
const message = (to: string, template: TemplateName = 'case-approved', params: Record<string, string> = { matter, caseId }) => ({
  channel: 'sms' as const,
  to,
  template,
  params,
  reference: caseId,
});


async function rejection(promise: Promise<unknown>): Promise<AliyunSmsError> {
  const error = await promise.then(
    () => expect.unreachable('the call succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AliyunSmsError);
  return error as AliyunSmsError;
}

beforeAll(async () => {
  let intake: ReturnType<typeof smsReceiptIntake> | undefined;
  receiptServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsReport[];
      pushed.push(body);
      const answer = await intake!({ token: req.url?.match(/^\/sms-receipts\/([^/?]+)$/)?.[1], body });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => receiptServer.listen(0, '127.0.0.1', done));
  const receiptUrl = `http://127.0.0.1:${(receiptServer.address() as { port: number }).port}/sms-receipts/${TOKEN}`;
  sandbox = await startSmsSandbox({ port: 0, dir: mkdtempSync(join(tmpdir(), 'sc-aliyun-sms-')), receiptUrl, receiptDelayMs: 30, receiptRetryMs: [] });
  config = { endpoint: sandbox.endpoint, ...SANDBOX_ACCESS_KEY, signName: SANDBOX_SIGN_NAME };
  intake = smsReceiptIntake({ token: TOKEN, client: aliyunSmsClient(config), apply: async (delivery) => applied.push(delivery) > 0 });
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((done) => receiptServer.close(() => done()));
});

beforeEach(() => {
  sandbox.deliver('ok');
});

describe('Aliyun SMS notifier against the local stand-in', () => {
  it('sends every template of messages.ts with the largest realistic values, and the stand-in accepts each after verifying its signature', async () => {
    const notifier = aliyunSmsNotifier(config, staffNotifier);
    for (const template of Object.keys(TEMPLATES) as TemplateName[]) {
      for (const params of LARGEST_PARAMS[template]) {
        const to = nextPhone();
        const { providerId: bizId } = await notifier.send({ channel: 'sms', to, template, params, reference: `ref-${template}` });

        const [sms] = sandbox.sent(to);
        expect(sms, template).toMatchObject({ bizId, templateCode: `SMS_${template.toUpperCase().replaceAll('-', '_')}`, outId: `ref-${template}`, signName: '智慧社区' });
        expect(sms!.content).toBe(smsText(renderRegistered(SMS_TEMPLATES[template].text, templateParam(template, params))));
      }
    }
  });

  it('sends with the configured TemplateCode and answers the BizId as the provider id, a receipt to follow', async () => {
    const to = nextPhone();
    const receipt = await aliyunSmsNotifier({ ...config, templateCodes: { 'case-approved': 'SMS_CASE_APPROVED' } }, staffNotifier).send(message(to));
    expect(sandbox.sent(to)[0]!.content).toBe(`【智慧社区】您的${matter}事项（编号${caseId}）已审核通过。`);
    expect(receipt).toEqual({ providerId: sandbox.sent(to)[0]!.bizId, status: 'sent', awaitsReceipt: true });
  });

  it('hands staff messages to the staff notifier it was given: staff SMS through Aliyun is not its job', async () => {
    const task: StaffMessage = { centre: 'zizhuyuan', role: 'caseworker', category: 'employment', template: 'task-opened', params: { matter, caseId, role: '窗口经办', dueDate: '12月2日' }, reference: `${caseId}-R1S1` };
    await aliyunSmsNotifier(config, staffNotifier).notifyStaff(task);
    expect(staffMessages).toEqual([task]);
  });

  it('is refused with SignatureDoesNotMatch when the secret is wrong, a permanent error', async () => {
    const error = await rejection(aliyunSmsNotifier({ ...config, accessKeySecret: 'not-the-secret' }, staffNotifier).send(message(nextPhone())));
    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', httpStatus: 400, retryable: false });
  });

  it('is refused with InvalidAccessKeyId.NotFound for an AccessKey the provider does not know', async () => {
    const error = await rejection(aliyunSmsNotifier({ ...config, accessKeyId: 'LTAI-unknown' }, staffNotifier).send(message(nextPhone())));
    expect(error).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', retryable: false });
  });

  it.each([
    ['Throttling.User', true],
    ['isv.BUSINESS_LIMIT_CONTROL', true],
    ['isp.SYSTEM_ERROR', true],
    ['ServiceUnavailable', true],
    ['isv.AMOUNT_NOT_ENOUGH', false],
    ['isv.DAY_LIMIT_CONTROL', false],
    ['isv.MOBILE_NUMBER_ILLEGAL', false],
    ['isv.TEMPLATE_MISSING_PARAMETERS', false],
  ])('maps %s to retryable: %s', async (code, retryable) => {
    sandbox.failNext(code);
    const error = await rejection(aliyunSmsNotifier(config, staffNotifier).send(message(nextPhone())));
    expect(error).toMatchObject({ code, retryable });
  });

  it('is refused by the provider for a missing variable, an overlong one, an unknown template or signature', async () => {
    const client = aliyunSmsClient(config);
    const phoneNumber = nextPhone();
    const base = { phoneNumber, templateCode: 'SMS_CASE_APPROVED', templateParam: { matter, caseId } };
    expect(await rejection(client.sendSms({ ...base, templateParam: { matter } }))).toMatchObject({ code: 'isv.TEMPLATE_MISSING_PARAMETERS' });
    expect(await rejection(client.sendSms({ ...base, templateParam: { matter: '字'.repeat(36), caseId } }))).toMatchObject({ code: 'isv.TEMPLATE_PARAMS_ILLEGAL' });
    expect(await rejection(client.sendSms({ ...base, templateParam: { matter: '见 https://t.cn/x', caseId } }))).toMatchObject({ code: 'isv.TEMPLATE_PARAMS_ILLEGAL' });
    expect(await rejection(client.sendSms({ ...base, templateCode: 'SMS_NOT_REGISTERED' }))).toMatchObject({ code: 'isv.SMS_TEMPLATE_ILLEGAL', retryable: false });
    expect(await rejection(aliyunSmsClient({ ...config, signName: '别的签名' }).sendSms(base))).toMatchObject({ code: 'isv.SMS_SIGNATURE_ILLEGAL' });
    expect(sandbox.sent(phoneNumber)).toEqual([]);
  });

  it('refuses a number outside the mainland before calling, and the stand-in refuses one that slips through', async () => {
    expect(await rejection(aliyunSmsNotifier(config, staffNotifier).send(message('+85291234567')))).toMatchObject({ code: 'isv.MOBILE_NUMBER_ILLEGAL', retryable: false });
    const { host: _host, ...headers } = signRpcCall({ url: new URL(sandbox.endpoint), action: 'SendSms', version: '2017-05-25', query: { PhoneNumbers: '12345' }, ...SANDBOX_ACCESS_KEY, now: new Date() });
    const response = await fetch(`${sandbox.endpoint}?PhoneNumbers=12345`, { method: 'POST', headers });
    expect(await response.json()).toMatchObject({ Code: 'isv.MOBILE_NUMBER_ILLEGAL' });
  });

  it('refuses a replayed request: the same nonce twice is SignatureNonceUsed', async () => {
    const url = new URL(sandbox.endpoint);
    const query = { PhoneNumber: national(nextPhone()), SendDate: today(), PageSize: '10', CurrentPage: '1' };
    const { host: _host, ...headers } = signRpcCall({ url, action: 'QuerySendDetails', version: '2017-05-25', query, ...SANDBOX_ACCESS_KEY, now: new Date(), nonce: 'replayed-nonce' });
    const target = `${sandbox.endpoint}?${new URLSearchParams(query)}`;
    const first = await fetch(target, { method: 'POST', headers });
    const second = await fetch(target, { method: 'POST', headers });
    expect((await first.json()) as unknown).toMatchObject({ Code: 'OK' });
    expect(second.status).toBe(400);
    expect((await second.json()) as unknown).toMatchObject({ Code: 'SignatureNonceUsed' });
  });

  it('answers QuerySendDetails waiting at first, then delivered with its receive date', async () => {
    const to = nextPhone();
    const { providerId: bizId } = await aliyunSmsNotifier(config, staffNotifier).send(message(to));
    const client = aliyunSmsClient(config);
    const query = { phoneNumber: to, bizId, sendDate: today() };

    const first = await client.querySendDetails(query);
    const later = await eventually(() => client.querySendDetails(query), (r) => r.details[0]?.status === 'delivered');

    expect(first.details[0]!.status).toBe('waiting');
    expect(later.totalCount).toBe(1);
    expect(later.details[0]).toMatchObject({ phoneNumber: national(to), status: 'delivered', errCode: 'DELIVERED', templateCode: 'SMS_CASE_APPROVED', outId: caseId });
    expect(later.details[0]!.receiveDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(later.details[0]!.content).toContain('【智慧社区】');
  });

  it('pushes the delivery report to the receipt URL in the documented shape, and the intake applies what QuerySendDetails confirms', async () => {
    const to = nextPhone();
    const { providerId: bizId } = await aliyunSmsNotifier(config, staffNotifier).send(message(to));

    const reports = await eventually(() => pushed.flat().filter((r) => r.biz_id === bizId), (r) => r.length > 0);
    const delivery = await eventually(() => applied.find((d) => d.bizId === bizId), (d) => d !== undefined);

    expect(reports).toEqual([
      {
        phone_number: national(to),
        send_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        report_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: bizId,
        out_id: caseId,
      },
    ]);
    expect(delivery).toMatchObject({ bizId, outId: caseId, phoneNumber: to, status: 'delivered', errCode: 'DELIVERED' });
  });

  it('reports a failure with the carrier code when the stand-in is told to fail delivery', async () => {
    sandbox.deliver('fail:MK:0001');
    const to = nextPhone();
    const { providerId: bizId } = await aliyunSmsNotifier(config, staffNotifier).send(message(to));
    const delivery = await eventually(() => applied.find((d) => d.bizId === bizId), (d) => d !== undefined);
    expect(delivery).toMatchObject({ status: 'failed', errCode: 'MK:0001' });
    expect(pushed.flat().find((r) => r.biz_id === bizId)).toMatchObject({ success: false, err_code: 'MK:0001' });
  });
});

describe('receipt intake: a forged report changes nothing', () => {
  const forged = (overrides: Partial<SmsReport>): SmsReport => ({
    phone_number: national(nextPhone()),
    send_time: `${today().replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')} 10:00:00`,
    report_time: `${today().replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')} 10:00:05`,
    success: true,
    err_code: 'DELIVERED',
    err_msg: '用户接收成功',
    sms_size: '1',
    biz_id: '900619746936498440^0',
    out_id: caseId,
    ...overrides,
  });
  const intake = () => smsReceiptIntake({ token: TOKEN, client: aliyunSmsClient(config), apply: async (delivery) => applied.push(delivery) > 0 });

  it('answers 404 to a report without the URL token, before asking Aliyun anything', async () => {
    const before = applied.length;
    expect(await intake()({ token: 'guessed', body: [forged({})] })).toEqual({ status: 404, body: { code: 404, msg: 'not found' } });
    expect(await intake()({ token: undefined, body: [forged({})] })).toMatchObject({ status: 404 });
    expect(applied.length).toBe(before);
  });

  it('does not apply a report for a BizId Aliyun does not know, even with the token, and asks for a retry', async () => {
    const before = applied.length;
    expect(await intake()({ token: TOKEN, body: [forged({ biz_id: '123^0' })] })).toMatchObject({ status: 503, body: { code: 1 } });
    expect(applied.length).toBe(before);
  });

  it('applies what Aliyun says, not what the report claims: a "success" report of an SMS that is still waiting changes nothing', async () => {
    sandbox.deliver('none');
    const to = nextPhone();
    const { providerId: bizId } = await aliyunSmsNotifier(config, staffNotifier).send(message(to));
    const answer = await intake()({ token: TOKEN, body: [forged({ phone_number: national(to), biz_id: bizId })] });
    expect(answer.status).toBe(503);
    expect(applied.find((d) => d.bizId === bizId)).toBeUndefined();
  });

  it('refuses a body that is not an array of reports', async () => {
    expect(await intake()({ token: TOKEN, body: { biz_id: '1' } })).toMatchObject({ status: 400 });
    expect(await intake()({ token: TOKEN, body: [forged({ phone_number: 'x' })] })).toMatchObject({ status: 400 });
  });
});

describe('stand-in housekeeping', () => {
  it('takes its test knobs over HTTP too, for a server that mounts it', async () => {
    const control = (command: string, body: unknown) => fetch(`${sandbox.endpoint}_control/${command}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await control('fail-next', { code: 'isv.DAY_LIMIT_CONTROL' })).status).toBe(204);
    expect(await rejection(aliyunSmsNotifier(config, staffNotifier).send(message(nextPhone())))).toMatchObject({ code: 'isv.DAY_LIMIT_CONTROL' });
    const to = nextPhone();
    await aliyunSmsNotifier(config, staffNotifier).send(message(to));
    const listed = (await (await fetch(`${sandbox.endpoint}_control/sent?phone=${encodeURIComponent(to)}`)).json()) as { phoneNumber: string }[];
    expect(listed.map((sms) => sms.phoneNumber)).toEqual([national(to)]);
  });

  it('keeps every SMS in its JSON-lines file: a stand-in started on the same directory answers for them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-aliyun-sms-restart-'));
    const first = await startSmsSandbox({ port: 0, dir, receiptDelayMs: 10 });
    const to = nextPhone();
    const { providerId: bizId } = await aliyunSmsNotifier({ ...config, endpoint: first.endpoint }, staffNotifier).send(message(to));
    await eventually(() => first.sent(to)[0]?.status, (status) => status === 3);
    await first.close();

    const second = await startSmsSandbox({ port: 0, dir });
    const { details } = await aliyunSmsClient({ ...config, endpoint: second.endpoint }).querySendDetails({ phoneNumber: to, bizId, sendDate: today() });
    await second.close();
    expect(details).toMatchObject([{ status: 'delivered', outId: caseId }]);
  });
});
