// The local stand-in of Aliyun 实人认证 身份二要素核验 (cloudauth 2019-03-07, Id2MetaVerify), over real HTTP, so the
// adapter that runs in AWS (shared/ports/aliyun-id-verifier.ts) is the code that runs on a laptop. It does what
// the provider does to a request: the gateway's ACS3 signature, date and nonce checks (aliyun-gateway.ts), then
// ParamType, IdentifyNum and UserName, and answers { Code, Message, RequestId, ResultObject: { BizCode } }.
// Mounted by the local server under /_sandbox/identity/, or on its own port with startIdentitySandbox.
//
// Its register is deterministic (it holds no data and writes nothing):
//   - the demo residents of infra/local/seed.ts are registered under their names (another name: 不一致);
//   - any other valid ID number is read by its order code (顺序码, digits 15–17):
//       999 → 查无记录 (BizCode 3), 998 → registered to someone else (不一致, BizCode 2),
//       anything else → registered under whatever name is asked (一致, BizCode 1): the stand-in cannot know
//       the name of a made-up person, so a generated test identity passes unless it says otherwise;
//   - a name the register cannot hold (digits, Latin letters, symbols) → Code 401 参数非法.
// Knobs: POST /_sandbox/identity/_control/time-out-next { "times": n } holds the next n checks unanswered until
// the caller gives up (a provider timeout); GET /_sandbox/identity/_control/calls counts the checks received.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { parseIdNumber } from '../../shared/domain/id-number.ts';
import { CLOUDAUTH_VERSION, ID2META_ACTION } from '../../shared/ports/aliyun-id-verifier.ts';
import { listenStandalone, sendJson, serveAliyunProduct, unknownAction } from './aliyun-gateway.ts';
import { controlTimes, heldAnswers } from './sandbox-knobs.ts';

export const IDENTITY_SANDBOX_PREFIX = '/_sandbox/identity/';
/** The only AccessKey the stand-in knows; useless anywhere else. */
export const IDENTITY_SANDBOX_KEY = { accessKeyId: 'LTAI5tIdentitySandboxOnly', accessKeySecret: 'identity-sandbox-secret-local-only' };

/** The register's fixed entries: the demo data's residents. */
export const SANDBOX_REGISTER: Readonly<Record<string, string>> = { '11010519491231002X': '李秀英' };
export const ORDER_CODE_NO_RECORD = '999';
export const ORDER_CODE_SOMEONE_ELSE = '998';

/** How long a held check waits before the stand-in answers after all: longer than any caller waits. */
const HOLD_MS = 60_000;
const MAX_BODY_BYTES = 16 * 1024;
const HOST_ID = 'cloudauth.aliyuncs.com';
/** Chinese names: Han characters, with the middle dot of minority and transliterated names (·). */
const REGISTRABLE_NAME = /^[\p{Script=Han}·]{2,30}$/u;

export type BizCode = '1' | '2' | '3';

/** The register's answer for a name and a valid ID number. */
export function registerAnswer(idNumber: string, name: string): BizCode {
  const registered = SANDBOX_REGISTER[idNumber];
  if (registered !== undefined) return registered === name ? '1' : '2';
  const orderCode = idNumber.slice(14, 17);
  if (orderCode === ORDER_CODE_NO_RECORD) return '3';
  return orderCode === ORDER_CODE_SOMEONE_ELSE ? '2' : '1';
}

export type IdentitySandbox = {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** The next `times` checks get no answer until their caller gives up. */
  timeOutNext(times?: number): void;
  /** Checks received (answered or held), for tests that a request did or did not reach the register. */
  calls(): number;
  /** Answers the held checks (as the provider would, late) and stops holding new ones. */
  close(): Promise<void>;
};

export function createIdentitySandbox(): IdentitySandbox {
  const held = heldAnswers(HOLD_MS);
  let toTimeOut = 0;
  let received = 0;

  function verify(params: Record<string, string>): { Code: string; Message: string; ResultObject?: { BizCode: BizCode } } {
    const { ParamType: paramType, IdentifyNum: idNumber, UserName: name } = params;
    if (!paramType || !idNumber || !name) return { Code: '400', Message: '参数不能为空' };
    if (paramType !== 'normal') return { Code: '401', Message: '参数非法' };
    const parsed = parseIdNumber(idNumber, shanghaiDate(new Date()));
    if (!parsed.ok || parsed.value.idNumber !== idNumber || !REGISTRABLE_NAME.test(name)) return { Code: '401', Message: '参数非法' };
    return { Code: '200', Message: 'success', ResultObject: { BizCode: registerAnswer(idNumber, name) } };
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) {
    const command = url.pathname.slice(`${IDENTITY_SANDBOX_PREFIX}_control/`.length);
    if (req.method === 'GET' && command === 'calls') return sendJson(res, 200, { calls: received });
    if (req.method === 'POST' && command === 'time-out-next') {
      const given = controlTimes(body);
      if ('refused' in given) return sendJson(res, 400, { Code: 'InvalidParameter', Message: given.refused });
      const { times } = given;
      sandbox.timeOutNext(times);
      return sendJson(res, 204);
    }
    return sendJson(res, 404, { Code: 'NotFound', Message: `no control ${req.method} ${command}` });
  }

  async function call(action: string, params: Record<string, string>, requestId: string, res: ServerResponse) {
    if (action !== ID2META_ACTION) throw unknownAction();
    received += 1;
    const answer = { RequestId: requestId, ...verify(params) };
    if (toTimeOut > 0) {
      toTimeOut -= 1;
      await held.hold(res);
    }
    return answer;
  }

  const sandbox: IdentitySandbox = {
    handle: serveAliyunProduct({
      prefix: IDENTITY_SANDBOX_PREFIX,
      version: CLOUDAUTH_VERSION,
      accessKeys: { [IDENTITY_SANDBOX_KEY.accessKeyId]: IDENTITY_SANDBOX_KEY.accessKeySecret },
      hostId: HOST_ID,
      maxBodyBytes: MAX_BODY_BYTES,
      control,
      call,
    }),
    timeOutNext(times = 1) {
      toTimeOut += times;
    },
    calls: () => received,
    async close() {
      toTimeOut = 0;
      held.releaseAll();
    },
  };
  return sandbox;
}

export type StandaloneIdentitySandbox = IdentitySandbox & { port: number; /** The endpoint to configure the adapter with. */ endpoint: string };

/** The stand-in alone on its own port (0: any free one), for tests. */
export async function startIdentitySandbox(options: { port?: number } = {}): Promise<StandaloneIdentitySandbox> {
  return listenStandalone(createIdentitySandbox(), IDENTITY_SANDBOX_PREFIX, options.port);
}
