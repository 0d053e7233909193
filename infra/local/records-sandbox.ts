// The local stand-in of the government data-sharing exchange's record services (人社 / 医保 / 公积金), over real
// HTTP, so the adapter that runs in AWS (shared/ports/gov-records-client.ts) is the code that runs on a laptop.
// It does what the exchange does to a request: the app id, the HMAC signature, the timestamp (5 minutes either
// way) and the nonce (once only), then the body { idNumber }, and answers { code, message, data }.
// Mounted by the local server under /_sandbox/records/, or on its own port with startRecordsSandbox.
//
// Its records are deterministic demo data derived from the ID number (it holds no data and writes nothing):
//   - order code (顺序码, digits 15–17) 999 → no record of this person (code 404) in every system;
//   - an even order code → two months of social-insurance arrears (欠缴) among the last twelve months; odd: none
//     (the demo resident 李秀英, order code 002, has arrears);
//   - balances, bases, employers and claims are picked by a hash of the number, the same on every call.
// Knobs: POST /_sandbox/records/_control/time-out-next { "times": n } holds the next n lookups unanswered until
// the caller gives up; POST …/_control/fail-next { "times": n } answers the next n with 503; GET …/_control/calls
// counts the lookups received.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addMonths, shanghaiDate } from '../../shared/domain/calendar.ts';
import { parseIdNumber } from '../../shared/domain/id-number.ts';
import { RECORD_KINDS, type RecordKind } from '../../shared/domain/records.ts';
import { signature, stringToSign } from '../../shared/ports/gov-records-client.ts';
import { listenStandalone, readBody, sendJson } from './aliyun-gateway.ts';
import { controlTimes, heldAnswers } from './sandbox-knobs.ts';

export const RECORDS_SANDBOX_PREFIX = '/_sandbox/records/';
/** The only credentials the stand-in knows; useless anywhere else. */
export const RECORDS_SANDBOX_KEY = { appId: 'community-platform-sandbox', appSecret: 'records-sandbox-secret-local-only' };
export const ORDER_CODE_NO_RECORD = '999';

const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** How long a held lookup waits before the stand-in answers after all: longer than any caller waits. */
const HOLD_MS = 60_000;
const MAX_BODY_BYTES = 4 * 1024;
const EMPLOYERS = ['北京紫竹科技有限公司', '北京海淀物业管理有限公司', '北京朝阳餐饮服务有限公司', '北京昌平制造有限公司'];
const HOSPITALS = ['北京大学第三医院', '海淀医院', '朝阳医院', '回龙观医院'];
const WITHDRAWAL_REASONS = ['租房提取', '购房提取', '偿还贷款提取'];

/** A byte of the number's hash: the stand-in's only source of variety. */
const byteOf = (idNumber: string, i: number) => createHash('sha256').update(idNumber).digest()[i % 32]!;

/** The demo record of a valid ID number in one system, `today` a Shanghai date. */
export function sandboxRecord(kind: RecordKind, idNumber: string, today: string): Record<string, unknown> | null {
  const orderCode = idNumber.slice(14, 17);
  if (orderCode === ORDER_CODE_NO_RECORD) return null;
  const b = (i: number) => byteOf(idNumber, i);
  const thisMonth = today.slice(0, 7);
  if (kind === 'social-insurance') {
    const base = 500_000 + b(0) * 1_000;
    const employer = EMPLOYERS[b(1) % EMPLOYERS.length]!;
    const owes = Number(orderCode) % 2 === 0;
    const owed = new Set(owes ? [addMonths(thisMonth, -4), addMonths(thisMonth, -3)] : []);
    const recentMonths = Array.from({ length: 12 }, (_, i) => addMonths(thisMonth, -1 - i)).map((month) => ({
      month,
      base,
      employer: owed.has(month) ? null : employer,
      paid: !owed.has(month),
    }));
    return {
      contributionMonths: 24 + b(2),
      monthlyBase: base,
      employer,
      recentMonths,
      // What a month owes: the employee's 8 % and the employer's 16 % of the base (养老), rounded to the fen.
      arrears: [...owed].sort().map((month) => ({ month, amount: Math.round(base * 0.24) })),
    };
  }
  if (kind === 'medical-insurance') {
    return {
      balance: 10_000 + b(3) * 500,
      recentClaims: Array.from({ length: b(4) % 4 }, (_, i) => {
        const total = 5_000 + b(5 + i) * 300;
        return { date: `${addMonths(thisMonth, -1 - i * 2)}-1${i}`, hospital: HOSPITALS[b(9 + i) % HOSPITALS.length]!, total, reimbursed: Math.round(total * 0.7) };
      }),
    };
  }
  return {
    balance: 2_000_000 + b(13) * 10_000,
    monthlyDeposit: 100_000 + b(14) * 200,
    withdrawals: Array.from({ length: b(15) % 3 }, (_, i) => ({
      date: `${addMonths(thisMonth, -3 - i * 6)}-05`,
      amount: 300_000 + b(16 + i) * 1_000,
      reason: WITHDRAWAL_REASONS[b(20 + i) % WITHDRAWAL_REASONS.length]!,
    })),
  };
}

