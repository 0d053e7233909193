// The deployment stage and everything that differs between stages, read once from CDK context
// (`-c stage=dev|prod`, see cdk.json). Stacks take this object instead of reading context themselves.

import { RemovalPolicy, type App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_SMS_RATE_PER_SECOND } from '../../shared/ports/send-pace.ts';

export type StageName = 'dev' | 'prod';

export type StageConfig = {
  stage: StageName;
  /** Prefix of every physical name, so two stages share an account without colliding. */
  prefix: string;
  /** Stateful resources (table, user pool, secret) survive a stack deletion in prod. */
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  /** Requests per second over the whole API, and the burst above it (API Gateway stage throttling). */
  throttle: { rateLimit: number; burstLimit: number };
  /** Origins allowed by CORS (`-c corsOrigins=https://a.example,https://b.example`). */
  corsOrigins: string[];
  /** PAYMENT_PROVIDER of the payment functions (`-c paymentProvider=…`); only `simulated` has an adapter yet. */
  paymentProvider: string;
  /** Who texts residents (`-c notifier=…`): `sns`, or `aliyun` where SNS sends no SMS (the AWS China regions). */
  notifier: StageNotifier;
  /** SMS_RATE_PER_SECOND of the notifying functions (`-c smsRatePerSecond=…`): the provider's rate limit. */
  smsRatePerSecond: number;
};

export const STAGE_NOTIFIERS = ['sns', 'aliyun'] as const;
export type StageNotifier = (typeof STAGE_NOTIFIERS)[number];

const STAGES: Record<StageName, Omit<StageConfig, 'stage' | 'prefix' | 'corsOrigins' | 'paymentProvider' | 'notifier' | 'smsRatePerSecond'>> = {
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.ONE_MONTH,
    throttle: { rateLimit: 50, burstLimit: 100 },
  },
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    logRetention: RetentionDays.ONE_YEAR,
    throttle: { rateLimit: 500, burstLimit: 1000 },
  },
};

function isStage(value: unknown): value is StageName {
  return typeof value === 'string' && Object.hasOwn(STAGES, value);
}

export function stageConfig(app: App): StageConfig {
  const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
  if (!isStage(stage)) throw new Error(`Unknown stage ${String(stage)}: use -c stage=${Object.keys(STAGES).join('|')}`);
  const origins = String(app.node.tryGetContext('corsOrigins') ?? '*');
  const notifier: unknown = app.node.tryGetContext('notifier') ?? 'sns';
  if (!STAGE_NOTIFIERS.includes(notifier as StageNotifier)) throw new Error(`Unknown notifier ${String(notifier)}: use -c notifier=${STAGE_NOTIFIERS.join('|')}`);
  const smsRatePerSecond = Number(app.node.tryGetContext('smsRatePerSecond') ?? DEFAULT_SMS_RATE_PER_SECOND);
  if (!(smsRatePerSecond > 0)) throw new Error(`smsRatePerSecond must be a number above 0, not ${String(app.node.tryGetContext('smsRatePerSecond'))}`);
  return {
    stage,
    prefix: `smart-community-${stage}`,
    ...STAGES[stage],
    corsOrigins: origins.split(',').map((o) => o.trim()).filter(Boolean),
    paymentProvider: String(app.node.tryGetContext('paymentProvider') ?? 'simulated'),
    notifier: notifier as StageNotifier,
    smsRatePerSecond,
  };
}
