// RecordsProvider adapter for the city's government data-sharing exchange (政务数据共享交换平台), through which a
// service platform reads 人社, 医保 and 公积金 records under a data-sharing agreement instead of calling each bureau's
// own system. The exchange publishes each bureau's interface as one HTTPS endpoint per service; the contract this
// adapter speaks (and infra/local/records-sandbox.ts serves) is:
//
//   POST <endpoint>/<kind>            kind: social-insurance | medical-insurance | housing-fund
//   content-type: application/json   body { "idNumber": "…" }   (never in the URL: no access log keeps it)
//   x-app-id: <appId>  x-timestamp: <epoch ms>  x-nonce: <32 hex>
//   x-signature: base64(HMAC-SHA256(appSecret, "POST\n<path>\n<timestamp>\n<nonce>\n<hex sha256 of body>"))
//   → 200 { code: "0", data: { … } }  the record (shapes of shared/domain/records.ts, amounts in fen)
//   → 200 { code: "404", message }    no record of this person
//   → 4xx { code: "401" | "403", … }  bad signature, stale timestamp, no agreement for this service
//   → 5xx / no answer                 the bureau's system is down or slow
//
// An exchange whose field names differ is mapped in front of this contract (its gateway's transformation), not
// here. Nothing here logs the ID number.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { RecordKind, ResidentRecord } from '../domain/records.ts';
import { RecordsProviderUnavailable, type RecordsProvider } from './records-provider.ts';

export type GovRecordsConfig = {
  /** Base URL of the exchange's services, e.g. https://data-exchange.example.gov.cn/services/v1 */
  endpoint: string;
  appId: string;
  appSecret: string;
  /** How long a resident waits before the answer is 503 (a lookup takes well under a second). */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The string both sides sign; the sandbox checks requests with the same function. */
export const stringToSign = (path: string, timestamp: string, nonce: string, body: string) => `POST\n${path}\n${timestamp}\n${nonce}\n${sha256Hex(body)}`;
export const signature = (secret: string, text: string) => createHmac('sha256', secret).update(text, 'utf8').digest('base64');

const fen = z.number().check(z.int(), z.minimum(0));
const month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/));
const date = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const name = z.string().check(z.minLength(1), z.maxLength(100));

const DATA: Record<RecordKind, z.ZodMiniType> = {
  'social-insurance': z.object({
    contributionMonths: z.number().check(z.int(), z.minimum(0)),
    monthlyBase: fen,
    employer: z.nullable(name),
    recentMonths: z.array(z.object({ month, base: fen, employer: z.nullable(name), paid: z.boolean() })).check(z.maxLength(120)),
    arrears: z.array(z.object({ month, amount: fen })).check(z.maxLength(120)),
  }),
  'medical-insurance': z.object({
    balance: fen,
    recentClaims: z.array(z.object({ date, hospital: name, total: fen, reimbursed: fen })).check(z.maxLength(50)),
  }),
  'housing-fund': z.object({
    balance: fen,
    monthlyDeposit: fen,
    withdrawals: z.array(z.object({ date, amount: fen, reason: name })).check(z.maxLength(50)),
  }),
};

type Answer = { code?: unknown; message?: unknown; data?: unknown };

export function govRecordsClient(config: GovRecordsConfig): RecordsProvider {
  const base = config.endpoint.replace(/\/+$/, '');
  const send = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 5_000;

  return {
    async lookup(kind, idNumber) {
      const url = new URL(`${base}/${kind}`);
      const body = JSON.stringify({ idNumber });
      const timestamp = String(Date.now());
      const nonce = randomBytes(16).toString('hex');
      const headers = {
        'content-type': 'application/json',
        'x-app-id': config.appId,
        'x-timestamp': timestamp,
        'x-nonce': nonce,
        'x-signature': signature(config.appSecret, stringToSign(url.pathname, timestamp, nonce, body)),
      };
      let response: Response;
      let answer: Answer;
      try {
        response = await send(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        answer = (await response.json()) as Answer;
      } catch (error) {
        throw new RecordsProviderUnavailable((error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'no readable answer', true);
      }
      if (response.status >= 500) throw new RecordsProviderUnavailable(`HTTP ${response.status}`, true);
      const code = String(answer.code ?? `HTTP_${response.status}`);
      if (code === '404') return null;
      if (code !== '0') throw new RecordsProviderUnavailable(`code ${code}`, code === '429');
      const parsed = z.safeParse(DATA[kind], answer.data);
      if (!parsed.success) throw new RecordsProviderUnavailable(`a ${kind} record not in the agreed shape`, false);
      return { kind, ...(parsed.data as object) } as ResidentRecord;
    },
  };
}
