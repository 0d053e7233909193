// The local stand-in of Aliyun SMS (dysmsapi 2017-05-25), over real HTTP, so the adapter that runs in AWS is
// the code that runs on a laptop. It does what the provider does to a request: verifies the ACS3-HMAC-SHA256
// signature, the date and the nonce; knows its registered signatures and templates and refuses variables
// that are missing or break the variable rules; takes mainland numbers only; answers SendSms and
// QuerySendDetails; pushes a delivery report (SmsReport) to the receipt URL shortly after each send. Every
// send and report is a line in DATA_DIR's aliyun-sms.jsonl, replayed on start. Mount `handle` in a server
// under /_sandbox/aliyun-sms/, or run it on its own port with startSmsSandbox.

import { randomInt, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { smsSegments, TEMPLATES, type TemplateName } from '../../shared/domain/messages.ts';
import { defaultTemplateCode, renderRegistered, SMS_TEMPLATES, templateVariables } from '../../shared/domain/sms-templates.ts';
import { AliyunApiError, listenStandalone, sendJson, serveAliyunProduct, unknownAction } from './aliyun-gateway.ts';

export const SMS_SANDBOX_PREFIX = '/_sandbox/aliyun-sms/';
export const SMS_SANDBOX_FILE = 'aliyun-sms.jsonl';
/** The only AccessKey the stand-in knows unless told others; useless anywhere else. */
export const SANDBOX_ACCESS_KEY = { accessKeyId: 'LTAI5tSandboxLocalOnly', accessKeySecret: 'sandbox-secret-local-only' };
export const SANDBOX_SIGN_NAME = '智慧社区';

/** `ok`: a DELIVERED report; `fail:<code>`: a failure report with that carrier code; `none`: it stays waiting. */
export type DeliverMode = 'ok' | `fail:${string}` | 'none';

export type SmsSandboxOptions = {
  dir: string;
  receiptUrl?: string;
  deliver?: DeliverMode;
  /** Between the send and its report; Aliyun takes seconds. */
  receiptDelayMs?: number;
  /** Aliyun pushes again 1, 5 and 10 minutes after a push that was not answered 200. */
  receiptRetryMs?: number[];
  accessKeys?: Record<string, string>;
  signNames?: string[];
  /** TemplateCode → registered text; by default every template of sms-templates.ts under SMS_<NAME>. */
  templates?: Record<string, string>;
};

export type SandboxSms = {
  bizId: string;
  requestId: string;
  phoneNumber: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId?: string;
  /** The SMS as the phone shows it: 【signature】 + the rendered template. */
  content: string;
  segments: number;
  sentAt: string;
  status: 1 | 2 | 3;
  errCode: string;
  reportedAt?: string;
};

export type SmsSandbox = {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** The next `times` SendSms calls are answered with `code` instead of being sent. */
  failNext(code: string, times?: number): void;
  deliver(mode: DeliverMode): void;
  sent(phoneNumber?: string): SandboxSms[];
  /** Cancels reports not yet pushed and waits for pushes under way. */
  close(): Promise<void>;
};

type Line = { type: 'sent'; sms: SandboxSms } | { type: 'report'; bizId: string; phoneNumber: string; status: 2 | 3; errCode: string; reportedAt: string };

const VERSION = '2017-05-25';
const HOST_ID = 'dysmsapi.aliyuncs.com';
const MAX_BODY_BYTES = 64 * 1024;
const MAX_VARIABLE_LENGTH = 35;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const URL_LIKE = /(https?:\/\/|www\.|\.(com|cn|net|org|gov|top|xyz)\b)/i;

/** Aliyun's times are Beijing time, `yyyy-MM-dd HH:mm:ss`. */
const beijingTime = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

// Gateway refusals come with a 4xx/5xx; SendSms's own refusals (isv.*, isp.*) with 200 and their Code.
const statusOf = (code: string) =>
  code.startsWith('Throttling') ? 400 : code === 'ServiceUnavailable' ? 503 : code === 'InternalError' ? 500 : code.startsWith('Invalid') || code.startsWith('Signature') ? 400 : 200;

export function createSmsSandbox(options: SmsSandboxOptions): SmsSandbox {
  const file = join(options.dir, SMS_SANDBOX_FILE);
  const accessKeys = options.accessKeys ?? { [SANDBOX_ACCESS_KEY.accessKeyId]: SANDBOX_ACCESS_KEY.accessKeySecret };
  const signNames = options.signNames ?? [SANDBOX_SIGN_NAME];
  const templates =
    options.templates ?? Object.fromEntries((Object.keys(TEMPLATES) as TemplateName[]).map((name) => [defaultTemplateCode(name), SMS_TEMPLATES[name].text]));
  const receiptRetryMs = options.receiptRetryMs ?? [60_000, 300_000, 600_000];
  let deliverMode: DeliverMode = options.deliver ?? 'ok';
  const failures: string[] = [];
  const records: SandboxSms[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const pushes = new Set<Promise<void>>();
  let closed = false;

  mkdirSync(options.dir, { recursive: true });
  const append = (line: Line) => appendFileSync(file, `${JSON.stringify(line)}\n`);
  const applyLine = (line: Line) => {
    if (line.type === 'sent') records.push(line.sms);
    else {
      const sms = records.find((r) => r.bizId === line.bizId && r.phoneNumber === line.phoneNumber);
      if (sms) Object.assign(sms, { status: line.status, errCode: line.errCode, reportedAt: line.reportedAt });
    }
  };
  if (existsSync(file)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) if (text.trim() !== '') applyLine(JSON.parse(text) as Line);
  }

  const later = (ms: number, run: () => void) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  function pushReports(batch: SandboxSms[], attempt = 0) {
    if (options.receiptUrl === undefined) return;
    const reports = batch.map((sms) => ({
      phone_number: sms.phoneNumber,
      send_time: beijingTime(new Date(sms.sentAt)),
      report_time: beijingTime(new Date(sms.reportedAt!)),
      success: sms.status === 3,
      err_code: sms.errCode,
      err_msg: sms.status === 3 ? '用户接收成功' : '用户接收失败',
      sms_size: String(sms.segments),
      biz_id: sms.bizId,
      out_id: sms.outId ?? '',
    }));
    const push = fetch(options.receiptUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reports), signal: AbortSignal.timeout(5_000) })
      .then(async (response) => {
        const answer = (await response.json().catch(() => ({}))) as { code?: unknown };
        return response.status === 200 && typeof answer.code === 'number';
      })
      .catch(() => false)
      .then((accepted) => {
        const retryIn = receiptRetryMs[attempt];
        if (!accepted && retryIn !== undefined) later(retryIn, () => pushReports(batch, attempt + 1));
      });
    pushes.add(push);
    void push.finally(() => pushes.delete(push));
  }

  function report(batch: SandboxSms[], mode: DeliverMode) {
    if (mode === 'none') return;
    const reportedAt = new Date().toISOString();
    for (const sms of batch) {
      const line: Line = { type: 'report', bizId: sms.bizId, phoneNumber: sms.phoneNumber, status: mode === 'ok' ? 3 : 2, errCode: mode === 'ok' ? 'DELIVERED' : mode.slice(5), reportedAt };
      append(line);
      applyLine(line);
    }
    pushReports(batch);
  }

  const businessError = (code: string, message: string) => new AliyunApiError(200, code, message);

  function sendSms(params: Record<string, string>) {
    const failure = failures.shift();
    if (failure !== undefined) throw new AliyunApiError(statusOf(failure), failure, `failure requested by the test knob`);
    const phones = (params.PhoneNumbers ?? '').split(',');
    if (phones.length > 1000) throw businessError('isv.MOBILE_COUNT_OVER_LIMIT', '手机号码数量超过限制');
    if (!phones.every((phone) => MAINLAND_MOBILE.test(phone))) throw businessError('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    const signName = params.SignName ?? '';
    if (!signNames.includes(signName)) throw businessError('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    const templateCode = params.TemplateCode ?? '';
    const text = templates[templateCode];
    if (text === undefined) throw businessError('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let given: Record<string, unknown>;
    try {
      given = JSON.parse(params.TemplateParam ?? '{}') as Record<string, unknown>;
      if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new Error('not an object');
    } catch {
      throw businessError('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    }
    const values: Record<string, string> = {};
    for (const name of templateVariables(text)) {
      const value = given[name];
      if (value === undefined || value === null || String(value) === '') throw businessError('isv.TEMPLATE_MISSING_PARAMETERS', `模板变量缺少对应参数值：${name}`);
      if (typeof value !== 'string' && typeof value !== 'number') throw businessError('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
      const string = String(value);
      if ([...string].length > MAX_VARIABLE_LENGTH || /[【】\p{Cc}\p{Cf}]/u.test(string) || URL_LIKE.test(string.normalize('NFKC'))) {
        throw businessError('isv.TEMPLATE_PARAMS_ILLEGAL', `模板变量里包含非法关键字或超过长度限制：${name}`);
      }
      values[name] = string;
    }
    const bizId = `${Date.now()}${String(randomInt(1_000_000)).padStart(6, '0')}^0`;
    const requestId = randomUUID().toUpperCase();
    const content = `【${signName}】${renderRegistered(text, values)}`;
    const sentAt = new Date().toISOString();
    const batch = phones.map((phoneNumber): SandboxSms => ({
      bizId,
      requestId,
      phoneNumber,
      signName,
      templateCode,
      templateParam: values,
      ...(params.OutId ? { outId: params.OutId } : {}),
      content,
      segments: smsSegments(content),
      sentAt,
      status: 1,
      errCode: '',
    }));
    for (const sms of batch) {
      append({ type: 'sent', sms });
      applyLine({ type: 'sent', sms });
    }
    const mode = deliverMode;
    later(options.receiptDelayMs ?? 100, () => report(batch, mode));
    return { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId };
  }

  function querySendDetails(params: Record<string, string>) {
    const phone = params.PhoneNumber ?? '';
    if (!MAINLAND_MOBILE.test(phone)) throw businessError('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    const sendDate = params.SendDate ?? '';
    const pageSize = Number(params.PageSize);
    const currentPage = Number(params.CurrentPage);
    if (!/^\d{8}$/.test(sendDate)) throw businessError('isv.INVALID_PARAMETERS', 'SendDate 格式为 yyyyMMdd');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50 || !Number.isInteger(currentPage) || currentPage < 1) {
      throw businessError('isv.INVALID_PARAMETERS', 'PageSize 取值 1~50，CurrentPage 从 1 开始');
    }
    const matching = records
      .filter((sms) => sms.phoneNumber === phone && beijingTime(new Date(sms.sentAt)).slice(0, 10).replaceAll('-', '') === sendDate)
      .filter((sms) => params.BizId === undefined || sms.bizId === params.BizId)
      .reverse();
    const page = matching.slice((currentPage - 1) * pageSize, currentPage * pageSize);
    return {
      Code: 'OK',
      Message: 'OK',
      RequestId: randomUUID().toUpperCase(),
      TotalCount: matching.length,
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: page.map((sms) => ({
          PhoneNum: sms.phoneNumber,
          SendStatus: sms.status,
          ErrCode: sms.errCode,
          TemplateCode: sms.templateCode,
          Content: sms.content,
          SendDate: beijingTime(new Date(sms.sentAt)),
          ...(sms.reportedAt ? { ReceiveDate: beijingTime(new Date(sms.reportedAt)) } : {}),
          ...(sms.outId ? { OutId: sms.outId } : {}),
        })),
      },
    };
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) {
    const command = url.pathname.slice(`${SMS_SANDBOX_PREFIX}_control/`.length);
    let input: { code?: string; times?: number; mode?: DeliverMode } = {};
    try {
      if (body.length > 0) input = JSON.parse(body.toString('utf8')) as typeof input;
    } catch {
      return sendJson(res, 400, { Code: 'InvalidParameter', Message: 'the control body is JSON' });
    }
    if (req.method === 'POST' && command === 'fail-next' && typeof input.code === 'string') {
      sandbox.failNext(input.code, input.times ?? 1);
      return sendJson(res, 204);
    }
    if (req.method === 'POST' && command === 'deliver' && typeof input.mode === 'string' && /^(ok|none|fail:\S+)$/.test(input.mode)) {
      sandbox.deliver(input.mode);
      return sendJson(res, 204);
    }
    if (req.method === 'GET' && command === 'sent') return sendJson(res, 200, sandbox.sent(url.searchParams.get('phone') ?? undefined));
    return sendJson(res, 404, { Code: 'NotFound', Message: `no control ${req.method} ${command}` });
  }

  const handle = serveAliyunProduct({
    prefix: SMS_SANDBOX_PREFIX,
    version: VERSION,
    accessKeys,
    hostId: HOST_ID,
    maxBodyBytes: MAX_BODY_BYTES,
    control,
    call(action, params) {
      if (action === 'SendSms') return sendSms(params);
      if (action === 'QuerySendDetails') return querySendDetails(params);
      throw unknownAction();
    },
  });

  const sandbox: SmsSandbox = {
    handle,
    failNext(code, times = 1) {
      for (let i = 0; i < times; i += 1) failures.push(code);
    },
    deliver(mode) {
      deliverMode = mode;
    },
    sent(phoneNumber) {
      const national = phoneNumber?.replace(/^(\+86|0086|86)/, '');
      return records.filter((sms) => national === undefined || sms.phoneNumber === national).map((sms) => ({ ...sms }));
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...pushes]);
    },
  };
  return sandbox;
}

export type StandaloneSmsSandbox = SmsSandbox & { port: number; /** The endpoint to configure the client with. */ endpoint: string };

export async function startSmsSandbox(options: SmsSandboxOptions & { port?: number }): Promise<StandaloneSmsSandbox> {
  return listenStandalone(createSmsSandbox(options), SMS_SANDBOX_PREFIX, options.port);
}
