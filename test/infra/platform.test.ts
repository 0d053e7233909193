// Assertions on the synthesized templates of both stages, and the parity between the tables in shared/
// (routes, state machines, scheduled jobs) and what CDK deploys. Each stage is synthesized once.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_ACTIONS, functionName, LAMBDA_RUNTIME, TABLE_WRITE_ACTIONS } from '../../infra/constructs/service-function.ts';
import { FUNCTION_NEEDS, stateMachineArnVariable } from '../../infra/function-needs.ts';
import { lambdaEntries } from '../../infra/lambda-entries.ts';
import { ROUTE_ROLES_METADATA } from '../../infra/stacks/api-stack.ts';
import { TABLE_DEFINITION } from '../../shared/data/table.ts';
import { isPublic, ROUTES, type Route } from '../../shared/routes.ts';
import { SCHEDULED_JOBS } from '../../shared/schedules.ts';
import { STATE_MACHINES } from '../../shared/workflows.ts';
import { platformApp, REPO_ROOT } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown>; DeletionPolicy?: string };
type Templates = Record<'Data' | 'Auth' | 'Workflows' | 'Api' | 'Jobs' | 'Monitoring', Template>;

const outdirs: string[] = [];

function synthesize(stage: 'dev' | 'prod', notifier?: 'aliyun') {
  const { app, platform, outdir } = platformApp({ stage, ...(notifier ? { context: { notifier } } : {}) });
  outdirs.push(outdir);
  const assembly = app.synth();
  const template = (stack: { stackName: string }) => Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  const templates: Templates = {
    Data: template(platform.data),
    Auth: template(platform.auth),
    Workflows: template(platform.workflows),
    Api: template(platform.api),
    Jobs: template(platform.jobs),
    Monitoring: template(platform.monitoring),
  };
  return { config: platform.config, templates };
}

const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const allResources = (templates: Templates) => Object.values(templates).flatMap((t) => Object.entries(t.toJSON().Resources) as [string, Resource][]);
const asList = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

let dev: ReturnType<typeof synthesize>;
let prod: ReturnType<typeof synthesize>;
/** A mainland deployment: residents texted through Aliyun SMS. */
let mainland: ReturnType<typeof synthesize>;

beforeAll(() => {
  dev = synthesize('dev');
  prod = synthesize('prod');
  mainland = synthesize('prod', 'aliyun');
});

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

/** Logical id of the function deployed for an entry file, in the template that holds it. */
function functionOf(template: Template, entry: string): [string, Resource] {
  const name = functionName(dev.config, entry);
  const found = resources(template, 'AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === name);
  if (!found) throw new Error(`no function ${name} for ${entry}`);
  return found;
}

/** Every function of the platform with the statements of its role's policies. */
function functionsWithPolicies(templates: Templates) {
  return Object.values(templates).flatMap((template) => {
    const policies = resources(template, 'AWS::IAM::Policy');
    return resources(template, 'AWS::Lambda::Function').map(([logicalId, fn]) => {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const statements = policies
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);
      return { logicalId, name: fn.Properties.FunctionName as string, environment: (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>, statements };
    });
  });
}

const entryOfName = (name: string) => Object.keys(FUNCTION_NEEDS).find((entry) => functionName(dev.config, entry) === name);

describe('route parity with shared/routes.ts', () => {
  it('deploys exactly the routes of the route table, each with its method, path and roles', () => {
    const deployed = resources(dev.templates.Api, 'AWS::ApiGatewayV2::Route').map(([, r]) => ({
      key: r.Properties.RouteKey as string,
      roles: r.Metadata?.[ROUTE_ROLES_METADATA],
      jwt: r.Properties.AuthorizationType === 'JWT',
    }));
    const expected = (ROUTES as readonly Route[]).map((r) => ({ key: `${r.method} ${r.path}`, roles: [...r.roles], jwt: !isPublic(r) }));

    expect(deployed.sort((a, b) => a.key.localeCompare(b.key))).toEqual(expected.sort((a, b) => a.key.localeCompare(b.key)));
  });

  it('integrates every route with the function of its own entry file, as payload v2', () => {
    const integrations = Object.fromEntries(resources(dev.templates.Api, 'AWS::ApiGatewayV2::Integration'));
    for (const route of ROUTES as readonly Route[]) {
      const [, r] = resources(dev.templates.Api, 'AWS::ApiGatewayV2::Route').find(([, x]) => x.Properties.RouteKey === `${route.method} ${route.path}`)!;
      const integrationId = r.Properties.Target['Fn::Join'][1][1].Ref as string;
      const [fnId] = functionOf(dev.templates.Api, route.entry);

      expect(integrations[integrationId]!.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] },
      });
    }
  });

  it('puts the Cognito JWT authorizer on every route with roles and none on public routes', () => {
    const [authorizerId, authorizer] = resources(dev.templates.Api, 'AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');

    for (const route of ROUTES as readonly Route[]) {
      const [, r] = resources(dev.templates.Api, 'AWS::ApiGatewayV2::Route').find(([, x]) => x.Properties.RouteKey === `${route.method} ${route.path}`)!;
      if (isPublic(route)) expect(r.Properties.AuthorizationType, route.path).toBe('NONE');
      else expect(r.Properties, `${route.method} ${route.path}`).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });
});

