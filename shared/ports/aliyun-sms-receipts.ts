// Intake of Aliyun's delivery receipts (SmsReport, HTTP batch push: a JSON array of reports, answered
// {"code":0,"msg":"成功"}). Aliyun does not sign these pushes — no signature header, no shared secret — so
// anyone who learns the URL can post one. Two locks, for two different threats:
//  - the URL carries a random token only the deployment knows: noise and scanners stop at a 404, before
//    they can make us spend QuerySendDetails calls;
//  - a report is never taken at its word: its BizId is looked up with QuerySendDetails (a signed call to
//    Aliyun) and the status applied is the one Aliyun answers. A forged or replayed report, even with a
//    leaked token, changes nothing that Aliyun does not confirm.
// A report Aliyun cannot confirm yet (still waiting, or not found), or that names an SMS the platform has not
// recorded yet, is answered 503, which Aliyun retries after 1, 5 and 10 minutes; reports come at least once,
// so `apply` must be idempotent.

import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeMobile } from '../domain/phone.ts';
import type { AliyunSmsClient } from './aliyun-sms-client.ts';

export type SmsReport = {
  phone_number: string;
  /** Asia/Shanghai, `yyyy-MM-dd HH:mm:ss`. */
  send_time: string;
  report_time: string;
  success: boolean;
  err_code: string;
  err_msg: string;
  sms_size: string;
  biz_id: string;
  out_id: string;
};

/** A delivery outcome as Aliyun's QuerySendDetails states it. */
export type ConfirmedDelivery = {
  bizId: string;
  /** Our reference sent as OutId (a case id, an appointment id). */
  outId?: string;
  /** E.164. */
  phoneNumber: string;
  status: 'delivered' | 'failed';
  errCode: string;
  receiveDate?: string;
};

export type ReceiptAnswer = { status: number; body: { code: number; msg: string } };

export type ReceiptIntakeOptions = {
  /** The secret path segment of the receipt URL configured in the Aliyun console. */
  token: string;
  client: Pick<AliyunSmsClient, 'querySendDetails'>;
  /** Records the outcome on the message; false when no recorded message matches it (yet). */
  apply: (delivery: ConfirmedDelivery) => Promise<boolean>;
};

const digest = (value: string) => createHash('sha256').update(value).digest();
const sameToken = (expected: string, given: string | undefined) => given !== undefined && timingSafeEqual(digest(expected), digest(given));

function isReport(value: unknown): value is SmsReport {
  const report = value as Partial<SmsReport> | null;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.biz_id === 'string' &&
    report.biz_id !== '' &&
    typeof report.phone_number === 'string' &&
    normalizeMobile(report.phone_number) !== null &&
    typeof report.send_time === 'string' &&
    /^\d{4}-\d{2}-\d{2} /.test(report.send_time)
  );
}

/** Looked up this many at a time: a push may merge hundreds of reports. */
const CONCURRENT_LOOKUPS = 10;

export function smsReceiptIntake(options: ReceiptIntakeOptions) {
  const lookUp = (report: SmsReport, phoneNumber: string) =>
    options.client
      .querySendDetails({ phoneNumber, bizId: report.biz_id, sendDate: report.send_time.slice(0, 10).replaceAll('-', '') })
      .then(({ details }) => details[0], () => undefined);

  const confirm = async (report: SmsReport): Promise<boolean> => {
    const phoneNumber = normalizeMobile(report.phone_number)!;
    const detail = await lookUp(report, phoneNumber);
    if (detail === undefined || detail.status === 'waiting') return false;
    return options.apply({
      bizId: report.biz_id,
      ...(detail.outId ? { outId: detail.outId } : {}),
      phoneNumber,
      status: detail.status,
      errCode: detail.errCode,
      ...(detail.receiveDate ? { receiveDate: detail.receiveDate } : {}),
    });
  };

  return async function receive(request: { token: string | undefined; body: unknown }): Promise<ReceiptAnswer> {
    if (!sameToken(options.token, request.token)) return { status: 404, body: { code: 404, msg: 'not found' } };
    if (!Array.isArray(request.body) || !request.body.every(isReport)) return { status: 400, body: { code: 400, msg: '状态报告格式不正确' } };
    const reports = request.body;
    let unconfirmed = 0;
    for (let i = 0; i < reports.length; i += CONCURRENT_LOOKUPS) {
      const results = await Promise.all(reports.slice(i, i + CONCURRENT_LOOKUPS).map(confirm));
      unconfirmed += results.filter((ok) => !ok).length;
    }
    return unconfirmed === 0 ? { status: 200, body: { code: 0, msg: '成功' } } : { status: 503, body: { code: 1, msg: `${unconfirmed}条状态报告尚未确认，请稍后重试` } };
  };
}
