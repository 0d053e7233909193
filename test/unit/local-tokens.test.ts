// Issue 18 item 12: the local JWT verifier (standing in for API Gateway's JWT authorizer) refuses tokens
// without exp or iat, and tokens issued in the future, even when they are signed with the right key.

import { importJWK, SignJWT, type JWK } from 'jose';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS, LOCAL_AUDIENCE, LOCAL_ISSUER, localTokens, type LocalTokens } from '../../infra/local/tokens.ts';

let tokens: LocalTokens;
let sign: (claims: Record<string, unknown>, times: { iat?: number; exp?: number }) => Promise<string>;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-tokens-'));
  tokens = await localTokens(dir);
  const key = await importJWK(JSON.parse(readFileSync(join(dir, 'jwt-signing-key.json'), 'utf8')) as JWK, 'ES256');
  // Signed with the server's own key: only the claims make these tokens wrong.
  sign = (claims, { iat, exp }) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE);
    if (iat !== undefined) jwt.setIssuedAt(iat);
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.sign(key);
  };
});

describe('local tokens', () => {
  const claims = { sub: 'u-1', 'cognito:groups': ['resident'] };

  it('accepts the tokens it issues', async () => {
    expect(await tokens.verify(await tokens.issue(claims))).toMatchObject({ sub: 'u-1' });
  });

  it('refuses a token without exp, even one signed with its own key', async () => {
    expect(await tokens.verify(await sign(claims, { iat: now() }))).toBeNull();
  });

  it('refuses a token without iat', async () => {
    expect(await tokens.verify(await sign(claims, { exp: now() + 3600 }))).toBeNull();
  });

  it('refuses a token issued in the future beyond the clock skew, and allows the skew', async () => {
    expect(await tokens.verify(await sign(claims, { iat: now() + CLOCK_SKEW_SECONDS + 120, exp: now() + 7200 }))).toBeNull();
    expect(await tokens.verify(await sign(claims, { iat: now() + 10, exp: now() + 7200 }))).toMatchObject({ sub: 'u-1' });
  });

  it('refuses an expired token', async () => {
    expect(await tokens.verify(await sign(claims, { iat: now() - 7200, exp: now() - CLOCK_SKEW_SECONDS - 60 }))).toBeNull();
  });
});
