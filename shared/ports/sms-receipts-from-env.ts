// The delivery-report intake of this deployment (POST /sms-receipts/{token}): with NOTIFIER=aliyun, Aliyun's
// SmsReport pushes, each confirmed with QuerySendDetails (aliyun-sms-receipts.ts) and then recorded on the
// message it names. Other notifiers report nothing back (the outbox knows at once, SNS reports to CloudWatch
// only), so there is no intake and the route answers 404.

import { applyDeliveryReport } from '../data/messages.ts';
import { aliyunSmsClient } from './aliyun-sms-client.ts';
import { aliyunSmsFromEnv } from './aliyun-sms-from-env.ts';
import { smsReceiptIntake, type ConfirmedDelivery } from './aliyun-sms-receipts.ts';

/** Aliyun's `yyyy-MM-dd HH:mm:ss`, Beijing time, as an ISO instant. */
const fromBeijingTime = (text: string) => new Date(`${text.replace(' ', 'T')}+08:00`).toISOString();

const record = (delivery: ConfirmedDelivery) =>
  applyDeliveryReport(delivery.bizId, {
    phoneNumber: delivery.phoneNumber,
    status: delivery.status,
    reason: delivery.errCode,
    at: delivery.receiveDate ? fromBeijingTime(delivery.receiveDate) : new Date().toISOString(),
  });

function intakeFromEnv() {
  if (process.env.NOTIFIER !== 'aliyun') return undefined;
  const { config, receiptToken } = aliyunSmsFromEnv();
  return smsReceiptIntake({ token: receiptToken, client: aliyunSmsClient(config), apply: record });
}

export const smsReceipts = intakeFromEnv();
