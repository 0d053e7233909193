// The daily allowance of real-name checks per account. Each check costs the platform money and tells the
// caller what the national register says about a name and a number, so an account may not turn PUT /me into
// a register lookup: a few checks a day (typos happen) and then 429 until tomorrow (Shanghai). A check the
// provider never answered is given back.
//
// Items (keys.ts builds every key)
//   quota   pk COUNTER#IDCHECK#<userId>#<date>  sk COUNTER   checks (ADD), expiresAt (the day after)

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
import { applied } from './conditional-writes.ts';
import { identityCheckKeys } from './keys.ts';

export const MAX_IDENTITY_CHECKS_PER_DAY = 5;

const expiresAfter = (date: string) => Math.floor(new Date(`${date}T00:00:00Z`).getTime() / 1000) + 2 * 24 * 3600;

/** Takes one check of the account's allowance for `date`; false when it is used up. */
export async function takeIdentityCheck(userId: string, date: string): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: identityCheckKeys.quota(userId, date),
        UpdateExpression: 'ADD checks :one SET expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(checks) OR checks < :max',
        ExpressionAttributeValues: { ':one': 1, ':max': MAX_IDENTITY_CHECKS_PER_DAY, ':expires': expiresAfter(date) },
      }),
    ),
  );
}

/** Gives a check back (the provider did not answer, so nothing was learnt or, as far as we know, billed). */
export async function giveBackIdentityCheck(userId: string, date: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: identityCheckKeys.quota(userId, date),
        UpdateExpression: 'ADD checks :minusOne',
        ConditionExpression: 'checks > :zero',
        ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
      }),
    ),
  );
}
