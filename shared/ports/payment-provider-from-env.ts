// The PaymentProvider this process uses, chosen once at cold start from PAYMENT_PROVIDER: `simulated`
// under `npm start` and in tests. There is no real adapter yet, so any other value stops the cold start
// rather than letting a deployment take payments against a simulation.

import { requiredEnv } from '../config.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { simulatedPaymentProvider } from './simulated-payment-provider.ts';

function providerFromEnv(): PaymentProvider {
  const name = requiredEnv('PAYMENT_PROVIDER');
  if (name === 'simulated') return simulatedPaymentProvider;
  throw new Error(`PAYMENT_PROVIDER ${name} has no adapter; the only one is "simulated"`);
}

export const paymentProvider: PaymentProvider = providerFromEnv();
