// Aliyun SMS (dysmsapi 2017-05-25) over fetch: SendSms and QuerySendDetails as RPC-style POSTs signed with
// ACS3-HMAC-SHA256, parameters in the query string as the API metadata declares them. Every failure becomes
// an AliyunSmsError that says whether sending again later can succeed.

import { normalizeMobile } from '../domain/phone.ts';
import type { TemplateName } from '../domain/messages.ts';
import { canonicalQueryString, signRpcCall } from './aliyun-sms-signing.ts';

export const DYSMSAPI_VERSION = '2017-05-25';

export type AliyunSmsConfig = {
  /** https://dysmsapi.aliyuncs.com in production; the local stand-in's URL under `npm start` and in tests. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名) without 【】, e.g. 智慧社区. */
  signName: string;
  /** The TemplateCodes Aliyun assigned at approval; a template missing here is sent as SMS_<NAME>. */
  templateCodes?: Partial<Record<TemplateName, string>>;
};

export type AliyunSmsClientOptions = { fetch?: typeof fetch; now?: () => Date; timeoutMs?: number };

// Flow control (per number and template, per account, per API) passes with time; so do the platform's own
// failures. Everything else needs a person: a wrong number, template or signature, an empty balance, a
// daily or monthly cap set in the console, bad credentials. Retrying those only burns the retry budget.
const RETRYABLE = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'isp.SYSTEM_ERROR',
  'isp.GATEWAY_ERROR',
  'ServiceUnavailable',
  'InternalError',
  'NetworkError',
]);

/** An unknown `isp.` code is Aliyun's side; an unknown `isv.` code (or any other) is the request's. */
export const isRetryableAliyunCode = (code: string, httpStatus?: number) =>
  RETRYABLE.has(code) || code.startsWith('Throttling') || code.startsWith('isp.') || (httpStatus !== undefined && httpStatus >= 500);

export class AliyunSmsError extends Error {
  override readonly name = 'AliyunSmsError';
  readonly retryable: boolean;
  constructor(
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly httpStatus?: number,
  ) {
    super(`${code}: ${message}`);
    this.retryable = isRetryableAliyunCode(code, httpStatus);
  }
}

export type SendSmsInput = {
  /** A mainland mobile number in any accepted form (E.164 or 11 digits). */
  phoneNumber: string;
  templateCode: string;
  templateParam: Record<string, string>;
  /** Our reference (a case or appointment id): it comes back in delivery receipts as out_id. */
  outId?: string;
};

export type SendStatus = 'waiting' | 'failed' | 'delivered';

export type SmsSendDetail = {
  phoneNumber: string;
  status: SendStatus;
  /** DELIVERED, or the carrier's failure code. */
  errCode: string;
  templateCode: string;
  content: string;
  /** Asia/Shanghai, `yyyy-MM-dd HH:mm:ss`. */
  sendDate: string;
  receiveDate?: string;
  outId?: string;
};

export type QuerySendDetailsInput = { phoneNumber: string; bizId?: string; sendDate: string; pageSize?: number; currentPage?: number };

export type AliyunSmsClient = {
  sendSms(input: SendSmsInput): Promise<{ bizId: string; requestId: string }>;
  querySendDetails(input: QuerySendDetailsInput): Promise<{ totalCount: number; details: SmsSendDetail[] }>;
};

const SEND_STATUS: Record<number, SendStatus> = { 1: 'waiting', 2: 'failed', 3: 'delivered' };

/** Aliyun takes mainland numbers as 11 digits; anything else would only come back as isv.MOBILE_NUMBER_ILLEGAL. */
function nationalNumber(phone: string): string {
  const e164 = normalizeMobile(phone);
  if (e164 === null) throw new AliyunSmsError('isv.MOBILE_NUMBER_ILLEGAL', 'not a mainland mobile number');
  return e164.slice(3);
}

type RpcAnswer = { Code?: string; Message?: string; RequestId?: string } & Record<string, unknown>;

export function aliyunSmsClient(config: AliyunSmsConfig, options: AliyunSmsClientOptions = {}): AliyunSmsClient {
  const { fetch: send = fetch, now = () => new Date(), timeoutMs = 10_000 } = options;
  const url = new URL(config.endpoint);

  async function call(action: string, query: Record<string, string>): Promise<RpcAnswer> {
    const headers = signRpcCall({ url, action, version: DYSMSAPI_VERSION, query, accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret, now: now() });
    const { host: _host, ...sent } = headers;
    // The query goes out exactly as it was signed (RFC 3986, a space as %20): URLSearchParams would write a
    // space as +, which a strict RFC 3986 reader takes for a plus sign.
    const target = new URL(url);
    target.search = canonicalQueryString(query);
    let response: Response;
    try {
      response = await send(target, { method: 'POST', headers: sent, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      // A timeout may hide an SMS that went out; sending it again risks a duplicate, never a loss.
      throw new AliyunSmsError('NetworkError', (error as Error).message);
    }
    const text = await response.text();
    let answer: RpcAnswer;
    try {
      answer = JSON.parse(text) as RpcAnswer;
    } catch {
      throw new AliyunSmsError(`HTTP_${response.status}`, text.slice(0, 200), undefined, response.status);
    }
    if (answer.Code !== 'OK') {
      throw new AliyunSmsError(answer.Code ?? `HTTP_${response.status}`, answer.Message ?? text.slice(0, 200), answer.RequestId, response.status);
    }
    return answer;
  }

  return {
    async sendSms(input) {
      const query: Record<string, string> = {
        PhoneNumbers: nationalNumber(input.phoneNumber),
        SignName: config.signName,
        TemplateCode: input.templateCode,
        TemplateParam: JSON.stringify(input.templateParam),
      };
      if (input.outId !== undefined) query.OutId = input.outId;
      const answer = await call('SendSms', query);
      return { bizId: String(answer.BizId), requestId: String(answer.RequestId) };
    },

    async querySendDetails(input) {
      const query: Record<string, string> = {
        PhoneNumber: nationalNumber(input.phoneNumber),
        SendDate: input.sendDate,
        PageSize: String(input.pageSize ?? 10),
        CurrentPage: String(input.currentPage ?? 1),
      };
      if (input.bizId !== undefined) query.BizId = input.bizId;
      const answer = await call('QuerySendDetails', query);
      const rows = ((answer.SmsSendDetailDTOs as { SmsSendDetailDTO?: Record<string, unknown>[] } | undefined)?.SmsSendDetailDTO ?? []);
      return {
        totalCount: Number(answer.TotalCount ?? rows.length),
        details: rows.map((row) => ({
          phoneNumber: String(row.PhoneNum),
          status: SEND_STATUS[Number(row.SendStatus)] ?? 'waiting',
          errCode: String(row.ErrCode ?? ''),
          templateCode: String(row.TemplateCode ?? ''),
          content: String(row.Content ?? ''),
          sendDate: String(row.SendDate ?? ''),
          ...(row.ReceiveDate ? { receiveDate: String(row.ReceiveDate) } : {}),
          ...(row.OutId ? { outId: String(row.OutId) } : {}),
        })),
      };
    },
  };
}