describe('state machine parity with the ASL files', () => {
  for (const machine of STATE_MACHINES) {
    it(`${machine.name}: every Lambda task of ${machine.file} names a substitution wired to an existing entry file`, () => {
      const asl = readFileSync(join(REPO_ROOT, machine.file), 'utf8');
      const states = Object.values((JSON.parse(asl) as { States: Record<string, any> }).States);
      const lambdaTasks = states.filter((s) => s.Type === 'Task' && String(s.Resource).startsWith('arn:aws:states:::lambda:invoke'));
      const named = lambdaTasks.map((s) => /^\$\{(\w+)\}$/.exec(s.Parameters?.FunctionName)?.[1]);

      expect(lambdaTasks.length).toBeGreaterThan(0);
      for (const substitution of named) {
        expect(substitution, 'FunctionName must be a ${Substitution}').toBeDefined();
        const entry = (machine.tasks as Record<string, string>)[substitution!];
        expect(entry, `${substitution} in shared/workflows.ts`).toBeDefined();
        expect(() => readFileSync(join(REPO_ROOT, entry!)), entry).not.toThrow();
      }
    });

    it(`${machine.name}: the deployed definition is the ASL file, its substitutions the task functions' ARNs`, () => {
      const [, sm] = resources(dev.templates.Workflows, 'AWS::StepFunctions::StateMachine').find(([, r]) => r.Properties.StateMachineName === `${dev.config.prefix}-${machine.name}`)!;
      const asl = readFileSync(join(REPO_ROOT, machine.file), 'utf8');

      expect(sm.Properties.DefinitionString).toBe(asl);
      expect(sm.Properties.StateMachineType).toBe('STANDARD');
      for (const [substitution, entry] of Object.entries(machine.tasks)) {
        const [fnId] = functionOf(dev.templates.Workflows, entry);
        expect(asl).toContain(`\${${substitution}}`);
        expect(sm.Properties.DefinitionSubstitutions[substitution]).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
      }
      expect(sm.Properties.LoggingConfiguration.Level).toBe('ALL');
      expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    });
  }

  it('lets each state machine invoke exactly its task functions, unqualified', () => {
    for (const machine of STATE_MACHINES) {
      const invoke = resources(dev.templates.Workflows, 'AWS::IAM::Policy')
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[])
        .filter((s) => s.Action === 'lambda:InvokeFunction');
      const expected = Object.values(machine.tasks).map((entry) => ({ 'Fn::GetAtt': [functionOf(dev.templates.Workflows, entry)[0], 'Arn'] }));
      expect(invoke.flatMap((s) => asList(s.Resource))).toEqual(expect.arrayContaining(expected));
      expect(invoke.flatMap((s) => asList(s.Resource))).toHaveLength(expected.length);
    }
  });
});

