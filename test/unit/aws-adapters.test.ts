// The AWS adapters of the Notifier and Workflows ports (SNS and Step Functions cannot run locally): SNS
// against a local server speaking its Query API, which checks each request's SigV4 signature again;
// Step Functions on the exact SDK commands it sends.

import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRetryable } from '../../shared/ports/notifier.ts';
import { snsNotifier } from '../../shared/ports/sns-notifier.ts';
import { sfnWorkflows } from '../../shared/ports/sfn-workflows.ts';
import { TaskTokenGone } from '../../shared/ports/workflows.ts';

const sfn = mockClient(SFNClient);
const REGION = 'cn-north-1';
const TOPIC = 'arn:aws:sns:cn-north-1:123456789012:staff-tasks';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:CaseApproval';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };

beforeEach(() => {
  sfn.reset();
});

type PublishRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

/** The local SNS: keeps each request and answers it with `answer`. */
const sns = {
  requests: [] as PublishRequest[],
  answer: { status: 200, xml: '' },
  endpoint: '',
};
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    sns.requests.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(sns.answer.status, { 'content-type': 'text/xml' }).end(sns.answer.xml);
  });
});

beforeAll(async () => {
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  sns.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
beforeEach(() => {
  sns.requests = [];
});

const published = (messageId: string) =>
  `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
  '<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>';
const refused = (code: string, message: string, type = 'Sender') =>
  `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
  '<RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId></ErrorResponse>';

const notifier = () => snsNotifier({ region: REGION, credentials: async () => CREDENTIALS, staffTopicArn: TOPIC, endpoint: sns.endpoint });

/** The request's one Publish form, once its SigV4 signature has been checked by signing the same request again. */
async function signedForm(request: PublishRequest): Promise<Record<string, string>> {
  expect(request.method).toBe('POST');
  expect(request.path).toBe('/');
  expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
  const authorization = String(request.headers.authorization);
  const amzDate = String(request.headers['x-amz-date']);
  expect(authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${amzDate.slice(0, 8)}/${REGION}/sns/aws4_request, SignedHeaders=`));
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
  expect(signedHeaders).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']));
  expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  // The signer adds the date, token and body hash itself: the hash is taken of the body as it arrived.
  const headers = Object.fromEntries(signedHeaders.filter((name) => !name.startsWith('x-amz-')).map((name) => [name, String(request.headers[name])]));
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  expect(Math.abs(Date.now() - signingDate.getTime())).toBeLessThan(5 * 60_000);
  const again = await new SignatureV4({ service: 'sns', region: REGION, credentials: CREDENTIALS, sha256: Sha256 }).sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: request.path, query: {}, headers, body: request.body },
    { signingDate },
  );
  expect(authorization).toBe(again.headers.authorization);
  return Object.fromEntries(new URLSearchParams(request.body));
}

describe('SNS notifier', () => {
  it('publishes a resident SMS straight to the phone as a Transactional message with the signature, in a signed Query API call', async () => {
    sns.answer = { status: 200, xml: published('m-1') };

    const receipt = await notifier().send({
      channel: 'sms',
      to: '+8613800138000',
      template: 'case-approved',
      params: { matter: '社保补缴', caseId: 'C20261127-0001' },
      reference: 'C20261127-0001',
    });

    expect(sns.requests).toHaveLength(1);
    expect(await signedForm(sns.requests[0]!)).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      PhoneNumber: '+8613800138000',
      Message: '【智慧社区】您的社保补缴事项（编号C20261127-0001）已审核通过。',
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
    });
    expect(receipt).toEqual({ providerId: 'm-1', status: 'sent', awaitsReceipt: false });
  });

  it('publishes a staff task to the topic with centre, role and category attributes for the filter policies', async () => {
    sns.answer = { status: 200, xml: published('m-2') };

    await notifier().notifyStaff({
      centre: 'zizhuyuan',
      role: 'caseworker',
      category: 'social-insurance',
      template: 'task-opened',
      params: { matter: '社保补缴', caseId: 'C20261127-0001', role: '窗口经办', dueDate: '12月2日' },
      reference: 'C20261127-0001-R1S1',
    });

    expect(sns.requests).toHaveLength(1);
    expect(await signedForm(sns.requests[0]!)).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: TOPIC,
      Subject: '智慧社区待办 C20261127-0001-R1S1',
      Message: expect.stringContaining('C20261127-0001'),
      'MessageAttributes.entry.1.Name': 'centre',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'zizhuyuan',
      'MessageAttributes.entry.2.Name': 'role',
      'MessageAttributes.entry.2.Value.DataType': 'String',
      'MessageAttributes.entry.2.Value.StringValue': 'caseworker',
      'MessageAttributes.entry.3.Name': 'category',
      'MessageAttributes.entry.3.Value.DataType': 'String',
      'MessageAttributes.entry.3.Value.StringValue': 'social-insurance',
    });
  });

  it.each([
    { status: 400, code: 'Throttling', message: 'Rate exceeded', retry: true },
    { status: 400, code: 'InvalidParameter', message: 'Invalid parameter: PhoneNumber Reason: input incorrectly formatted', retry: false },
    { status: 403, code: 'AuthorizationError', message: 'User is not authorized to perform: SNS:Publish on resource: &lt;topic&gt;', retry: false },
    { status: 500, code: 'InternalError', message: 'Internal Error', retry: true },
  ])('throws what SNS said on a $status $code, named by its code, which the reliable notifier retries: $retry', async ({ status, code, message, retry }) => {
    sns.answer = { status, xml: refused(code, message, status < 500 ? 'Sender' : 'Receiver') };
    const staffTask = {
      centre: 'zizhuyuan',
      role: 'caseworker' as const,
      category: 'social-insurance',
      template: 'task-opened' as const,
      params: { matter: '社保补缴', caseId: 'C20261127-0001', role: '窗口经办', dueDate: '12月2日' },
      reference: 'C20261127-0001-R1S1',
    };

    const error: unknown = await notifier().notifyStaff(staffTask).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: code, message: message.replace('&lt;', '<').replace('&gt;', '>') });
    expect(isRetryable(error)).toBe(retry);
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
