// The DynamoDB document client and table name, created once per Lambda container (module scope).
// Locally the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads by itself.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../config.ts';

export const tableName = requiredEnv('TABLE_NAME');

export const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
  marshallOptions: { removeUndefinedValues: true },
});

/** Every item of `keys` that exists, in no particular order; keys DynamoDB leaves unprocessed are asked again. */
export async function batchGet(keys: Record<string, unknown>[], consistentRead = false): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  while (pending.length > 0) {
    const { Responses, UnprocessedKeys } = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(consistentRead ? { ConsistentRead: true } : {}) } } }),
    );
    items.push(...(Responses?.[tableName] ?? []));
    pending = (UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
  return items;
}
