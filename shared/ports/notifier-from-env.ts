// The Notifier this process uses, chosen once at cold start by NOTIFIER: `outbox` (the local stand-in,
// under `npm start` and in tests), `sns` (AWS, the default, with the function role's credentials), or
// `aliyun` (Aliyun SMS for residents, for deployments in mainland China; staff tasks then go to
// STAFF_NOTIFIER, `sns` by default, `outbox` locally).
// `deliveryNotifier` sends or throws; `notifier` (what the platform uses) records every message and never
// loses one (reliable-notifier.ts), at SMS_RATE_PER_SECOND at most.

import { fromEnv } from '@aws-sdk/credential-provider-env';
import { requiredEnv } from '../config.ts';
import { aliyunSmsFromEnv } from './aliyun-sms-from-env.ts';
import { aliyunSmsNotifier } from './aliyun-sms-notifier.ts';
import type { Notifier } from './notifier.ts';
import { outboxNotifier } from './outbox-notifier.ts';
import { reliableNotifier } from './reliable-notifier.ts';
import { DEFAULT_SMS_RATE_PER_SECOND } from './send-pace.ts';
import { snsNotifier } from './sns-notifier.ts';

function notifierNamed(name: string): Notifier {
  switch (name) {
    case 'outbox':
      return outboxNotifier(requiredEnv('OUTBOX_FILE'));
    case 'sns':
      return snsNotifier({ region: requiredEnv('AWS_REGION'), credentials: fromEnv(), staffTopicArn: requiredEnv('STAFF_TOPIC_ARN') });
    case 'aliyun': {
      const staff = process.env.STAFF_NOTIFIER ?? 'sns';
      if (staff === 'aliyun') throw new Error('STAFF_NOTIFIER is where staff tasks go: sns or outbox, not Aliyun SMS');
      return aliyunSmsNotifier(aliyunSmsFromEnv().config, notifierNamed(staff));
    }
    default:
      throw new Error(`Unknown NOTIFIER ${name}: use outbox, sns or aliyun`);
  }
}

export const deliveryNotifier: Notifier = notifierNamed(process.env.NOTIFIER ?? 'sns');

export const notifier = reliableNotifier(deliveryNotifier, { smsPerSecond: Number(process.env.SMS_RATE_PER_SECOND ?? DEFAULT_SMS_RATE_PER_SECOND) });
