// The one Lambda function construct of the platform: every route, workflow task and scheduled job is a
// ServiceFunction. It holds the defaults (newest Node.js runtime, ARM64, the esbuild ESM bundle of
// infra/bundling.ts, X-Ray tracing, a log group with retention) and turns the entry's row of
// infra/function-needs.ts into exactly the environment variables and IAM rights the code uses.

import { resolve } from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE } from '../bundling.ts';
import { TABLE_DEFINITION } from '../../shared/data/table.ts';
import { UPLOADS_PREFIX } from '../../shared/domain/uploads.ts';
import { CLOUDAUTH_ENDPOINT } from '../../shared/ports/aliyun-id-verifier.ts';
import { needsOf, stateMachineArnVariable, type FileRight, type FunctionNeeds, type WalletProviderName } from '../function-needs.ts';
import { entryName } from '../lambda-entries.ts';
import { filesBucketName } from '../stacks/data-stack.ts';
import type { StageConfig } from '../stacks/stage.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The newest Node.js runtime aws-cdk-lib offers (NODEJS_LATEST would move with the library's version). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** What the data and auth stacks hand to every stack that creates functions. */
export type PlatformResources = {
  config: StageConfig;
  table: ITable;
  staffTopic: ITopic;
  /** HMAC key of resident ID numbers (see README, "Deploying to AWS"). */
  idHashKey: ISecret;
  /** The merchant secret of each wallet the stage offers. */
  walletSecrets: Partial<Record<WalletProviderName, ISecret>>;
  /** The Aliyun AccessKey of the real-name check, JSON { accessKeyId, accessKeySecret } (README "Identity"). */
  identityVerifierKey: ISecret;
  /** The government data exchange's credentials for the record routes, JSON { appId, appSecret } (README "Records"). */
  recordsProviderKey: ISecret;
  /** The Aliyun SMS secret, in a stage whose notifier is Aliyun. */
  aliyunSms?: ISecret;
};

export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** TransactWriteItems is authorised through these per-item actions; it has no IAM action of its own. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** The object actions each file right grants on uploads/* (a presigned URL carries its signer's rights). */
export const FILE_ACTIONS: Record<FileRight, string[]> = {
  // The upload slot sets the object's tag (x-amz-tagging), which S3 authorises as PutObjectTagging.
  put: ['s3:PutObject', 's3:PutObjectTagging'],
  get: ['s3:GetObject'],
  keep: ['s3:PutObjectTagging'],
  delete: ['s3:DeleteObject'],
};

/** Physical names are fixed so that the monitoring stack can watch functions and state machines without
 *  cross-stack exports (an export in use blocks removing the function it names). */
export function physicalName(config: StageConfig, name: string): string {
  const full = `${config.prefix}-${name}`;
  if (full.length > 64) throw new Error(`${full} is longer than the 64 characters Lambda and Step Functions allow`);
  return full;
}

export const functionName = (config: StageConfig, entry: string) => physicalName(config, entryName(entry));
export const stateMachineName = (config: StageConfig, name: string) => physicalName(config, name);

