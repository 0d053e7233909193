// The Notifier this process uses, chosen once at cold start: the local outbox under `npm start` and in
// tests (NOTIFIER=outbox), SNS in AWS. `deliveryNotifier` sends or throws; `notifier` (what the platform
// uses) never loses a message: failures are stored and retried.

import { SNSClient } from '@aws-sdk/client-sns';
import { requiredEnv } from '../config.ts';
import type { Notifier } from './notifier.ts';
import { outboxNotifier } from './outbox-notifier.ts';
import { reliableNotifier } from './reliable-notifier.ts';
import { snsNotifier } from './sns-notifier.ts';

export const deliveryNotifier: Notifier =
  process.env.NOTIFIER === 'outbox'
    ? outboxNotifier(requiredEnv('OUTBOX_FILE'))
    : snsNotifier(new SNSClient({}), requiredEnv('STAFF_TOPIC_ARN'));

export const notifier: Notifier = reliableNotifier(deliveryNotifier);
