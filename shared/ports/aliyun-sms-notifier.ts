// Notifier adapter for Aliyun SMS, the domestic provider for deployments in mainland China (SNS sends no SMS
// inside the AWS China regions). A resident's message becomes SendSms with the approved signature, the
// template's TemplateCode and its TemplateParam, checked against the provider's variable rules before it
// leaves. Staff messages are not SMS here: they go to the staff notifier given (a topic, the outbox).

import { templateCodeFor, templateParam } from '../domain/sms-templates.ts';
import { aliyunSmsClient, type AliyunSmsClientOptions, type AliyunSmsConfig } from './aliyun-sms-client.ts';
import type { DirectMessage, Notifier } from './notifier.ts';

/**
 * `send` keeps the port's `Promise<void>`: widening the port to return the provider's message id does not
 * compile against reliable-notifier.ts, whose guard takes `() => Promise<void>`. Callers that keep the BizId
 * (to match delivery receipts) use `sendWithReceipt`.
 */
export type AliyunSmsNotifier = Notifier & { sendWithReceipt(message: DirectMessage): Promise<{ bizId: string }> };

export function aliyunSmsNotifier(config: AliyunSmsConfig, staffNotifier: Notifier, options: AliyunSmsClientOptions = {}): AliyunSmsNotifier {
  const client = aliyunSmsClient(config, options);
  const sendWithReceipt = async (message: DirectMessage) => {
    const { bizId } = await client.sendSms({
      phoneNumber: message.to,
      templateCode: templateCodeFor(message.template, config.templateCodes),
      templateParam: templateParam(message.template, message.params),
      outId: message.reference,
    });
    return { bizId };
  };
  return {
    sendWithReceipt,
    async send(message) {
      await sendWithReceipt(message);
    },
    notifyStaff: (message) => staffNotifier.notifyStaff(message),
  };
}