export function stateMachineArn(scope: Construct, config: StageConfig, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(config, name),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The ARN pattern of every execution of a state machine: StopExecution is granted on executions, not on the machine. */
function executionsArn(scope: Construct, config: StageConfig, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName(config, name)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export type ServiceFunctionProps = {
  /** Entry file relative to the repository root, as in the route, workflow and schedule tables. */
  entry: string;
  platform: PlatformResources;
  /** Routes: below API Gateway's 30 s integration limit. Jobs: long enough for a batch. */
  timeout: Duration;
  memorySize?: number;
  /** Routes that send wallet orders and refunds: the API's base URL, where the providers notify. */
  notifyBaseUrl?: string;
  /** Routes that send residents back to the web app: its origin (the Web stack's). */
  webUrl?: string;
  /**
   * Polled around the clock (the hall display, ≈ 49 M invocations a month): Lambda's own START/END/REPORT
   * lines would be ≈ 15 GB of logs (≈ $7) a month, so only its warnings are written, and the stage may cap
   * the function's concurrency, since its function URL has no API Gateway throttle in front.
   */
  polled?: boolean;
};

export class ServiceFunction extends NodejsFunction {
  readonly entryFile: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const { config } = props.platform;
    const needs = needsOf(props.entry);
    const name = functionName(config, props.entry);
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      logGroupName: `/aws/lambda/${name}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to this function's log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    super(scope, id, {
      functionName: name,
      entry: resolve(REPO_ROOT, props.entry),
      projectRoot: REPO_ROOT,
      depsLockFilePath: resolve(REPO_ROOT, 'package-lock.json'),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      ...(props.polled
        ? {
            loggingFormat: LoggingFormat.JSON,
            systemLogLevelV2: SystemLogLevel.WARN,
            applicationLogLevelV2: ApplicationLogLevel.INFO,
            ...(config.pollConcurrency ? { reservedConcurrentExecutions: config.pollConcurrency } : {}),
          }
        : {}),
      environment: environmentFor(scope, needs, props.platform, props),
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourcemap,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner.js,
        charset: LAMBDA_BUNDLE.charset === 'utf8' ? Charset.UTF8 : Charset.ASCII,
        externalModules: [...LAMBDA_BUNDLE.external],
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => [`--alias:${from}`, resolve(REPO_ROOT, to)]),
        ),
      },
    });
    this.entryFile = props.entry;
    this.grantNeeds(needs, props.platform);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.',
    });
  }

  private grantNeeds(needs: FunctionNeeds, platform: PlatformResources) {
    const { table, staffTopic, config } = platform;
    if (needs.table) {
      // Named indexes instead of the "<table>/index/*" that ITable.grant would give: no wildcard at all.
      const indexArns = TABLE_DEFINITION.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`);
      this.addToRolePolicy(new PolicyStatement({ actions: TABLE_READ_ACTIONS, resources: [table.tableArn, ...indexArns] }));
      if (needs.table === 'readWrite') this.addToRolePolicy(new PolicyStatement({ actions: TABLE_WRITE_ACTIONS, resources: [table.tableArn] }));
    }
    if (needs.notify) {
      staffTopic.grantPublish(this);
      // Residents' SMS go through SNS only when SNS is the notifier; Aliyun is reached over HTTPS.
      if (config.notifier === 'sns') this.addToRolePolicy(smsPublishStatement(this));
    }
    const secrets = walletSecretsOf(needs, platform);
    if (secrets.length > 0) {
      // GetSecretValue only (no DescribeSecret, no other secret): the cold start reads these and nothing else.
      this.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets.map(([, secret]) => secret.secretArn) }));
    }
    if (needs.startWorkflow) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn(this, config, needs.startWorkflow)] }),
      );
    }
    if (needs.resumeWorkflow) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: [stateMachineArn(this, config, needs.resumeWorkflow)],
        }),
      );
    }
    if (needs.stopWorkflow) {
      const executions = executionsArn(this, config, needs.stopWorkflow);
      this.addToRolePolicy(new PolicyStatement({ actions: ['states:StopExecution'], resources: [executions] }));
      Validations.of(this.role!).acknowledge({
        // cdk-nag names the environment-agnostic ARN by its pseudo parameters.
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName(config, needs.stopWorkflow)}:*]`,
        reason: `StopExecution is authorised on an execution's ARN; the executions of ${needs.stopWorkflow} are named per case and round, so the grant covers that one state machine's executions ("…:execution:<machine>:*").`,
      });
    }
    if (needs.files) this.grantFiles(needs.files, config);
  }

  private grantFiles(rights: readonly FileRight[], config: StageConfig) {
    const bucketArn = `arn:${Stack.of(this).partition}:s3:::${filesBucketName(config)}`;
    const objects = `${bucketArn}/${UPLOADS_PREFIX}*`;
    this.addToRolePolicy(new PolicyStatement({ actions: [...new Set(rights.flatMap((right) => FILE_ACTIONS[right]))], resources: [objects] }));
    // Without ListBucket S3 answers 403 for a missing key, which would read as "no right" instead of "no file".
    if (rights.includes('get')) this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] }));
    // cdk-nag names the finding after the resource with its pseudo parameters written <AWS::…>.
    const asNagWritesIt = `arn:<AWS::Partition>:s3:::${filesBucketName(config, { account: '<AWS::AccountId>', region: '<AWS::Region>' })}/${UPLOADS_PREFIX}*`;
    Validations.of(this.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${asNagWritesIt}]`,
      reason: `Residents' files are objects under ${UPLOADS_PREFIX} named by upload id; the function signs requests for any of them, never for another prefix or bucket.`,
    });
  }
}

