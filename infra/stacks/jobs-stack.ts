// The clock-driven jobs of shared/schedules.ts: one function and one EventBridge Scheduler schedule per
// entry, in Asia/Shanghai time. Every job is safe to run twice, so a retried or overlapping run does no harm.

import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { TimeZone } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { SCHEDULED_JOBS } from '../../shared/schedules.ts';
import { physicalName, ServiceFunction, type PlatformResources } from '../constructs/service-function.ts';

/** Batch jobs (a notice fan-out works until its time is nearly up, then saves its cursor). */
const JOB_TIMEOUT = Duration.minutes(5);

export class JobsStack extends Stack {
  readonly functions: ServiceFunction[] = [];

  constructor(scope: Construct, id: string, platform: PlatformResources, props?: StackProps) {
    super(scope, id, props);
    for (const job of SCHEDULED_JOBS) {
      const fn = new ServiceFunction(this, job.name, { entry: job.entry, platform, timeout: JOB_TIMEOUT });
      this.functions.push(fn);
      new Schedule(this, `${job.name}Schedule`, {
        scheduleName: physicalName(platform.config, job.name),
        description: `${job.entry} on ${job.schedule} (Asia/Shanghai)`,
        schedule: ScheduleExpression.expression(job.schedule, TimeZone.ASIA_SHANGHAI),
        // The next run picks up whatever a failed one left, so retries are kept short.
        target: new LambdaInvoke(fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      });
      const logicalId = this.resolve((fn.node.defaultChild as CfnFunction).logicalId) as string;
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `The Scheduler target construct grants invoke on ${job.name}'s function and its versions ("<arn>:*"); the schedule calls the unqualified function only.`,
      });
    }
  }
}