describe('scheduled jobs', () => {
  it('creates one schedule per entry of shared/schedules.ts, in Shanghai time, invoking its function', () => {
    const schedules = resources(dev.templates.Jobs, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(SCHEDULED_JOBS.length);
    for (const job of SCHEDULED_JOBS) {
      const [fnId] = functionOf(dev.templates.Jobs, job.entry);
      const [, schedule] = schedules.find(([, s]) => s.Properties.Name === `${dev.config.prefix}-${job.name}`)!;
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: job.schedule,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
        Target: { Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } },
      });
    }
  });
});

describe('functions', () => {
  it('deploys one function per entry of the route, workflow and schedule tables', () => {
    const names = allResources(dev.templates)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([, r]) => r.Properties.FunctionName as string);
    for (const entry of lambdaEntries()) expect(names.filter((n) => n === functionName(dev.config, entry)), entry).toHaveLength(1);
  });

  it('run on the newest Node.js runtime, ARM64, traced, logging to their own log group', () => {
    for (const [id, fn] of allResources(dev.templates).filter(([, r]) => r.Type === 'AWS::Lambda::Function')) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: LAMBDA_RUNTIME.name,
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      });
    }
    expect(LAMBDA_RUNTIME.name).toBe('nodejs24.x');
  });

  it('gives the ID-number hash key, the staff topic, the state machine ARN and the identity key only to functions that need them', () => {
    for (const fn of functionsWithPolicies(dev.templates)) {
      const needs = FUNCTION_NEEDS[entryOfName(fn.name)!]!;
      expect('ID_HASH_KEY' in fn.environment, `${fn.name} ID_HASH_KEY`).toBe(needs.idHashKey === true);
      expect('STAFF_TOPIC_ARN' in fn.environment, `${fn.name} STAFF_TOPIC_ARN`).toBe(needs.notify === true);
      expect('TABLE_NAME' in fn.environment, `${fn.name} TABLE_NAME`).toBe(needs.table !== undefined);
      expect(stateMachineArnVariable('CaseApproval') in fn.environment, `${fn.name} state machine`).toBe(
        needs.startWorkflow === 'CaseApproval' || needs.stopWorkflow === 'CaseApproval',
      );
      expect('PAYMENT_PROVIDER' in fn.environment, `${fn.name} PAYMENT_PROVIDER`).toBe(needs.payments === true || needs.walletSecrets !== undefined);
      expect('FILES_BUCKET' in fn.environment, `${fn.name} FILES_BUCKET`).toBe(needs.files !== undefined);
      expect(fn.environment.NOTIFIER, `${fn.name} NOTIFIER`).toBe(needs.notify || needs.smsReceipts ? 'sns' : undefined);
      expect(fn.environment.SMS_RATE_PER_SECOND, `${fn.name} SMS_RATE_PER_SECOND`).toBe(needs.notify ? '500' : undefined);
      expect('ALIYUN_SMS_SECRET' in fn.environment, `${fn.name} ALIYUN_SMS_SECRET`).toBe(false);
      expect('IDENTITY_VERIFIER_KEY' in fn.environment, `${fn.name} IDENTITY_VERIFIER_KEY`).toBe(needs.identityVerifier === true);
    }
  });

  it('gives the real-name check its endpoint and resolves its AccessKey from Secrets Manager at deploy time', () => {
    const checking = functionsWithPolicies(dev.templates).filter((fn) => 'IDENTITY_VERIFIER_KEY' in fn.environment);
    expect(checking.map((fn) => entryOfName(fn.name))).toEqual(['functions/residents/put-me.ts']);
    for (const fn of checking) {
      expect(fn.environment.IDENTITY_VERIFIER_ENDPOINT).toBe('https://cloudauth.aliyuncs.com/');
      expect(JSON.stringify(fn.environment.IDENTITY_VERIFIER_KEY)).toContain('{{resolve:secretsmanager:');
    }
  });

  it('resolves ID_HASH_KEY from the Secrets Manager secret at deploy time', () => {
    const withKey = functionsWithPolicies(dev.templates).filter((fn) => 'ID_HASH_KEY' in fn.environment);
    expect(withKey.length).toBeGreaterThan(0);
    for (const fn of withKey) expect(JSON.stringify(fn.environment.ID_HASH_KEY)).toContain('{{resolve:secretsmanager:');
  });
});