export type RecordsSandbox = {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** The next `times` lookups get no answer until their caller gives up. */
  timeOutNext(times?: number): void;
  /** The next `times` lookups are answered 503, as a bureau's system that is down. */
  failNext(times?: number): void;
  calls(): number;
  close(): Promise<void>;
};

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
};

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createRecordsSandbox(): RecordsSandbox {
  const held = heldAnswers(HOLD_MS);
  const nonces = new Map<string, number>();
  let toTimeOut = 0;
  let toFail = 0;
  let received = 0;

  function refusal(req: IncomingMessage, path: string, body: string, now: number): { status: number; code: string; message: string } | undefined {
    const timestamp = header(req, 'x-timestamp');
    const nonce = header(req, 'x-nonce');
    if (header(req, 'x-app-id') !== RECORDS_SANDBOX_KEY.appId) return { status: 403, code: '403', message: 'no data-sharing agreement for this app id' };
    const expected = signature(RECORDS_SANDBOX_KEY.appSecret, stringToSign(path, timestamp, nonce, body));
    if (!sameText(header(req, 'x-signature'), expected)) return { status: 401, code: '401', message: 'signature does not match' };
    if (!/^\d{13}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > MAX_CLOCK_SKEW_MS) return { status: 401, code: '401', message: 'timestamp outside 5 minutes' };
    if (!/^[0-9a-f]{32}$/.test(nonce) || nonces.has(nonce)) return { status: 401, code: '401', message: 'nonce used before' };
    for (const [seen, at] of nonces) if (now - at > MAX_CLOCK_SKEW_MS) nonces.delete(seen);
    nonces.set(nonce, now);
    return undefined;
  }

  async function control(req: IncomingMessage, res: ServerResponse, command: string, body: Buffer) {
    if (req.method === 'GET' && command === 'calls') return sendJson(res, 200, { calls: received });
    if (req.method === 'POST' && (command === 'time-out-next' || command === 'fail-next')) {
      const given = controlTimes(body);
      if ('refused' in given) return sendJson(res, 400, { code: '400', message: given.refused });
      const { times } = given;
      if (command === 'time-out-next') sandbox.timeOutNext(times);
      else sandbox.failNext(times);
      return sendJson(res, 204);
    }
    return sendJson(res, 404, { code: '404', message: `no control ${req.method} ${command}` });
  }

  async function lookup(req: IncomingMessage, res: ServerResponse, url: URL, kind: RecordKind, body: Buffer) {
    const text = body.toString('utf8');
    const refused = refusal(req, url.pathname, text, Date.now());
    if (refused) return sendJson(res, refused.status, { code: refused.code, message: refused.message });
    received += 1;
    if (toTimeOut > 0) {
      toTimeOut -= 1;
      await held.hold(res);
      if (res.destroyed) return;
    }
    if (toFail > 0) {
      toFail -= 1;
      return sendJson(res, 503, { code: '503', message: '业务系统繁忙，请稍后再试' });
    }
    let idNumber: unknown;
    try {
      idNumber = (JSON.parse(text) as { idNumber?: unknown }).idNumber;
    } catch {
      return sendJson(res, 400, { code: '400', message: 'the body is JSON { idNumber }' });
    }
    const today = shanghaiDate(new Date());
    const parsed = typeof idNumber === 'string' ? parseIdNumber(idNumber, today) : undefined;
    if (!parsed?.ok || parsed.value.idNumber !== idNumber) return sendJson(res, 400, { code: '400', message: 'idNumber is not a valid ID number' });
    const record = sandboxRecord(kind, idNumber, today);
    if (!record) return sendJson(res, 200, { code: '404', message: '查无此人记录' });
    return sendJson(res, 200, { code: '0', message: 'success', data: record });
  }

  const sandbox: RecordsSandbox = {
    async handle(req, res, url) {
      if (!url.pathname.startsWith(RECORDS_SANDBOX_PREFIX)) return false;
      const rest = url.pathname.slice(RECORDS_SANDBOX_PREFIX.length);
      let body: Buffer;
      try {
        body = await readBody(req, MAX_BODY_BYTES);
      } catch {
        sendJson(res, 413, { code: '413', message: 'request body too large' });
        return true;
      }
      if (rest.startsWith('_control/')) await control(req, res, rest.slice('_control/'.length), body);
      else if (req.method === 'POST' && (RECORD_KINDS as readonly string[]).includes(rest)) await lookup(req, res, url, rest as RecordKind, body);
      else sendJson(res, 404, { code: '404', message: `no service ${req.method} ${rest}` });
      return true;
    },
    timeOutNext(times = 1) {
      toTimeOut += times;
    },
    failNext(times = 1) {
      toFail += times;
    },
    calls: () => received,
    async close() {
      toTimeOut = 0;
      held.releaseAll();
    },
  };
  return sandbox;
}

export type StandaloneRecordsSandbox = RecordsSandbox & { port: number; endpoint: string };

/** The stand-in alone on its own port (0: any free one), for tests. */
export async function startRecordsSandbox(options: { port?: number } = {}): Promise<StandaloneRecordsSandbox> {
  return listenStandalone(createRecordsSandbox(), RECORDS_SANDBOX_PREFIX, options.port);
}
