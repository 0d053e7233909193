// Conditional writes, the platform's guard against races. A failed condition is a real answer (taken,
// full, paid, counted already), never an error to log. TransactWriteItems gets the one retry every caller
// needs: simultaneous transactions on the same item cancel each other (TransactionConflict), and the
// loser of such a race simply tries again; a failed condition is thrown at once for the caller to name.

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';

const CONFLICT_RETRIES = 10;

export type TransactItem = NonNullable<TransactWriteCommand['input']['TransactItems']>[number];

export const cancellationCodes = (error: unknown): (string | undefined)[] =>
  error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : [];

export async function transactWrite(command: TransactWriteCommand): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(command);
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      const lostRace = codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
      if (!lostRace || attempt >= CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * attempt));
    }
  }
}

/** Awaits a conditional write: true if it was applied, false if its condition did not hold. */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  return (await whenApplied(write)) !== undefined;
}

/** Awaits a conditional write: its output if it was applied, undefined if its condition did not hold. */
export async function whenApplied<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
