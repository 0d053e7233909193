// AWS Notifier adapter. Residents: SNS Publish straight to the phone number as a Transactional SMS.
// Staff: Publish to the staff-task topic with `centre`, `role` and `category` message attributes; each staff
// member's e-mail or SMS subscription carries a filter policy on them, so only the right window hears of a task.
// SNS reports SMS delivery to CloudWatch Logs only, never back to the sender: a resident's SMS stays `sent`.
// (Inside the AWS China regions SNS sends no SMS: there aliyun-sms-notifier.ts texts residents.)

import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { render, smsText } from '../domain/messages.ts';
import type { DirectMessage, Notifier, StaffMessage } from './notifier.ts';

export function snsNotifier(sns: SNSClient, staffTopicArn: string): Notifier {
  return {
    async send(message: DirectMessage) {
      const { MessageId } = await sns.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: smsText(render(message.template, message.params)),
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          },
        }),
      );
      return { providerId: MessageId ?? '', status: 'sent', awaitsReceipt: false };
    },
    async notifyStaff(message: StaffMessage) {
      await sns.send(
        new PublishCommand({
          TopicArn: staffTopicArn,
          Subject: `智慧社区待办 ${message.reference}`,
          Message: render(message.template, message.params),
          MessageAttributes: {
            centre: { DataType: 'String', StringValue: message.centre },
            role: { DataType: 'String', StringValue: message.role },
            category: { DataType: 'String', StringValue: message.category },
          },
        }),
      );
    },
  };
}
