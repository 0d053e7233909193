// Wallets in AWS: a stage that offers them (-c paymentProvider=wechatpay,alipay) has one merchant secret per
// provider, readable (GetSecretValue only) by exactly the functions that talk to that provider, each told only
// its own secrets' ARNs; the pay and refund routes learn where the providers notify; mismatches raise an alarm;
// and a prod stage without wallets still warns that it takes simulated payments.

import { rmSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Annotations } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionName } from '../../infra/constructs/service-function.ts';
import { FUNCTION_NEEDS } from '../../infra/function-needs.ts';
import { platformApp } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
const outdirs: string[] = [];

function synthesize(stage: 'dev' | 'prod', context: Record<string, string> = {}) {
  const { app, platform, outdir } = platformApp({ stage, context });
  outdirs.push(outdir);
  const assembly = app.synth();
  const templates = Object.fromEntries(
    (['data', 'api', 'jobs', 'monitoring', 'workflows', 'auth'] as const).map((name) => [name, Template.fromJSON(assembly.getStackByName(platform[name].stackName).template)]),
  ) as Record<'data' | 'api' | 'jobs' | 'monitoring' | 'workflows' | 'auth', Template>;
  return { platform, templates };
}

let wallets: ReturnType<typeof synthesize>;
let simulatedProd: ReturnType<typeof synthesize>;

beforeAll(() => {
  wallets = synthesize('prod', { paymentProvider: 'wechatpay,alipay' });
  simulatedProd = synthesize('prod');
});
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];

function functions(run: typeof wallets) {
  return Object.values(run.templates).flatMap((template) => {
    const policies = resources(template, 'AWS::IAM::Policy');
    return resources(template, 'AWS::Lambda::Function').map(([, fn]) => {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const statements = policies
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);
      const entry = Object.keys(FUNCTION_NEEDS).find((e) => functionName(run.platform.config, e) === fn.Properties.FunctionName)!;
      return { entry, environment: (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>, statements };
    });
  });
}

const secretActions = (statements: Record<string, any>[]) =>
  statements.flatMap((s) => [s.Action].flat() as string[]).filter((action) => action.startsWith('secretsmanager:'));

describe('a stage with WeChat Pay and Alipay', () => {
  it('keeps one merchant secret per provider under the stage prefix, retained in prod', () => {
    const secrets = resources(wallets.templates.data, 'AWS::SecretsManager::Secret').map(([, r]) => r);
    const names = secrets.map((s) => s.Properties.Name as string);
    expect(names).toEqual(expect.arrayContaining(['smart-community-prod/wechatpay', 'smart-community-prod/alipay']));
    for (const secret of secrets.filter((s) => /wechatpay|alipay/.test(s.Properties.Name))) expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('lets exactly the functions that talk to a wallet read its secret, GetSecretValue only, one ARN per wallet', () => {
    for (const fn of functions(wallets)) {
      const needs = FUNCTION_NEEDS[fn.entry]!;
      const wanted = [...(needs.walletSecrets ?? [])].sort();
      const actions = secretActions(fn.statements);
      expect(actions, fn.entry).toEqual(wanted.length > 0 ? ['secretsmanager:GetSecretValue'] : []);
      const statement = fn.statements.find((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(statement ? [statement.Resource].flat() : [], fn.entry).toHaveLength(wanted.length);
      const arnVariables = Object.keys(fn.environment).filter((name) => name.endsWith('_SECRET_ARN')).sort();
      expect(arnVariables, fn.entry).toEqual(wanted.map((p) => `${p.toUpperCase()}_SECRET_ARN`));
    }
    const notify = functions(wallets).find((fn) => fn.entry === 'functions/payments/notify-wechatpay.ts')!;
    expect(notify.environment.PAYMENT_PROVIDER).toBe('wechatpay,alipay');
    expect(Object.keys(notify.environment)).not.toContain('ALIPAY_SECRET_ARN');
  });

  it('tells the routes that send orders and refunds where the providers notify: the HTTP API itself', () => {
    const senders = functions(wallets).filter((f) => f.entry === 'functions/bills/pay-bill.ts' || f.entry === 'functions/payments/refund-payment.ts');
    expect(senders).toHaveLength(2);
    for (const fn of senders) expect(JSON.stringify(fn.environment.PAYMENT_NOTIFY_BASE_URL), fn.entry).toContain('"ApiEndpoint"');
  });

  it('counts every "payment mismatch" error line of the booking functions and alarms on it', () => {
    const filters = resources(wallets.templates.monitoring, 'AWS::Logs::MetricFilter').map(([, r]) => r.Properties);
    const booking = Object.entries(FUNCTION_NEEDS).filter(([, needs]) => needs.walletSecrets).map(([entry]) => `/aws/lambda/${functionName(wallets.platform.config, entry)}`);
    expect(filters.map((f) => f.LogGroupName).sort()).toEqual(booking.sort());
    for (const filter of filters) expect(filter.FilterPattern).toContain('payment mismatch');
    wallets.templates.monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'PaymentMismatches', AlarmActions: Match.anyValue() });
  });

  it('no longer warns about simulated payments', () => {
    expect(Annotations.fromStack(wallets.platform.api).findWarning('*', Match.stringLikeRegexp('simulated payments'))).toEqual([]);
  });
});

describe('a prod stage without wallets', () => {
  it('warns that it takes simulated payments, has no merchant secret and grants no secret to any function', () => {
    expect(Annotations.fromStack(simulatedProd.platform.api).findWarning('*', Match.stringLikeRegexp('simulated payments'))).toHaveLength(1);
    const names = resources(simulatedProd.templates.data, 'AWS::SecretsManager::Secret').map(([, r]) => r.Properties.Name as string);
    expect(names.filter((name) => /wechatpay|alipay/.test(name))).toEqual([]);
    for (const fn of functions(simulatedProd)) expect(secretActions(fn.statements), fn.entry).toEqual([]);
  });
});
