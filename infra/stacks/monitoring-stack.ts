// Alarms and one dashboard: API 5xx, errors and throttles of every function, failed and timed-out
// executions of every state machine (not aborted ones: a resident withdrawing a case stops its run). Alarms notify the ops topic (subscribe on-call to it, see README).
// Functions and state machines are watched by their fixed physical names, not by cross-stack references,
// so adding or removing a route never blocks on an export in use.

import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { MISMATCH_LOG_MESSAGE } from '../../shared/domain/payments.ts';
import { STATE_MACHINES } from '../../shared/workflows.ts';
import { FUNCTION_NEEDS } from '../function-needs.ts';
import { functionName, stateMachineArn, stateMachineName } from '../constructs/service-function.ts';
import { entryName } from '../lambda-entries.ts';
import type { StageConfig } from './stage.ts';

export type MonitoringStackProps = StackProps & {
  api: IHttpApi;
  /** Entry files of every deployed function. */
  entries: readonly string[];
};

const PERIOD = Duration.minutes(5);

export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, config: StageConfig, props: MonitoringStackProps) {
    super(scope, id, props);
    this.alarmTopic = new Topic(this, 'Alarms', {
      topicName: `${config.prefix}-alarms`,
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Subscribe on-call here' });
    const action = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, metric: Metric, description: string) =>
      new Alarm(this, alarmId, {
        alarmName: `${config.prefix}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);

    const api5xx = new Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensionsMap: { ApiId: props.api.apiId },
      statistic: 'Sum',
      period: PERIOD,
    });
    alarm('api-5xx', api5xx, 'The HTTP API answered 5xx: a handler failed or timed out.');

    const lambdaMetric = (entry: string, metricName: string) =>
      new Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: functionName(config, entry) }, statistic: 'Sum', period: PERIOD });
    const errors: Metric[] = [];
    const throttles: Metric[] = [];
    for (const entry of [...new Set(props.entries)].sort()) {
      const name = entryName(entry);
      errors.push(lambdaMetric(entry, 'Errors').with({ label: name }));
      throttles.push(lambdaMetric(entry, 'Throttles').with({ label: name }));
      alarm(`${name}-errors`, lambdaMetric(entry, 'Errors'), `${entry} threw (or timed out) in AWS.`);
      alarm(`${name}-throttles`, lambdaMetric(entry, 'Throttles'), `${entry} was throttled: concurrency limit reached.`);
    }

    // Money a provider reports that could not be booked as a bill's payment: the functions that book payments log
    // it at error level with ids only (functions/payments/lib/settle.ts); staff also see it in GET /payment-alarms.
    const mismatches = new Metric({ namespace: `SmartCommunity/${config.stage}`, metricName: 'PaymentMismatches', statistic: 'Sum', period: PERIOD });
    for (const entry of [...new Set(props.entries)].sort().filter((e) => FUNCTION_NEEDS[e]?.walletSecrets)) {
      const name = entryName(entry);
      new MetricFilter(this, `${name}-payment-mismatches`, {
        logGroup: LogGroup.fromLogGroupName(this, `${name}-logs`, `/aws/lambda/${functionName(config, entry)}`),
        filterPattern: FilterPattern.all(FilterPattern.stringValue('$.level', '=', 'error'), FilterPattern.stringValue('$.message', '=', MISMATCH_LOG_MESSAGE)),
        metricNamespace: mismatches.namespace,
        metricName: mismatches.metricName,
        metricValue: '1',
      });
    }
    alarm('payment-mismatches', mismatches, 'A wallet provider reported money for a bill that could not be booked (paid twice, or another amount): see GET /payment-alarms and refund.');

    const executions: Metric[] = [];
    for (const machine of STATE_MACHINES) {
      const sfnMetric = (metricName: string) =>
        new Metric({
          namespace: 'AWS/States',
          metricName,
          dimensionsMap: { StateMachineArn: stateMachineArn(this, config, machine.name) },
          statistic: 'Sum',
          period: PERIOD,
        });
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        alarm(`${machine.name}-${metricName}`, sfnMetric(metricName), `${stateMachineName(config, machine.name)}: ${metricName}. The case is marked failed or stuck; see the execution.`);
      }
      // A label would turn an alarm's metric into metric math: labels go on the dashboard's copies only.
      executions.push(...['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed'].map((m) => sfnMetric(m).with({ label: `${machine.name} ${m}` })));
    }

    // Graphs hold at most a few dozen lines each: split the per-function metrics.
    const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
    new Dashboard(this, 'Dashboard', {
      dashboardName: config.prefix,
      widgets: [
        [new TextWidget({ markdown: `# Smart Community (${config.stage})`, width: 24, height: 1 })],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: ['Count', '4xx', '5xx'].map(
              (metricName) => new Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: props.api.apiId }, statistic: 'Sum', period: PERIOD }),
            ),
            width: 12,
          }),
          new GraphWidget({
            title: 'API latency (p90)',
            left: [new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensionsMap: { ApiId: props.api.apiId }, statistic: 'p90', period: PERIOD })],
            width: 12,
          }),
        ],
        ...chunks(errors, 20).map((left, i) => [new GraphWidget({ title: `Function errors (${i + 1})`, left, width: 24 })]),
        ...chunks(throttles, 20).map((left, i) => [new GraphWidget({ title: `Function throttles (${i + 1})`, left, width: 24 })]),
        [new GraphWidget({ title: 'Workflow executions', left: executions, width: 24 })],
      ],
    });
  }
}
