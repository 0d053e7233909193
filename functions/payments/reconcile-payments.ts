// Scheduled job: asks the wallet providers about every order still pending a few minutes after it was opened,
// because a notification can be late or lost. Paid orders are booked (with the receipt SMS) exactly as a
// notification would book them; closed ones are closed here too; orders past their deadline are closed at the
// provider and the bill unlocked, so it can be paid again with a new order; the others are asked again later.
// A provider that fails leaves the order for the next run. Safe to run twice: every step is conditional.

import type { Context } from 'aws-lambda';
import { paymentsDueForCheck, postponeCheck } from '../../shared/data/payments.ts';
import { secondsEnv } from '../../shared/config.ts';
import { DEFAULT_RECONCILE_AFTER_SECONDS, nextCheckAt, type WalletPayment } from '../../shared/domain/payments.ts';
import { log } from '../../shared/log.ts';
import { walletOf } from '../../shared/ports/wallets-from-env.ts';
import { closeUnpaidOrder, settleFromProvider, type ProviderOutcome } from './lib/settle.ts';

const RECONCILE_AFTER_SECONDS = secondsEnv('PAYMENT_RECONCILE_AFTER_SECONDS', DEFAULT_RECONCILE_AFTER_SECONDS);
/** Time left in the invocation below which no further provider call is started (each may take its 10 s timeout). */
const STOP_WITH_MS_LEFT = 15_000;

async function reconcile(payment: WalletPayment): Promise<ProviderOutcome> {
  const wallet = walletOf(payment.provider);
  if (!wallet) throw new Error(`${payment.provider} is not offered here`);
  const outcome = await settleFromProvider(payment, wallet);
  if (outcome !== 'pending') return outcome;
  if (Date.parse(payment.expiresAt!) <= Date.now()) return closeUnpaidOrder(payment, wallet);
  await postponeCheck(payment.paymentId, nextCheckAt(Date.now(), payment.expiresAt!, RECONCILE_AFTER_SECONDS));
  return 'pending';
}

export async function handler(_event: unknown, context?: Context): Promise<{ checked: number; outcomes: Record<string, number> }> {
  const outcomes: Record<string, number> = {};
  let checked = 0;
  for await (const payment of paymentsDueForCheck(new Date().toISOString())) {
    if (context && context.getRemainingTimeInMillis() < STOP_WITH_MS_LEFT) break;
    checked++;
    try {
      const outcome = await reconcile(payment);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    } catch (error) {
      outcomes.failed = (outcomes.failed ?? 0) + 1;
      log.error('payment reconciliation failed', { paymentId: payment.paymentId, errorName: (error as Error).name, errorCode: (error as { code?: string }).code });
    }
  }
  if (checked > 0) log.info('payments reconciled', { checked, ...outcomes });
  return { checked, outcomes };
}
