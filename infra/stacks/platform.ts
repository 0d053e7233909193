// The whole platform for one stage, as six stacks: Data and Auth hold state (table, topic, hash key, users)
// and change rarely; Workflows, Api and Jobs hold the functions; Monitoring watches them. infra/app.ts
// builds it for `cdk synth|deploy`, the infra tests build it the same way.

import { Annotations, Tags, type App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.ts';
import { AuthStack } from './auth-stack.ts';
import { DataStack } from './data-stack.ts';
import { JobsStack } from './jobs-stack.ts';
import { MonitoringStack } from './monitoring-stack.ts';
import { stageConfig } from './stage.ts';
import { WorkflowStack } from './workflow-stack.ts';
import type { PlatformResources } from '../constructs/service-function.ts';

export function createPlatform(app: App) {
  const config = stageConfig(app);
  const stackName = (part: string) => `SmartCommunity-${config.stage}-${part}`;

  const data = new DataStack(app, stackName('Data'), config, { description: 'Smart Community: table, staff-task topic, ID-number hash key' });
  const platform: PlatformResources = { config, table: data.table, staffTopic: data.staffTopic, idHashKey: data.idHashKey, ...(data.aliyunSms ? { aliyunSms: data.aliyunSms } : {}) };
  const auth = new AuthStack(app, stackName('Auth'), platform, { description: 'Smart Community: Cognito user pool and app client' });
  const workflows = new WorkflowStack(app, stackName('Workflows'), platform, { description: 'Smart Community: state machines and their task functions' });
  const api = new ApiStack(app, stackName('Api'), platform, {
    description: 'Smart Community: HTTP API, one function per route',
    userPool: auth.userPool,
    userPoolClient: auth.client,
  });
  const jobs = new JobsStack(app, stackName('Jobs'), platform, { description: 'Smart Community: scheduled jobs' });
  if (config.stage === 'prod' && config.paymentProvider === 'simulated') {
    Annotations.of(api).addWarningV2(
      'smart-community:simulated-payments',
      'POST /bills/{id}/pay uses the simulated payment provider: no real adapter exists yet (-c paymentProvider=…).',
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
  return { config, data, auth, workflows, api, jobs, monitoring };
}