/** The secrets of the wallets a function talks to that the stage offers. */
const walletSecretsOf = (needs: FunctionNeeds, platform: PlatformResources) =>
  (needs.walletSecrets ?? []).flatMap((provider) => (platform.walletSecrets[provider] ? [[provider, platform.walletSecrets[provider]] as const] : []));

function environmentFor(scope: Construct, needs: FunctionNeeds, platform: PlatformResources, { notifyBaseUrl, webUrl }: ServiceFunctionProps): Record<string, string> {
  const env: Record<string, string> = { NODE_OPTIONS: '--enable-source-maps' };
  if (needs.table) env.TABLE_NAME = platform.table.tableName;
  // A dynamic reference: CloudFormation resolves the secret at deploy time, so the function's role never
  // needs secretsmanager:GetSecretValue and the cold start makes no extra call.
  if (needs.idHashKey) env.ID_HASH_KEY = platform.idHashKey.secretValue.unsafeUnwrap();
  if (needs.notify) {
    env.STAFF_TOPIC_ARN = platform.staffTopic.topicArn;
    env.SMS_RATE_PER_SECOND = String(platform.config.smsRatePerSecond);
  }
  if (needs.notify || needs.smsReceipts) {
    env.NOTIFIER = platform.config.notifier;
    // Like ID_HASH_KEY: resolved at deploy time, so no GetSecretValue right and no call at cold start.
    if (platform.config.notifier === 'aliyun') env.ALIYUN_SMS_SECRET = aliyunSmsSecret(platform).secretValue.unsafeUnwrap();
  }
  for (const machine of new Set([needs.startWorkflow, needs.stopWorkflow])) {
    if (machine) env[stateMachineArnVariable(machine)] = stateMachineArn(scope, platform.config, machine);
  }
  if (needs.payments || needs.walletSecrets) env.PAYMENT_PROVIDER = platform.config.paymentProvider;
  for (const [provider, secret] of walletSecretsOf(needs, platform)) env[`${provider.toUpperCase()}_SECRET_ARN`] = secret.secretArn;
  if (needs.walletSecrets && notifyBaseUrl) env.PAYMENT_NOTIFY_BASE_URL = notifyBaseUrl;
  if (needs.webUrl && webUrl) env.WEB_URL = webUrl;
  if (needs.files) env.FILES_BUCKET = filesBucketName(platform.config);
  if (needs.identityVerifier) {
    env.IDENTITY_VERIFIER_ENDPOINT = CLOUDAUTH_ENDPOINT;
    env.IDENTITY_VERIFIER_KEY = platform.identityVerifierKey.secretValue.unsafeUnwrap();
  }
  if (needs.records) {
    env.RECORDS_PROVIDER_ENDPOINT = platform.config.recordsEndpoint;
    env.RECORDS_PROVIDER_KEY = platform.recordsProviderKey.secretValue.unsafeUnwrap();
  }
  return env;
}

function aliyunSmsSecret(platform: PlatformResources): ISecret {
  if (!platform.aliyunSms) throw new Error('The Aliyun notifier needs the Aliyun SMS secret of the data stack');
  return platform.aliyunSms;
}

/** SMS straight to a phone number has no ARN: allow Publish to anything that is not an SNS resource, which
 *  is exactly "phone numbers", instead of Resource "*". Also used for Cognito's verification SMS. */
export function smsPublishStatement(scope: Construct): PolicyStatement {
  return new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:Publish'], notResources: [`arn:${Stack.of(scope).partition}:sns:*:*:*`] });
}
