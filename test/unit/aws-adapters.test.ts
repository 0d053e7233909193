// The AWS adapters of the Notifier and Workflows ports, checked on the exact SDK commands they send
// (SNS and Step Functions cannot run locally).

import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { snsNotifier } from '../../shared/ports/sns-notifier.ts';
import { sfnWorkflows } from '../../shared/ports/sfn-workflows.ts';
import { TaskTokenGone } from '../../shared/ports/workflows.ts';

const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);
const TOPIC = 'arn:aws:sns:cn-north-1:123456789012:staff-tasks';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:CaseApproval';

beforeEach(() => {
  sns.reset();
  sfn.reset();
});

describe('SNS notifier', () => {
  it('publishes a resident SMS straight to the phone as a Transactional message with the signature', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    await snsNotifier(new SNSClient({ region: 'us-east-1' }), TOPIC).send({
      channel: 'sms',
      to: '+8613800138000',
      template: 'case-approved',
      params: { matter: '社保补缴', caseId: 'C20261127-0001' },
      reference: 'C20261127-0001',
    });

    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613800138000',
      Message: '【智慧社区】您的社保补缴事项（编号C20261127-0001）已审核通过。',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('publishes a staff task to the topic with centre, role and category attributes for the filter policies', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });

    await snsNotifier(new SNSClient({ region: 'us-east-1' }), TOPIC).notifyStaff({
      centre: 'zizhuyuan',
      role: 'caseworker',
      category: 'social-insurance',
      template: 'task-opened',
      params: { matter: '社保补缴', caseId: 'C20261127-0001', role: '窗口经办', dueDate: '12月2日' },
      reference: 'C20261127-0001-R1S1',
    });

    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.MessageAttributes).toEqual({
      centre: { DataType: 'String', StringValue: 'zizhuyuan' },
      role: { DataType: 'String', StringValue: 'caseworker' },
      category: { DataType: 'String', StringValue: 'social-insurance' },
    });
    expect(input.Message).toContain('C20261127-0001');
  });
});

describe('Step Functions workflows', () => {
  const workflows = () => sfnWorkflows(new SFNClient({ region: 'us-east-1' }), () => MACHINE);

  it('starts a review run named after case and round', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });

    await workflows().startCaseReview('C20261127-0001', 2);

    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: 'C20261127-0001-2',
      input: JSON.stringify({ caseId: 'C20261127-0001', round: 2 }),
    });
  });

  it('treats an already existing run as started, so a retried start runs nothing twice', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    await expect(workflows().startCaseReview('C20261127-0001', 1)).resolves.toBeUndefined();
  });

  it('resumes a step with SendTaskSuccess and reports a late token as TaskTokenGone', async () => {
    sfn.on(SendTaskSuccessCommand, { taskToken: 'good' }).resolves({});
    sfn.on(SendTaskSuccessCommand, { taskToken: 'late' }).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    const output = { taskId: 't', decision: 'approve' as const, comment: null, missingMaterials: [], decidedBy: 'cw' };

    await workflows().resume('good', output);
    const late = workflows().resume('late', output);

    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({ taskToken: 'good', output: JSON.stringify(output) });
    await expect(late).rejects.toBeInstanceOf(TaskTokenGone);
  });

  it('stops a withdrawn case’s run with StopExecution on the execution named after case and round', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });

    await workflows().stopCaseReview('C20261127-0001', 2);

    expect(sfn.commandCalls(StopExecutionCommand)[0]!.args[0].input).toEqual({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:CaseApproval:C20261127-0001-2',
      error: 'CaseWithdrawn',
      cause: 'The resident withdrew the case.',
    });
  });

  it('treats a run that was never started as stopped, and passes any other failure on', async () => {
    sfn.on(StopExecutionCommand, { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:CaseApproval:C20261127-0001-1' })
      .rejects(new ExecutionDoesNotExist({ message: 'no such execution', $metadata: {} }));
    sfn.on(StopExecutionCommand, { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:CaseApproval:C20261127-0002-1' })
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(workflows().stopCaseReview('C20261127-0001', 1)).resolves.toBeUndefined();
    await expect(workflows().stopCaseReview('C20261127-0002', 1)).rejects.toThrow('throttled');
  });
});
