// Ratings (好差评): a resident's one rating of a decided case, written in ONE transaction with the follow-up
// task a low score opens and the rating's statistics, so none of them can exist without the others.
//
// Items (keys.ts builds every key)
//   the case's `rating` attribute (cases.ts); the follow-up task TASK#<caseId>-F1 (tasks.ts); statistics (stats.ts)

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Rating } from '../domain/cases.ts';
import { conflict } from '../domain/errors.ts';
import { RATEABLE_STATUSES, ratingRefusal } from '../domain/ratings.ts';
import type { FollowUpTask } from '../domain/tasks.ts';
import { getCase } from './cases.ts';
import { tableName } from './client.ts';
import { cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { caseKeys, taskKeys } from './keys.ts';

/**
 * Stores the rating once with its follow-up and `alsoWrite` (its statistics). A transaction that only lost
 * a race with another write of the case is retried (transactWrite); a failed condition is 409
 * already_rated if the case has a rating, 409 invalid_state if it is not approved or rejected.
 */
export async function rateCase(id: string, rating: Rating, followUp: FollowUpTask | undefined, alsoWrite: TransactItem[]): Promise<void> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: caseKeys.item(id),
        UpdateExpression: 'SET rating = :rating',
        ConditionExpression: `#status IN (${RATEABLE_STATUSES.map((_, i) => `:s${i}`).join(', ')}) AND attribute_not_exists(rating)`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':rating': rating, ...Object.fromEntries(RATEABLE_STATUSES.map((s, i) => [`:s${i}`, s])) },
      },
    },
    ...(followUp
      ? [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...taskKeys.item(followUp.id),
                ...followUp,
                status: 'pending',
                overdue: false,
                gsi1pk: taskKeys.queue(followUp.centre, followUp.role, followUp.category),
                gsi1sk: taskKeys.queueOrder(followUp.dueDate, followUp.id),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
    ...alsoWrite,
  ];
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (cancellationCodes(error)[0] !== 'ConditionalCheckFailed') throw error;
    // The case's condition holds two rules; the case as it is now says which one failed.
    const now = await getCase(id);
    const refusal = now && ratingRefusal(now.status, now.rating !== undefined);
    if (refusal === 'already_rated') throw conflict('already_rated', 'This case has already been rated.');
    if (refusal === 'invalid_state') throw conflict('invalid_state', `Only an approved or rejected case can be rated; this one is ${now!.status}.`);
    throw error;
  }
}
