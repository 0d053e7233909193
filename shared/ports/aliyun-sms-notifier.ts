// Notifier adapter for Aliyun SMS, the domestic provider for deployments in mainland China (SNS sends no SMS
// inside the AWS China regions). A resident's message becomes SendSms with the approved signature, the
// template's TemplateCode and its TemplateParam, checked against the provider's variable rules before it
// leaves. The answer's BizId is what Aliyun's delivery report names later (aliyun-sms-receipts.ts). Staff
// messages are not SMS here: they go to the staff notifier given (a topic, the outbox).

import { templateCodeFor, templateParam } from '../domain/sms-templates.ts';
import { aliyunSmsClient, type AliyunSmsClientOptions, type AliyunSmsConfig } from './aliyun-sms-client.ts';
import type { Notifier } from './notifier.ts';

export function aliyunSmsNotifier(config: AliyunSmsConfig, staffNotifier: Notifier, options: AliyunSmsClientOptions = {}): Notifier {
  const client = aliyunSmsClient(config, options);
  return {
    async send(message) {
      const { bizId } = await client.sendSms({
        phoneNumber: message.to,
        templateCode: templateCodeFor(message.template, config.templateCodes),
        templateParam: templateParam(message.template, message.params),
        outId: message.reference,
      });
      return { providerId: bizId, status: 'sent', awaitsReceipt: true };
    },
    notifyStaff: (message) => staffNotifier.notifyStaff(message),
  };
}