describe('a mainland stage (-c notifier=aliyun)', () => {
  const prodNames = (name: string) => name.replace(`${dev.config.prefix}-`, `${prod.config.prefix}-`);
  const needsOf = (name: string) => FUNCTION_NEEDS[entryOfName(name.replace(`${prod.config.prefix}-`, `${dev.config.prefix}-`))!]!;

  it('keeps the Aliyun SMS secret in the data stack, retained, with a generated receipt token', () => {
    mainland.templates.Data.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Name: `${mainland.config.prefix}/aliyun-sms`,
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'receiptToken', ExcludePunctuation: true }),
      }),
    });
    expect(JSON.stringify(dev.templates.Data.toJSON())).not.toContain('aliyun-sms');
  });

  it('gives the secret, by deploy-time reference, to the notifying functions and the receipt intake only', () => {
    const functions = functionsWithPolicies(mainland.templates);
    expect(functions.length).toBe(functionsWithPolicies(dev.templates).length);
    for (const fn of functions) {
      const needs = needsOf(fn.name);
      const reaches = needs.notify === true || needs.smsReceipts === true;
      expect(fn.environment.NOTIFIER, fn.name).toBe(reaches ? 'aliyun' : undefined);
      expect('ALIYUN_SMS_SECRET' in fn.environment, fn.name).toBe(reaches);
      if (reaches) expect(JSON.stringify(fn.environment.ALIYUN_SMS_SECRET), fn.name).toMatch(/\{\{resolve:secretsmanager:.*:SecretString:::\}\}/);
      expect(fn.statements.flatMap((s) => asList(s.Action)), fn.name).not.toContain('secretsmanager:GetSecretValue');
    }
    expect(functions.map((f) => f.name)).toContain(prodNames(functionName(dev.config, 'functions/messages/receive-sms-receipts.ts')));
  });

  it('lets notifying functions publish to the staff topic but text no phone number through SNS', () => {
    for (const fn of functionsWithPolicies(mainland.templates)) {
      const sns = fn.statements.filter((s) => asList(s.Action).includes('sns:Publish'));
      expect(sns.filter((s) => s.NotResource), fn.name).toEqual([]);
      expect(sns.length > 0, fn.name).toBe(needsOf(fn.name).notify === true);
    }
  });
});

