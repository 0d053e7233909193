// Runs in each test file's process before the file is imported: points the handlers' configuration at
// the shared DynamoDB Local and a fresh table of this file's own, so files never see each other's data.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { LOCAL_AWS_ENV } from '../../infra/local/dynamodb-local.ts';
import { IDENTITY_SANDBOX_KEY, startIdentitySandbox } from '../../infra/local/identity-sandbox.ts';
import { RECORDS_SANDBOX_KEY, startRecordsSandbox } from '../../infra/local/records-sandbox.ts';
import { ensureTable } from '../../infra/local/table-setup.ts';

const endpoint = inject('dynamoEndpoint');
const tableName = `test-${randomUUID()}`;

Object.assign(process.env, LOCAL_AWS_ENV, {
  TABLE_NAME: tableName,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  ID_HASH_KEY: 'test-id-hash-key',
  NOTIFIER: 'outbox',
  PAYMENT_PROVIDER: 'simulated',
  WORKFLOWS: 'local',
  // Files go to the local server's file store; a test that reads or writes files starts one
  // (infra/local/file-server.ts) and points LOCAL_FILES_URL at it before its first upload.
  FILE_STORE: 'local',
  LOCAL_FILES_URL: 'http://127.0.0.1:9/_local/files',
  LOCAL_FILES_KEY: 'test-files-key',
  OUTBOX_FILE: join(mkdtempSync(join(tmpdir(), 'sc-outbox-')), 'outbox.jsonl'),
  LOG_LEVEL: 'silent',
});

// The real-name check's stand-in, on its own port for this file: PUT /me runs the real adapter against it.
const identitySandbox = await startIdentitySandbox();
Object.assign(process.env, {
  IDENTITY_VERIFIER_ENDPOINT: identitySandbox.endpoint,
  IDENTITY_VERIFIER_KEY: JSON.stringify(IDENTITY_SANDBOX_KEY),
  IDENTITY_VERIFIER_TIMEOUT_MS: '2000',
});

// The government record systems' stand-in, likewise: the record routes run the real adapter against it.
const recordsSandbox = await startRecordsSandbox();
Object.assign(process.env, {
  RECORDS_PROVIDER_ENDPOINT: recordsSandbox.endpoint,
  RECORDS_PROVIDER_KEY: JSON.stringify(RECORDS_SANDBOX_KEY),
  RECORDS_PROVIDER_TIMEOUT_MS: '2000',
});

const admin = new DynamoDBClient({ endpoint });
await ensureTable(admin, tableName);
admin.destroy();
