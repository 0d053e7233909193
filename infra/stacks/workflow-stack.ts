// Every state machine of shared/workflows.ts as a Standard state machine, defined by its ASL file as it is
// (DefinitionBody.fromString, so tests can read it), with each `${Substitution}` of the file replaced by
// the ARN of the function that implements that task. The same files run under `npm start`.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { STATE_MACHINES } from '../../shared/workflows.ts';
import { REPO_ROOT, ServiceFunction, stateMachineName, type PlatformResources } from '../constructs/service-function.ts';

export class WorkflowStack extends Stack {
  readonly stateMachines: StateMachine[] = [];
  readonly functions: ServiceFunction[] = [];

  constructor(scope: Construct, id: string, platform: PlatformResources, props?: StackProps) {
    super(scope, id, props);
    const { config } = platform;

    for (const machine of STATE_MACHINES) {
      const tasks = Object.entries(machine.tasks).map(([substitution, entry]) => ({
        substitution,
        fn: new ServiceFunction(this, `${machine.name}${substitution.replace(/FunctionArn$/, '')}`, {
          entry,
          platform,
          timeout: Duration.seconds(30),
        }),
      }));
      this.functions.push(...tasks.map((t) => t.fn));

      const stateMachine = new StateMachine(this, machine.name, {
        stateMachineName: stateMachineName(config, machine.name),
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(readFileSync(resolve(REPO_ROOT, machine.file), 'utf8')),
        definitionSubstitutions: Object.fromEntries(tasks.map((t) => [t.substitution, t.fn.functionArn])),
        tracingEnabled: true,
        logs: {
          destination: new LogGroup(this, `${machine.name}Logs`, {
            logGroupName: `/aws/vendedlogs/states/${stateMachineName(config, machine.name)}`,
            retention: config.logRetention,
            removalPolicy: config.removalPolicy,
          }),
          level: LogLevel.ALL,
          // Inputs and outputs carry case details and staff comments: the event history keeps them,
          // the logs need only the transitions.
          includeExecutionData: false,
        },
      });
      // The definition is a string, so CDK cannot see which functions it invokes. The ASL names each function
      // by its unqualified ARN: grant exactly those (fn.grantInvoke would add every version, "<arn>:*").
      stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: tasks.map((t) => t.fn.functionArn) }));
      this.stateMachines.push(stateMachine);

      Validations.of(stateMachine).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions logging (logs:CreateLogDelivery, logs:PutResourcePolicy, logs:Describe*) and X-Ray tracing (xray:PutTraceSegments, xray:GetSampling*) have no resource-level permissions.',
      });
    }
  }
}