describe('least privilege', () => {
  const statementsOnTable = (statements: Record<string, any>[]) =>
    statements.filter((s) => asList(s.Action).some((a: string) => a.startsWith('dynamodb:')));

  it('grants no wildcard action anywhere, and never dynamodb:Scan', () => {
    const statements = allResources(dev.templates)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::Role')
      .flatMap(([, r]) => [
        ...(r.Properties.PolicyDocument?.Statement ?? []),
        ...(r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement),
      ]) as Record<string, any>[];
    const actions = statements.flatMap((s) => asList(s.Action ?? []));

    expect(actions.length).toBeGreaterThan(50);
    expect(actions.filter((a: string) => a === '*' || a.endsWith(':*'))).toEqual([]);
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('grants each function exactly the table actions of its row: read-only functions cannot write', () => {
    for (const fn of functionsWithPolicies(dev.templates)) {
      const needs = FUNCTION_NEEDS[entryOfName(fn.name)!]!;
      const onTable = statementsOnTable(fn.statements);
      const actions = new Set(onTable.flatMap((s) => asList(s.Action)));
      const writes = TABLE_WRITE_ACTIONS.filter((a) => actions.has(a));

      if (!needs.table) expect(onTable, fn.name).toEqual([]);
      else if (needs.table === 'read') expect(writes, fn.name).toEqual([]);
      else expect(writes, fn.name).toEqual(TABLE_WRITE_ACTIONS);
      // Table and its named indexes only: no "index/*".
      for (const resource of onTable.flatMap((s) => asList(s.Resource))) expect(JSON.stringify(resource), fn.name).not.toContain('*');
    }
  });

  it('lets only the workflow starters start executions, the resumers send task results and the stoppers stop its executions, on that state machine', () => {
    for (const fn of functionsWithPolicies(dev.templates)) {
      const needs = FUNCTION_NEEDS[entryOfName(fn.name)!]!;
      const states = fn.statements.filter((s) => asList(s.Action).some((a: string) => a.startsWith('states:')));
      const actions = states.flatMap((s) => asList(s.Action)).sort();
      const expected = [
        ...(needs.startWorkflow ? ['states:StartExecution'] : []),
        ...(needs.resumeWorkflow ? ['states:SendTaskFailure', 'states:SendTaskSuccess'] : []),
        ...(needs.stopWorkflow ? ['states:StopExecution'] : []),
      ].sort();

      expect(actions, fn.name).toEqual(expected);
      for (const s of states) {
        const resource = JSON.stringify(s.Resource);
        if (asList(s.Action).includes('states:StopExecution')) expect(resource, fn.name).toContain(`:execution:${dev.config.prefix}-CaseApproval:*"`);
        else expect(resource, fn.name).toContain(`:stateMachine:${dev.config.prefix}-CaseApproval"`);
      }
    }
  });

  it('lets notifying functions publish to the staff topic and text phone numbers, and nothing else on SNS', () => {
    for (const fn of functionsWithPolicies(dev.templates)) {
      const needs = FUNCTION_NEEDS[entryOfName(fn.name)!]!;
      const sns = fn.statements.filter((s) => asList(s.Action).includes('sns:Publish'));
      if (!needs.notify) {
        expect(sns, fn.name).toEqual([]);
        continue;
      }
      expect(sns.some((s) => JSON.stringify(s.Resource).includes('StaffTasks')), fn.name).toBe(true);
      const sms = sns.find((s) => s.NotResource)!;
      expect(JSON.stringify(sms.NotResource)).toContain(':sns:*:*:*');
      expect(sns.every((s) => s.Resource !== '*')).toBe(true);
    }
  });
});

describe('least privilege on the files bucket', () => {
  const onS3 = (statements: Record<string, any>[]) => statements.filter((s) => asList(s.Action).some((a: string) => a.startsWith('s3:')));

  it('grants each function exactly the object actions of its file rights, on uploads/* of the files bucket only', () => {
    const withFiles = functionsWithPolicies(dev.templates).filter((fn) => FUNCTION_NEEDS[entryOfName(fn.name)!]!.files);
    expect(withFiles.map((fn) => entryOfName(fn.name)).sort()).toEqual(
      Object.entries(FUNCTION_NEEDS).filter(([, needs]) => needs.files).map(([entry]) => entry).sort(),
    );
    for (const fn of functionsWithPolicies(dev.templates)) {
      const rights = FUNCTION_NEEDS[entryOfName(fn.name)!]!.files ?? [];
      const statements = onS3(fn.statements);
      const objectActions = statements.filter((s) => JSON.stringify(s.Resource).includes('/uploads/*')).flatMap((s) => asList(s.Action));
      expect([...new Set(objectActions)].sort(), fn.name).toEqual([...new Set(rights.flatMap((r) => FILE_ACTIONS[r]))].sort());
      const listing = statements.filter((s) => asList(s.Action).includes('s3:ListBucket'));
      expect(listing.length, `${fn.name} ListBucket`).toBe(rights.includes('get') ? 1 : 0);
      for (const s of statements) expect(JSON.stringify(s.Resource), fn.name).toContain(`${dev.config.prefix}-files-`);
    }
  });

  it('lets only the presigning function write files, and the review, viewing and jobs nothing more than they use', () => {
    const byEntry = (entry: string) => functionsWithPolicies(dev.templates).find((fn) => fn.name === functionName(dev.config, entry))!;
    const actions = (entry: string) => [...new Set(onS3(byEntry(entry).statements).flatMap((s) => asList(s.Action)))].sort();
    expect(actions('functions/uploads/create-upload.ts')).toEqual(['s3:PutObject', 's3:PutObjectTagging']);
    expect(actions('functions/cases/view-material.ts')).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(actions('functions/workflow/auto-review.ts')).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObjectTagging']);
    expect(actions('functions/uploads/sweep-uploads.ts')).toEqual(['s3:DeleteObject']);
    expect(actions('functions/cases/submit-case.ts')).toEqual([]);
  });
});

describe('stateful resources', () => {
  /** The residents' files bucket (the other one holds its access logs). */
  const filesBucket = () => resources(dev.templates.Data, 'AWS::S3::Bucket').find(([, b]) => b.Properties.VersioningConfiguration)!;

  it('keeps residents’ files in a private, encrypted, versioned bucket that logs access and refuses plain HTTP', () => {
    const [id, bucket] = filesBucket();
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 'files/' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(JSON.stringify(bucket.Properties.BucketName)).toContain(`${dev.config.prefix}-files-`);
    const [, policy] = resources(dev.templates.Data, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === id)!;
    const denies = (policy.Properties.PolicyDocument.Statement as Record<string, any>[]).filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => s.Condition)).toEqual(
      expect.arrayContaining([{ Bool: { 'aws:SecureTransport': 'false' } }, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]),
    );
  });

  it('expires uploads still tagged unattached after a day, and removes deleted files’ old versions a day later', () => {
    const [, bucket] = filesBucket();
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Record<string, any>[];
    expect(rules).toEqual(
      expect.arrayContaining([
        { Id: 'unattached-uploads', Status: 'Enabled', Prefix: 'uploads/', TagFilters: [{ Key: 'upload', Value: 'unattached' }], ExpirationInDays: 1 },
        expect.objectContaining({ Id: 'deleted-files', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 }, ExpiredObjectDeleteMarker: true }),
      ]),
    );
  });

  it('lets the web app’s origin PUT and GET presigned URLs with the headers an upload slot names', () => {
    const [, bucket] = filesBucket();
    expect(bucket.Properties.CorsConfiguration.CorsRules[0]).toMatchObject({
      AllowedMethods: ['PUT', 'GET'],
      AllowedHeaders: ['content-type', 'if-none-match', 'x-amz-tagging'],
    });
    // The web app's own origin (the Web stack's CloudFront distribution), as the API's CORS has it.
    expect(JSON.stringify(bucket.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins)).toMatch(/Fn::ImportValue.*Web.*Distribution/);
  });

  it('retains the files and their access logs in prod', () => {
    const buckets = resources(prod.templates.Data, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [, bucket] of buckets) expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('builds the table from TABLE_DEFINITION: on-demand, PITR, AWS-managed encryption, TTL', () => {
    const table = dev.templates.Data;
    table.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((i) =>
        Match.objectLike({ IndexName: i.indexName, KeySchema: [{ AttributeName: i.partitionKey, KeyType: 'HASH' }, { AttributeName: i.sortKey, KeyType: 'RANGE' }] }),
      ),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
    });
    expect(JSON.stringify(table.findResources('AWS::DynamoDB::Table'))).not.toContain('KMSMasterKeyId');
  });

  it('protects the table, the hash key and the user pool in prod, and lets dev be torn down', () => {
    prod.templates.Data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
    });
    prod.templates.Data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    prod.templates.Auth.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE', UserPoolTier: 'PLUS' }) });
    dev.templates.Data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
  });

  it('encrypts the staff-task topic and refuses publishers without TLS', () => {
    const [, topic] = resources(dev.templates.Data, 'AWS::SNS::Topic')[0]!;
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toContain(':alias/aws/sns');
    dev.templates.Data.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('signs residents in by phone, with the three groups and an admin-only custom:categories and custom:centre', () => {
    const auth = dev.templates.Auth;
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['phone_number'],
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'categories', AttributeDataType: 'String', Mutable: true }),
        Match.objectLike({ Name: 'centre', AttributeDataType: 'String', Mutable: true }),
      ]),
      LambdaConfig: { PreTokenGeneration: Match.anyValue() },
    });
    expect(resources(auth, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName).sort()).toEqual(['resident', 'staff', 'supervisor']);
    const [, client] = resources(auth, 'AWS::Cognito::UserPoolClient')[0]!;
    expect(client.Properties.ReadAttributes).toContain('custom:categories');
    expect(client.Properties.ReadAttributes).toContain('custom:centre');
    expect(client.Properties.WriteAttributes).not.toContain('custom:categories');
    expect(client.Properties.WriteAttributes).not.toContain('custom:centre');
    expect(client.Properties.GenerateSecret ?? false).toBe(false);
  });
});

