import { describe, expect, it } from 'vitest';
import { isRetryableAliyunCode } from '../../shared/ports/aliyun-sms-client.ts';
import { aliyunSmsSettings } from '../../shared/ports/aliyun-sms-settings.ts';

const secret = {
  accessKeyId: 'LTAI5tExampleKeyId',
  accessKeySecret: 'example-secret-value',
  signName: '智慧社区',
  templateCodes: { 'case-accepted': 'SMS_468021345', 'bill-due': 'SMS_468021399' },
  receiptToken: 'b4c1f0e2a9d84e7c9b6a5f3e2d1c0b9a',
};

describe('Aliyun SMS settings from the stage secret', () => {
  it('reads AccessKey, signature, TemplateCodes and the receipt token, with the public endpoint by default', () => {
    expect(aliyunSmsSettings(JSON.stringify(secret))).toEqual({
      config: {
        endpoint: 'https://dysmsapi.aliyuncs.com',
        accessKeyId: 'LTAI5tExampleKeyId',
        accessKeySecret: 'example-secret-value',
        signName: '智慧社区',
        templateCodes: { 'case-accepted': 'SMS_468021345', 'bill-due': 'SMS_468021399' },
      },
      receiptToken: secret.receiptToken,
    });
    expect(aliyunSmsSettings(JSON.stringify(secret), 'http://127.0.0.1:3000/_sandbox/aliyun-sms/').config.endpoint).toBe('http://127.0.0.1:3000/_sandbox/aliyun-sms/');
  });

  it('stops with the path of what is wrong: an unknown template, a code that is not SMS_…, a short token, 【】 in the signature', () => {
    expect(() => aliyunSmsSettings(JSON.stringify({ ...secret, templateCodes: { 'case-acepted': 'SMS_1' } }))).toThrow(/templateCodes/);
    expect(() => aliyunSmsSettings(JSON.stringify({ ...secret, templateCodes: { 'bill-due': '468021399' } }))).toThrow(/templateCodes\.bill-due/);
    expect(() => aliyunSmsSettings(JSON.stringify({ ...secret, receiptToken: 'short' }))).toThrow(/receiptToken/);
    expect(() => aliyunSmsSettings(JSON.stringify({ ...secret, signName: '【智慧社区】' }))).toThrow(/signName/);
  });

  it('never repeats the secret text in its error, even when it is not JSON', () => {
    expect(() => aliyunSmsSettings('accessKeySecret=hunter2')).toThrow(/^The Aliyun SMS secret is not JSON$/);
    const refusal = (() => {
      try {
        aliyunSmsSettings(JSON.stringify({ ...secret, accessKeySecret: '' }));
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    })();
    expect(refusal).toMatch(/^The Aliyun SMS secret is not usable: accessKeySecret/);
    expect(refusal).not.toContain(secret.accessKeyId);
  });
});

describe('Aliyun error codes', () => {
  it('retries flow control and the platform side, not the request side', () => {
    expect(isRetryableAliyunCode('Throttling.Api')).toBe(true);
    expect(isRetryableAliyunCode('isp.SOMETHING_NEW')).toBe(true);
    expect(isRetryableAliyunCode('HTTP_502', 502)).toBe(true);
    expect(isRetryableAliyunCode('isv.SOMETHING_NEW')).toBe(false);
    expect(isRetryableAliyunCode('isv.OUT_OF_SERVICE')).toBe(false);
    expect(isRetryableAliyunCode('SignatureDoesNotMatch', 400)).toBe(false);
  });
});
