// The PaymentProvider port: how the platform takes a resident's money. Adapters: the local simulated
// provider now (simulated-payment-provider.ts); WeChat Pay, Alipay and UnionPay later behind the same
// interface, chosen by payment-provider-from-env.ts.
//
// The contract every adapter keeps: a charge is idempotent per `reference`. Asking again with a reference
// the provider has already charged returns that same charge and takes no more money (the real providers
// do this on their merchant order number), so a retry after a timeout can never charge a bill twice.

import type { PaymentMethod } from '../domain/bills.ts';

export type ChargeRequest = {
  /** The merchant's order reference; one per bill (providerReferenceFor). */
  reference: string;
  /** Integer fen. */
  amount: number;
  method: PaymentMethod;
  /** What the payer sees on their statement. */
  description: string;
};

export type Charge = {
  /** The provider's own transaction id. */
  chargeId: string;
  reference: string;
  amount: number;
  method: PaymentMethod;
  chargedAt: string;
};

export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<Charge>;
}

/**
 * The provider refused, failed or did not answer. Whether money moved is unknown to the caller; asking
 * again with the same reference settles it without charging twice.
 */
export class PaymentProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}
