// The Notifier this process uses, chosen once at cold start: the local outbox under `npm start` and in
// tests (NOTIFIER=outbox), SNS in AWS.

import { SNSClient } from '@aws-sdk/client-sns';
import { requiredEnv } from '../config.ts';
import type { Notifier } from './notifier.ts';
import { outboxNotifier } from './outbox-notifier.ts';
import { snsNotifier } from './sns-notifier.ts';

export const notifier: Notifier =
  process.env.NOTIFIER === 'outbox'
    ? outboxNotifier(requiredEnv('OUTBOX_FILE'))
    : snsNotifier(new SNSClient({}), requiredEnv('STAFF_TOPIC_ARN'));