describe('API stage', () => {
  it('throttles, writes JSON access logs without query strings, and answers CORS preflights', () => {
    const [, stage] = resources(dev.templates.Api, 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: dev.config.throttle.rateLimit, ThrottlingBurstLimit: dev.config.throttle.burstLimit },
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(Object.values(format).join(' ')).not.toMatch(/querystring|path\b|\.body/i);
    dev.templates.Api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowHeaders: Match.arrayWith(['authorization', 'idempotency-key']) }),
    });
  });
});

describe('the polled display URL', () => {
  const polled = (ROUTES as readonly Route[]).filter((route) => route.functionUrl);

  it('serves each functionUrl route of the table from a public GET-only function URL with the API CORS origins, and only those', () => {
    expect(polled.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /display']);
    const urls = resources(dev.templates.Api, 'AWS::Lambda::Url');
    expect(urls).toHaveLength(polled.length);
    const [logicalId] = functionOf(dev.templates.Api, polled[0]!.entry);
    expect(urls[0]![1].Properties).toMatchObject({
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
      Cors: { AllowMethods: ['GET'], AllowOrigins: expect.arrayContaining([expect.anything()]) },
    });
    dev.templates.Api.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE', Principal: '*' });
    expect(Object.keys(dev.templates.Api.findOutputs('*'))).toEqual(expect.arrayContaining([expect.stringMatching(/^FunctionUrldisplay/)]));
  });

  it('writes only the warnings of Lambda itself for the polled function, and reserves concurrency only when the stage asks', () => {
    const [, fn] = functionOf(dev.templates.Api, polled[0]!.entry);
    expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO', LogGroup: expect.anything() });
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const [, other] = functionOf(dev.templates.Api, 'functions/cases/get-case.ts');
    expect(other.Properties.LoggingConfig.SystemLogLevel).toBeUndefined();

    const capped = platformApp({ context: { pollConcurrency: '20' } });
    outdirs.push(capped.outdir);
    const api = Template.fromJSON(capped.app.synth().getStackByName(capped.platform.api.stackName).template);
    expect(functionOf(api, polled[0]!.entry)[1].Properties.ReservedConcurrentExecutions).toBe(20);
    expect(() => platformApp({ context: { pollConcurrency: 'lots' } })).toThrow(/pollConcurrency/);
  });
});

describe('monitoring', () => {
  const alarms = () => resources(dev.templates.Monitoring, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

  it('alarms on API 5xx, on errors and throttles of every function, and on failed executions', () => {
    const byMetric = (namespace: string, metric: string) => alarms().filter((a) => a.Namespace === namespace && a.MetricName === metric);
    const entries = [...lambdaEntries(), 'functions/auth/resident-by-default.ts'];

    expect(byMetric('AWS/ApiGateway', '5xx')).toHaveLength(1);
    for (const metric of ['Errors', 'Throttles']) {
      const watched = byMetric('AWS/Lambda', metric).map((a) => a.Dimensions[0].Value);
      expect(watched.sort(), metric).toEqual(entries.map((e) => functionName(dev.config, e)).sort());
    }
    for (const machine of STATE_MACHINES) {
      const failed = byMetric('AWS/States', 'ExecutionsFailed');
      expect(JSON.stringify(failed)).toContain(`stateMachine:${dev.config.prefix}-${machine.name}`);
    }
    expect(alarms().every((a) => a.AlarmActions?.length === 1)).toBe(true);
  });

  it('has a dashboard', () => {
    dev.templates.Monitoring.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
