// AWS Notifier adapter. Residents: SNS Publish straight to the phone number as a Transactional SMS.
// Staff: Publish to the staff-task topic with `centre`, `role` and `category` message attributes; each staff
// member's e-mail or SMS subscription carries a filter policy on them, so only the right window hears of a task.
// SNS reports SMS delivery to CloudWatch Logs only, never back to the sender: a resident's SMS stays `sent`.
// (Inside the AWS China regions SNS sends no SMS: there aliyun-sms-notifier.ts texts residents.)
// Publish is one POST of the SNS Query API over fetch, signed with the SDK's own SigV4 signer, which every
// bundle already holds for DynamoDB: the SNS client, its Query protocol and XML codec would add about 36 KB to
// each notifying function and put six of them over the 300 KB budget (README, "Performance and cost").

import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { render, smsText } from '../domain/messages.ts';
import type { DirectMessage, Notifier, StaffMessage } from './notifier.ts';

export type SnsNotifierOptions = {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  staffTopicArn: string;
  /** The regional SNS endpoint by default; a test's local server. */
  endpoint?: string;
};

/** The AWS China regions have their own domain. */
const snsEndpoint = (region: string) => `https://sns.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}/`;

/** A Publish that SNS refused, classed as the SNS client classed it: named by SNS's code, a client fault below 500 (see isRetryable). */
class SnsError extends Error {
  readonly $fault: 'client' | 'server';
  constructor(code: string, message: string, httpStatus: number) {
    super(message);
    this.name = code;
    this.$fault = httpStatus < 500 ? 'client' : 'server';
  }
}

type PublishInput = { message: string; attributes: Record<string, string> } & ({ phoneNumber: string } | { topicArn: string; subject: string });

/** The Query API form of a Publish; every message attribute is a String. */
function publishForm(input: PublishInput): URLSearchParams {
  // test/infra/bundle-usage.ts finds the Publish in a bundle by this literal, which proves a function's sns:Publish.
  const form = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31' });
  if ('phoneNumber' in input) form.set('PhoneNumber', input.phoneNumber);
  else {
    form.set('TopicArn', input.topicArn);
    form.set('Subject', input.subject);
  }
  form.set('Message', input.message);
  Object.entries(input.attributes).forEach(([name, value], i) => {
    const entry = `MessageAttributes.entry.${i + 1}`;
    form.set(`${entry}.Name`, name);
    form.set(`${entry}.Value.DataType`, 'String');
    form.set(`${entry}.Value.StringValue`, value);
  });
  return form;
}

/** A Publish that has not answered by then has failed: a function must not hang on it. */
const TIMEOUT_MS = 10_000;

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The text of the first `<tag>` in an SNS answer, which holds nothing but text. */
function xmlText(xml: string, tag: string): string | undefined {
  const text = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
  return text?.replace(/&(lt|gt|amp|quot|apos);/g, (_, entity: string) => XML_ENTITIES[entity]!);
}

export function snsNotifier({ region, credentials, staffTopicArn, endpoint = snsEndpoint(region) }: SnsNotifierOptions): Notifier {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service: 'sns', region, credentials, sha256: Sha256 });

  /** Resolves with the MessageId, or throws an SnsError, or the network's own error (a timeout, a reset), which may pass. */
  async function publish(input: PublishInput): Promise<string> {
    const body = publishForm(input).toString();
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    // fetch sets Host from the URL, the very value signed.
    const { host: _host, ...headers } = signed.headers;
    // A timeout may hide an SMS that went out; sending it again risks a duplicate, never a loss.
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const answer = await response.text();
    if (!response.ok) throw new SnsError(xmlText(answer, 'Code') ?? 'Unknown', xmlText(answer, 'Message') ?? `HTTP ${response.status}`, response.status);
    return xmlText(answer, 'MessageId') ?? '';
  }

  return {
    async send(message: DirectMessage) {
      const messageId = await publish({
        phoneNumber: message.to,
        message: smsText(render(message.template, message.params)),
        attributes: { 'AWS.SNS.SMS.SMSType': 'Transactional' },
      });
      return { providerId: messageId, status: 'sent', awaitsReceipt: false };
    },
    async notifyStaff(message: StaffMessage) {
      await publish({
        topicArn: staffTopicArn,
        subject: `智慧社区待办 ${message.reference}`,
        message: render(message.template, message.params),
        attributes: { centre: message.centre, role: message.role, category: message.category },
      });
    },
  };
}
