// IdentityVerifier adapter for Aliyun 实人认证 (ID Verification), 身份二要素核验: action Id2MetaVerify of the
// cloudauth API, version 2019-03-07, documented at
//   https://help.aliyun.com/zh/id-verification/information-verification/developer-reference/vatsl9lfmbwe74iv
// Request (RPC style, POST, signed with ACS3-HMAC-SHA256 like every Aliyun OpenAPI call): ParamType=normal,
// IdentifyNum, UserName. Answer: { RequestId, Code, Message, ResultObject: { BizCode } } where Code "200" means
// the call worked and BizCode says the result: "1" 校验一致, "2" 校验不一致, "3" 查无记录. Other Codes: 400 参数不能为空,
// 401 参数非法 (a name or number the register cannot hold), 402 权威源服务异常, 403 异常重复调用, 410 未开通服务,
// 411 RAM无权限, 412 欠费中, 500 系统错误.
//
// Why this provider and not one of the API-market resellers (GET …?idcard=&name= with an APPCODE): it is Aliyun's
// own product under the documented contract above, the platform's Aliyun account already signs its SMS with
// the same ACS3 scheme (aliyun-sms-signing.ts), and every reseller is one more company receiving residents'
// ID numbers (PIPL: as few recipients as possible; README "Identity").
//
// The parameters travel in a form body, never in the query string: no proxy or access log on the way records an
// ID number in a URL. Nothing here logs the name or the number.

import { randomBytes } from 'node:crypto';
import { acsDate, authorizationHeader, canonicalQueryString, sha256Hex } from './aliyun-sms-signing.ts';
import { IdentityVerifierUnavailable, type IdentityCheck, type IdentityVerifier } from './identity-verifier.ts';

export const CLOUDAUTH_ENDPOINT = 'https://cloudauth.aliyuncs.com/';
export const CLOUDAUTH_VERSION = '2019-03-07';
export const ID2META_ACTION = 'Id2MetaVerify';

export type AliyunIdVerifierConfig = {
  /** https://cloudauth.aliyuncs.com/ in production; the local stand-in's URL under `npm start` and in tests. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** How long a resident waits for the register before PUT /me answers 503 (the check is a few hundred ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const RESULTS: Record<string, IdentityCheck> = { '1': 'match', '2': 'mismatch', '3': 'no_record' };
/** Codes that pass with time (the register's own outage, throttling, Aliyun's errors); the rest need a person. */
const RETRYABLE_CODES = new Set(['402', '403', '500', 'ServiceUnavailable', 'InternalError']);

type Answer = { Code?: unknown; Message?: unknown; ResultObject?: { BizCode?: unknown } };

export function aliyunIdVerifier(config: AliyunIdVerifierConfig): IdentityVerifier {
  const url = new URL(config.endpoint);
  const send = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 5_000;

  return {
    async verify({ name, idNumber }) {
      const body = canonicalQueryString({ ParamType: 'normal', IdentifyNum: idNumber, UserName: name });
      const headers: Record<string, string> = {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded',
        'x-acs-action': ID2META_ACTION,
        'x-acs-version': CLOUDAUTH_VERSION,
        'x-acs-date': acsDate(new Date()),
        'x-acs-signature-nonce': randomBytes(16).toString('hex'),
        'x-acs-content-sha256': sha256Hex(body),
      };
      const authorization = authorizationHeader(config.accessKeyId, config.accessKeySecret, { method: 'POST', path: url.pathname, query: {}, headers, body });
      const { host: _host, ...sent } = headers;
      let response: Response;
      let answer: Answer;
      try {
        response = await send(url, { method: 'POST', headers: { ...sent, authorization }, body, signal: AbortSignal.timeout(timeoutMs) });
        answer = (await response.json()) as Answer;
      } catch (error) {
        throw new IdentityVerifierUnavailable((error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'no readable answer', true);
      }
      const code = String(answer.Code ?? `HTTP_${response.status}`);
      if (code === '200') {
        const result = RESULTS[String(answer.ResultObject?.BizCode)];
        if (result) return result;
        throw new IdentityVerifierUnavailable(`unknown BizCode ${String(answer.ResultObject?.BizCode)}`, false);
      }
      // 参数非法: a name (Latin letters, digits) or number the register cannot hold is one it has no record of.
      if (code === '401') return 'no_record';
      throw new IdentityVerifierUnavailable(`Code ${code}`, RETRYABLE_CODES.has(code) || code.startsWith('Throttling') || response.status >= 500);
    },
  };
}
