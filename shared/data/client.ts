// The DynamoDB document client and table name, created once per Lambda container (module scope).
// Locally the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads by itself.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../config.ts';

export const tableName = requiredEnv('TABLE_NAME');

export const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
  marshallOptions: { removeUndefinedValues: true },
});
