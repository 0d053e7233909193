// The Aliyun SMS settings of this process, read once from ALIYUN_SMS_SECRET: the stage secret's JSON (in AWS
// a Secrets Manager dynamic reference resolved at deploy time; under `npm start` the local sandbox's test
// account), and ALIYUN_SMS_ENDPOINT (the local stand-in; Aliyun's public endpoint by default). Read only
// when NOTIFIER=aliyun, so other deployments need neither.

import { requiredEnv } from '../config.ts';
import { ALIYUN_SMS_ENDPOINT, aliyunSmsSettings, type AliyunSmsSettings } from './aliyun-sms-settings.ts';

let settings: AliyunSmsSettings | undefined;

export function aliyunSmsFromEnv(): AliyunSmsSettings {
  settings ??= aliyunSmsSettings(requiredEnv('ALIYUN_SMS_SECRET'), process.env.ALIYUN_SMS_ENDPOINT ?? ALIYUN_SMS_ENDPOINT);
  return settings;
}
