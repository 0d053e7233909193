// The simulated PaymentProvider (v1's synchronous charge), when PAYMENT_PROVIDER offers `simulated`: under
// `npm start` and in tests. It then charges every method that has no wallet adapter here (with
// PAYMENT_PROVIDER=simulated alone, every method, as in v1). A deployment that does not list it cannot take a
// simulated payment at all.

import { offeredProviders } from './wallet-secrets.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { simulatedPaymentProvider } from './simulated-payment-provider.ts';

export const paymentProvider: PaymentProvider | undefined = offeredProviders().has('simulated') ? simulatedPaymentProvider : undefined;
