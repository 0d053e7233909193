// Delivery reports of this deployment. With NOTIFIER=aliyun: Aliyun's SmsReport pushes to
// POST /sms-receipts/{token}, each confirmed with QuerySendDetails (aliyun-sms-receipts.ts) and recorded on the
// message it names; and, for an SMS whose report has not come within minutes (a push lost, the route down
// longer than Aliyun retries), the scheduled check asks QuerySendDetails itself. Other notifiers report
// nothing back (the outbox knows at once, SNS reports to CloudWatch only): no intake, the route answers 404.

import { applyDeliveryReport, overdueReports, postponeReportCheck, stopAwaitingReport } from '../data/messages.ts';
import type { Message } from '../domain/messages.ts';
import { log } from '../log.ts';
import { aliyunSmsClient, type AliyunSmsClient } from './aliyun-sms-client.ts';
import { aliyunSmsFromEnv } from './aliyun-sms-from-env.ts';
import { smsReceiptIntake, type ConfirmedDelivery } from './aliyun-sms-receipts.ts';

/** A check holds an overdue report this long; one still waiting is asked again after RECHECK_MS. */
const CHECK_LEASE_MS = 5 * 60_000;
const RECHECK_MS = 30 * 60_000;
/** Carriers report within 72 hours or not at all: after that the message stays `sent` and is no longer asked for. */
const REPORT_WAIT_MS = 72 * 3_600_000;
const PAGE = 50;
const CONCURRENT_QUERIES = 10;

const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** Aliyun's `yyyy-MM-dd HH:mm:ss`, Beijing time, as an ISO instant. */
const fromBeijingTime = (text: string) => new Date(`${text.replace(' ', 'T')}+08:00`).toISOString();
/** QuerySendDetails' SendDate: the Beijing day, yyyyMMdd. */
const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');

const record = (delivery: ConfirmedDelivery) =>
  applyDeliveryReport(delivery.bizId, {
    phoneNumber: delivery.phoneNumber,
    status: delivery.status,
    reason: delivery.errCode,
    at: delivery.receiveDate ? fromBeijingTime(delivery.receiveDate) : new Date().toISOString(),
  });

function aliyunFromEnv(): { client: AliyunSmsClient; intake: ReturnType<typeof smsReceiptIntake> } | undefined {
  if (process.env.NOTIFIER !== 'aliyun') return undefined;
  const { config, receiptToken } = aliyunSmsFromEnv();
  const client = aliyunSmsClient(config);
  return { client, intake: smsReceiptIntake({ token: receiptToken, client, apply: record }) };
}

const aliyun = aliyunFromEnv();

export const smsReceipts = aliyun?.intake;

/** What Aliyun says of a sent SMS: its detail on the day it was sent (or the next, for one sent just before midnight). */
async function detailOf(client: AliyunSmsClient, message: Message) {
  const sentAt = new Date(message.sentAt!);
  const days = [...new Set([beijingDay(sentAt), beijingDay(new Date(sentAt.getTime() + 60_000))])];
  for (const sendDate of days) {
    const { details } = await client.querySendDetails({ phoneNumber: message.to!, bizId: message.providerId!, sendDate });
    if (details[0]) return details[0];
  }
  return undefined;
}

/** Asks Aliyun about every SMS whose report is overdue, page by page while the run has time. */
export async function checkOverdueReports(run: { now?: Date; hasTimeLeft: () => boolean }) {
  const totals = { confirmed: 0, waiting: 0, abandoned: 0 };
  if (!aliyun) return totals;
  const clock = () => run.now ?? new Date();
  const check = async ({ message, position }: { message: Message; position: string }) => {
    const now = clock();
    const held = await postponeReportCheck(message, position, new Date(now.getTime() + CHECK_LEASE_MS));
    if (!held) return;
    const detail = await detailOf(aliyun.client, message).catch((error: unknown) => {
      // Its lease runs out and a later run asks again.
      log.warn('delivery report check failed', { messageId: message.id, errorName: (error as Error).name });
      return null;
    });
    if (detail === null) return;
    if (detail && detail.status !== 'waiting') {
      const at = detail.receiveDate ? fromBeijingTime(detail.receiveDate) : now.toISOString();
      if (await applyDeliveryReport(message.providerId!, { phoneNumber: message.to!, status: detail.status, reason: detail.errCode, at })) totals.confirmed++;
    } else if (now.getTime() - Date.parse(message.sentAt!) >= REPORT_WAIT_MS) {
      await stopAwaitingReport(message, held);
      totals.abandoned++;
    } else {
      await postponeReportCheck(message, held, new Date(now.getTime() + RECHECK_MS));
      totals.waiting++;
    }
  };
  let startKey: Record<string, unknown> | undefined;
  do {
    if (!run.hasTimeLeft()) break;
    const page = await overdueReports(clock(), PAGE, startKey);
    for (let i = 0; i < page.entries.length; i += CONCURRENT_QUERIES) await Promise.all(page.entries.slice(i, i + CONCURRENT_QUERIES).map(check));
    startKey = page.nextKey;
  } while (startKey);
  return totals;
}
