// What a deployment keeps in its Aliyun SMS secret (AWS Secrets Manager, one secret per stage), checked once
// at cold start: a typo in a TemplateCode or a missing key stops the start with its path, instead of every
// SMS failing later with isv.SMS_TEMPLATE_ILLEGAL.

import * as z from 'zod/mini';
import { TEMPLATES, type TemplateName } from '../domain/messages.ts';
import type { AliyunSmsConfig } from './aliyun-sms-client.ts';
import { parseJsonSecret } from './json-secret.ts';

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com';

const secret = z.strictObject({
  accessKeyId: z.string().check(z.minLength(1)),
  accessKeySecret: z.string().check(z.minLength(1)),
  signName: z.string().check(z.regex(/^[^【】\s]{2,20}$/, 'the signature as approved, without 【】')),
  templateCodes: z.optional(z.partialRecord(z.enum(Object.keys(TEMPLATES) as [TemplateName, ...TemplateName[]]), z.string().check(z.regex(/^SMS_\w+$/)))),
  /** The secret path segment of the delivery-receipt URL (aliyun-sms-receipts.ts). */
  receiptToken: z.string().check(z.minLength(32)),
});

export type AliyunSmsSettings = { config: AliyunSmsConfig; receiptToken: string };

export function aliyunSmsSettings(secretString: string, endpoint = ALIYUN_SMS_ENDPOINT): AliyunSmsSettings {
  const { receiptToken, ...config } = parseJsonSecret(secretString, secret, 'The Aliyun SMS secret');
  return { config: { endpoint, ...config }, receiptToken };
}
