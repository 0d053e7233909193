// The IdentityVerifier this process uses, configured once at cold start: IDENTITY_VERIFIER_ENDPOINT (Aliyun's
// cloudauth endpoint in AWS, the local stand-in under `npm start` and in tests) and IDENTITY_VERIFIER_KEY, the
// AccessKey as JSON { accessKeyId, accessKeySecret } (a Secrets Manager secret in AWS, given only to PUT /me).
// IDENTITY_VERIFIER_TIMEOUT_MS optionally shortens the wait for an answer.

import * as z from 'zod/mini';
import { millisecondsEnv, requiredEnv } from '../config.ts';
import { aliyunIdVerifier } from './aliyun-id-verifier.ts';
import type { IdentityVerifier } from './identity-verifier.ts';
import { parseJsonSecret } from './json-secret.ts';

const accessKey = z.strictObject({ accessKeyId: z.string().check(z.minLength(1)), accessKeySecret: z.string().check(z.minLength(1)) });

function verifierFromEnv(): IdentityVerifier {
  const key = parseJsonSecret(requiredEnv('IDENTITY_VERIFIER_KEY'), accessKey, 'IDENTITY_VERIFIER_KEY');
  const timeoutMs = millisecondsEnv('IDENTITY_VERIFIER_TIMEOUT_MS');
  return aliyunIdVerifier({ endpoint: requiredEnv('IDENTITY_VERIFIER_ENDPOINT'), ...key, ...(timeoutMs ? { timeoutMs } : {}) });
}

export const identityVerifier: IdentityVerifier = verifierFromEnv();
