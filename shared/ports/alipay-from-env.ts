// The Alipay adapter of this process, built once at cold start from the merchant's secret, or undefined when
// PAYMENT_PROVIDER does not offer Alipay. Only the functions that talk to Alipay import this module, so only they
// read its secret (infra/function-needs.ts `walletSecrets`).

import { AlipayProvider } from './alipay-provider.ts';
import { secretFields, walletSecret } from './wallet-secrets.ts';

const PRODUCTION_GATEWAY_URL = 'https://openapi.alipay.com/gateway.do';

const secret = await walletSecret('alipay');

export const alipay: AlipayProvider | undefined = secret
  ? new AlipayProvider({
      gatewayUrl: typeof secret.value.gatewayUrl === 'string' && secret.value.gatewayUrl ? secret.value.gatewayUrl : PRODUCTION_GATEWAY_URL,
      ...secretFields('alipay', secret, ['appId', 'sellerId', 'appPrivateKeyPem', 'alipayPublicKeyPem'] as const),
    })
  : undefined;
