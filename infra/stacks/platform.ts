// The whole platform for one stage, as eight stacks: Data and Auth hold state (table, topic, hash key, users)
// and change rarely; Workflows, Api and Jobs hold the functions; Monitoring watches them; Web hosts the
// resident web app and WebContent puts its files and config.json there. infra/app.ts builds it for
// `cdk synth|deploy`, the infra tests build it the same way.

import { Annotations, Tags, type App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.ts';
import { AuthStack } from './auth-stack.ts';
import { DataStack } from './data-stack.ts';
import { JobsStack } from './jobs-stack.ts';
import { MonitoringStack } from './monitoring-stack.ts';
import { stageConfig } from './stage.ts';
import { WebContentStack, WebStack } from './web-stack.ts';
import { WorkflowStack } from './workflow-stack.ts';
import type { PlatformResources } from '../constructs/service-function.ts';

export function createPlatform(app: App) {
  const config = stageConfig(app);
  const stackName = (part: string) => `SmartCommunity-${config.stage}-${part}`;

  const web = new WebStack(app, stackName('Web'), config, { description: 'Smart Community: web app hosting (S3 behind CloudFront)' });
  // The web app's pages upload residents' files straight to the files bucket: its CORS allows the web origin.
  const data = new DataStack(app, stackName('Data'), config, { description: 'Smart Community: table, staff-task topic, ID-number hash key', webOrigin: web.origin });
  const platform: PlatformResources = {
    config,
    table: data.table,
    staffTopic: data.staffTopic,
    idHashKey: data.idHashKey,
    walletSecrets: data.walletSecrets,
    identityVerifierKey: data.identityVerifierKey,
    recordsProviderKey: data.recordsProviderKey,
    ...(data.aliyunSms ? { aliyunSms: data.aliyunSms } : {}),
  };
  const auth = new AuthStack(app, stackName('Auth'), platform, { description: 'Smart Community: Cognito user pool and app client', webOrigin: web.origin });
  const workflows = new WorkflowStack(app, stackName('Workflows'), platform, { description: 'Smart Community: state machines and their task functions' });
  // The browser may call the API from the web app's origin (and from any origin given with -c corsOrigins).
  const apiPlatform = { ...platform, config: { ...config, corsOrigins: [web.origin, ...config.corsOrigins] } };
  const api = new ApiStack(app, stackName('Api'), apiPlatform, {
    description: 'Smart Community: HTTP API, one function per route',
    userPool: auth.userPool,
    userPoolClient: auth.client,
    webOrigin: web.origin,
  });
  const jobs = new JobsStack(app, stackName('Jobs'), platform, { description: 'Smart Community: scheduled jobs' });
  const webContent = new WebContentStack(app, stackName('WebContent'), {
    description: 'Smart Community: the web app files and their config.json',
    config,
    web,
    apiUrl: api.stage.url,
    displayUrl: api.functionUrls.get('/display')!,
    cognito: { domain: auth.managedLogin.baseUrl(), clientId: auth.client.userPoolClientId, userPoolId: auth.userPool.userPoolId },
  });
  if (config.stage === 'prod' && (config.wallets.length === 0 || config.paymentProvider.split(',').includes('simulated'))) {
    Annotations.of(api).addWarningV2(
      'smart-community:simulated-payments',
      `POST /bills/{id}/pay takes simulated payments (paymentProvider ${config.paymentProvider}): configure the wallets with -c paymentProvider=wechatpay,alipay and put their merchant keys in (README, "Real money").`,
    );
  }
  // Api and Jobs start and resume the state machines by their fixed names: deploy those first.
  api.addStackDependency(workflows);
  jobs.addStackDependency(workflows);

  const functions = [...api.functions.values(), ...workflows.functions, ...jobs.functions, auth.residentByDefault];
  const monitoring = new MonitoringStack(app, stackName('Monitoring'), config, {
    description: 'Smart Community: alarms and dashboard',
    api: api.api,
    entries: functions.map((fn) => fn.entryFile),
  });
  for (const watched of [auth, workflows, jobs]) monitoring.addStackDependency(watched);

  // Dashboards take no tags in the CloudFormation schema that cfn-lint checks against.
  const tagged = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
  Tags.of(app).add('project', 'smart-community', tagged);
  Tags.of(app).add('stage', config.stage, tagged);
  return { config, data, web, auth, workflows, api, jobs, webContent, monitoring };
}
