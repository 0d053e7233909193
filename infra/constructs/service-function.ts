// The one Lambda function construct of the platform: every route, workflow task and scheduled job is a
// ServiceFunction. It holds the defaults (newest Node.js runtime, ARM64, the esbuild ESM bundle of
// infra/bundling.ts, X-Ray tracing, a log group with retention) and turns the entry's row of
// infra/function-needs.ts into exactly the environment variables and IAM rights the code uses.

import { resolve } from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE } from '../bundling.ts';
import { TABLE_DEFINITION } from '../../shared/data/table.ts';
import { needsOf, stateMachineArnVariable, type FunctionNeeds } from '../function-needs.ts';
import { entryName } from '../lambda-entries.ts';
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
  /** The Aliyun SMS secret, in a stage whose notifier is Aliyun. */
  aliyunSms?: ISecret;
};

export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** TransactWriteItems is authorised through these per-item actions; it has no IAM action of its own. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

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

export type ServiceFunctionProps = {
  /** Entry file relative to the repository root, as in the route, workflow and schedule tables. */
  entry: string;
  platform: PlatformResources;
  /** Routes: below API Gateway's 30 s integration limit. Jobs: long enough for a batch. */
  timeout: Duration;
  memorySize?: number;
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
      environment: environmentFor(scope, needs, props.platform),
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
  }
}

function environmentFor(scope: Construct, needs: FunctionNeeds, platform: PlatformResources): Record<string, string> {
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
  if (needs.startWorkflow) env[stateMachineArnVariable(needs.startWorkflow)] = stateMachineArn(scope, platform.config, needs.startWorkflow);
  if (needs.payments) env.PAYMENT_PROVIDER = platform.config.paymentProvider;
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
