// TransactWriteItems with the one retry every caller needs: simultaneous transactions on the same item
// cancel each other (TransactionConflict), and the loser of such a race simply tries again. A failed
// condition is a real answer (full, paid, counted already) and is thrown at once for the caller to name.

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client.ts';

const CONFLICT_RETRIES = 10;

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
