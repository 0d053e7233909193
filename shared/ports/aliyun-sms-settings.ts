// What a deployment keeps in its Aliyun SMS secret (AWS Secrets Manager, one secret per stage), checked once
// at cold start: a typo in a TemplateCode or a missing key stops the start with its path, instead of every
// SMS failing later with isv.SMS_TEMPLATE_ILLEGAL.

import * as z from 'zod/mini';
import { TEMPLATES, type TemplateName } from '../domain/messages.ts';
import type { AliyunSmsConfig } from './aliyun-sms-client.ts';

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
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // JSON.parse quotes the text it choked on: the message must not carry the secret into a log.
    throw new Error('The Aliyun SMS secret is not JSON');
  }
  const parsed = secret.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(secret)'}: ${issue.message}`).join('; ');
    throw new Error(`The Aliyun SMS secret is not usable: ${where}`);
  }
  const { receiptToken, ...config } = parsed.data;
  return { config: { endpoint, ...config }, receiptToken };
}
