// The local PaymentProvider adapter: charges succeed in memory, idempotent per reference as the real
// providers are. It can be told to be slow or to fail, to exercise timeouts and retries:
//   - `before-charge`: the provider refuses, no money moves;
//   - `after-charge`: the money is taken but the answer is lost (a timeout), the case retries must survive.
// The initial behaviour comes from SIMULATED_PAYMENT_FAILURE and SIMULATED_PAYMENT_DELAY_MS; tests change it
// with `configure`. Its ledger lives in this process only: it stands in for the provider's own books.

import { randomUUID } from 'node:crypto';
import type { Charge, ChargeRequest, PaymentProvider } from './payment-provider.ts';
import { PaymentProviderError } from './payment-provider.ts';

export type SimulatedFailure = 'before-charge' | 'after-charge';
export type SimulatedBehaviour = { failure?: SimulatedFailure; delayMs?: number };

export class SimulatedPaymentProvider implements PaymentProvider {
  private readonly charges = new Map<string, Charge>();

  constructor(private behaviour: SimulatedBehaviour = {}) {}

  configure(behaviour: SimulatedBehaviour): void {
    this.behaviour = behaviour;
  }

  /** Every charge taken for a reference (the provider's books): more than one would be a double charge. */
  chargesFor(reference: string): Charge[] {
    const charge = this.charges.get(reference);
    return charge ? [charge] : [];
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    const { failure, delayMs = 0 } = this.behaviour;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (failure === 'before-charge') throw new PaymentProviderError('The simulated provider refused the charge.');
    // Look-up and insert run without an await in between, so simultaneous requests share one charge.
    let charge = this.charges.get(request.reference);
    if (!charge) {
      charge = {
        chargeId: `SIM-${randomUUID()}`,
        reference: request.reference,
        amount: request.amount,
        method: request.method,
        chargedAt: new Date().toISOString(),
      };
      this.charges.set(request.reference, charge);
    } else if (charge.amount !== request.amount) {
      throw new PaymentProviderError(`Reference ${request.reference} was charged with another amount.`);
    }
    if (failure === 'after-charge') throw new PaymentProviderError('The simulated provider timed out after taking the money.');
    return charge;
  }
}

function behaviourFromEnv(): SimulatedBehaviour {
  const failure = process.env.SIMULATED_PAYMENT_FAILURE;
  if (failure !== undefined && failure !== '' && failure !== 'before-charge' && failure !== 'after-charge') {
    throw new Error(`SIMULATED_PAYMENT_FAILURE must be before-charge or after-charge, not ${failure}`);
  }
  const delayMs = Number(process.env.SIMULATED_PAYMENT_DELAY_MS ?? 0);
  if (!Number.isInteger(delayMs) || delayMs < 0) throw new Error('SIMULATED_PAYMENT_DELAY_MS must be a whole number of milliseconds');
  return { failure: failure || undefined, delayMs };
}

/** The one simulated provider of this process, so tests can steer the instance the handlers use. */
export const simulatedPaymentProvider = new SimulatedPaymentProvider(behaviourFromEnv());
