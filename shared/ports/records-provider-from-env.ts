// The RecordsProvider this process uses, configured once at cold start: RECORDS_PROVIDER_ENDPOINT (the data
// exchange's base URL in AWS, the local sandbox under `npm start` and in tests) and RECORDS_PROVIDER_KEY, the
// exchange credentials as JSON { appId, appSecret } (a Secrets Manager secret in AWS, given only to the record
// routes). RECORDS_PROVIDER_TIMEOUT_MS optionally shortens the wait for an answer.

import * as z from 'zod/mini';
import { millisecondsEnv, requiredEnv } from '../config.ts';
import { govRecordsClient } from './gov-records-client.ts';
import { parseJsonSecret } from './json-secret.ts';
import type { RecordsProvider } from './records-provider.ts';

const key = z.strictObject({ appId: z.string().check(z.minLength(1)), appSecret: z.string().check(z.minLength(1)) });

function providerFromEnv(): RecordsProvider {
  const credentials = parseJsonSecret(requiredEnv('RECORDS_PROVIDER_KEY'), key, 'RECORDS_PROVIDER_KEY');
  const timeoutMs = millisecondsEnv('RECORDS_PROVIDER_TIMEOUT_MS');
  return govRecordsClient({ endpoint: requiredEnv('RECORDS_PROVIDER_ENDPOINT'), ...credentials, ...(timeoutMs ? { timeoutMs } : {}) });
}

export const recordsProvider: RecordsProvider = providerFromEnv();
