// The deployment stage and everything that differs between stages, read once from CDK context
// (`-c stage=dev|prod`, see cdk.json). Stacks take this object instead of reading context themselves.

import { RemovalPolicy, type App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { WalletProviderName } from '../function-needs.ts';

const PAYMENT_PROVIDERS = ['simulated', 'wechatpay', 'alipay'];
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
  /** Origins allowed by CORS besides the web app's own, which is always allowed (`-c corsOrigins=https://a.example,https://b.example`). */
  corsOrigins: string[];
  /** The web app's own domain and its ACM certificate in us-east-1 (`-c webDomain=app.example.cn -c webCertificateArn=arn:…`);
   *  without them the app is served on its CloudFront domain. */
  webDomain?: { name: string; certificateArn: string };
  /** PAYMENT_PROVIDER of the payment functions (`-c paymentProvider=wechatpay,alipay`): what the stage offers. */
  paymentProvider: string;
  /** The wallets it offers, each with its merchant secret `<prefix>/<provider>` (README, "Real money"). */
  wallets: WalletProviderName[];
  /** Base URL the providers notify (`-c publicApiUrl=https://api.example.cn` behind a custom domain); the HTTP API's own URL otherwise. */
  publicApiUrl?: string;
  /** Who texts residents (`-c notifier=…`): `sns`, or `aliyun` where SNS sends no SMS (the AWS China regions). */
  notifier: StageNotifier;
  /** SMS_RATE_PER_SECOND of the notifying functions (`-c smsRatePerSecond=…`): the provider's rate limit. */
  smsRatePerSecond: number;
  /**
   * Reserved concurrency of the polled function behind its function URL (`-c pollConcurrency=…`), a cap on
   * what a flood can cost. Unset by default: reserving needs 10 unreserved executions left in the account,
   * which a new account's limit of 10 does not have.
   */
  pollConcurrency?: number;
  /** Base URL of the government data exchange's record services (`-c recordsEndpoint=https://…`), README "Records". */
  recordsEndpoint: string;
};

/**
 * Where the record routes point until a deployment names the city's exchange: a reserved name (RFC 2606) that
 * answers nothing, so records are 503 records_unavailable — never another system's data.
 */
export const UNCONFIGURED_RECORDS_ENDPOINT = 'https://records-exchange.invalid/services/v1';

export const STAGE_NOTIFIERS = ['sns', 'aliyun'] as const;
export type StageNotifier = (typeof STAGE_NOTIFIERS)[number];

const STAGES: Record<StageName, Omit<StageConfig, 'stage' | 'prefix' | 'corsOrigins' | 'paymentProvider' | 'wallets' | 'publicApiUrl' | 'webDomain' | 'notifier' | 'smsRatePerSecond' | 'pollConcurrency' | 'recordsEndpoint'>> = {
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
  const origins = String(app.node.tryGetContext('corsOrigins') ?? '');
  const webDomain = app.node.tryGetContext('webDomain') as string | undefined;
  const webCertificateArn = app.node.tryGetContext('webCertificateArn') as string | undefined;
  if (Boolean(webDomain) !== Boolean(webCertificateArn)) throw new Error('Give -c webDomain=… and -c webCertificateArn=… together, or neither.');
  const providers = String(app.node.tryGetContext('paymentProvider') ?? 'simulated').split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = providers.filter((p) => !PAYMENT_PROVIDERS.includes(p));
  if (providers.length === 0 || unknown.length > 0) throw new Error(`-c paymentProvider lists ${PAYMENT_PROVIDERS.join(', ')}, not ${unknown.join(', ') || 'nothing'}`);
  const publicApiUrl: unknown = app.node.tryGetContext('publicApiUrl');
  const notifier: unknown = app.node.tryGetContext('notifier') ?? 'sns';
  if (!STAGE_NOTIFIERS.includes(notifier as StageNotifier)) throw new Error(`Unknown notifier ${String(notifier)}: use -c notifier=${STAGE_NOTIFIERS.join('|')}`);
  const smsRatePerSecond = Number(app.node.tryGetContext('smsRatePerSecond') ?? DEFAULT_SMS_RATE_PER_SECOND);
  if (!(smsRatePerSecond > 0)) throw new Error(`smsRatePerSecond must be a number above 0, not ${String(app.node.tryGetContext('smsRatePerSecond'))}`);
  const pollConcurrency: unknown = app.node.tryGetContext('pollConcurrency');
  if (pollConcurrency !== undefined && !(Number.isInteger(Number(pollConcurrency)) && Number(pollConcurrency) > 0)) {
    throw new Error(`pollConcurrency must be a whole number above 0, not ${String(pollConcurrency)}`);
  }
  const recordsEndpoint = String(app.node.tryGetContext('recordsEndpoint') ?? UNCONFIGURED_RECORDS_ENDPOINT);
  if (!/^https:\/\/[^\s/]+/.test(recordsEndpoint)) throw new Error(`-c recordsEndpoint must be the https:// base URL of the data exchange's record services, not ${recordsEndpoint}`);
  return {
    stage,
    prefix: `smart-community-${stage}`,
    ...STAGES[stage],
    corsOrigins: origins.split(',').map((o) => o.trim()).filter(Boolean),
    paymentProvider: providers.join(','),
    wallets: providers.filter((p): p is WalletProviderName => p === 'wechatpay' || p === 'alipay').sort(),
    ...(typeof publicApiUrl === 'string' && publicApiUrl ? { publicApiUrl } : {}),
    ...(webDomain && webCertificateArn ? { webDomain: { name: webDomain, certificateArn: webCertificateArn } } : {}),
    notifier: notifier as StageNotifier,
    smsRatePerSecond,
    ...(pollConcurrency !== undefined ? { pollConcurrency: Number(pollConcurrency) } : {}),
    recordsEndpoint,
  };
}
