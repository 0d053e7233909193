// The WeChat Pay adapter of this process, built once at cold start from the merchant's secret, or undefined when
// PAYMENT_PROVIDER does not offer WeChat Pay. Only the functions that talk to WeChat Pay import this module, so
// only they read its secret (infra/function-needs.ts `walletSecrets`).

import { WechatPayProvider } from './wechatpay-provider.ts';
import { secretFields, walletSecret } from './wallet-secrets.ts';

const PRODUCTION_BASE_URL = 'https://api.mch.weixin.qq.com';

const secret = await walletSecret('wechatpay');

export const wechatPay: WechatPayProvider | undefined = secret
  ? new WechatPayProvider({
      baseUrl: typeof secret.value.baseUrl === 'string' && secret.value.baseUrl ? secret.value.baseUrl : PRODUCTION_BASE_URL,
      ...secretFields('wechatpay', secret, ['mchId', 'appId', 'merchantSerialNo', 'merchantPrivateKeyPem', 'apiV3Key', 'platformPublicKeyPem', 'platformPublicKeyId'] as const),
    })
  : undefined;
