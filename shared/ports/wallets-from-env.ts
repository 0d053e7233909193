// Both wallet adapters of this process (undefined where PAYMENT_PROVIDER does not offer one), for the functions
// that handle any payment: paying, refunding, reconciling.

import type { PaymentProviderName } from '../domain/payments.ts';
import { alipay } from './alipay-from-env.ts';
import type { WalletProvider } from './wallet-provider.ts';
import { wechatPay } from './wechatpay-from-env.ts';

export function walletOf(provider: PaymentProviderName): WalletProvider | undefined {
  if (provider === 'wechatpay') return wechatPay;
  if (provider === 'alipay') return alipay;
  return undefined;
}
