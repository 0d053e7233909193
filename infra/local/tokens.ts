// Local stand-in for Cognito + API Gateway's JWT authorizer: issues ES256 tokens with the claims of API.md,
// signed with a key kept in DATA_DIR (so tokens survive a restart), and verifies signature, issuer, audience
// and time before any protected handler runs. As Cognito's tokens always do, a token must carry `exp` and
// `iat`; one issued in the future (beyond a small clock skew) is refused, as is one that has expired.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export const LOCAL_ISSUER = 'https://smart-community.local';
export const LOCAL_AUDIENCE = 'smart-community-local';
const ALG = 'ES256';
/** Clocks of issuer and verifier may differ a little; more than this is not a clock, it is a forged iat. */
export const CLOCK_SKEW_SECONDS = 60;

export type LocalTokens = {
  issue: (claims: Record<string, unknown>, expiresInSeconds?: number) => Promise<string>;
  verify: (token: string) => Promise<JWTPayload | null>;
};

export async function localTokens(dataDir: string): Promise<LocalTokens> {
  const keyFile = join(dataDir, 'jwt-signing-key.json');
  if (!existsSync(keyFile)) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    writeFileSync(keyFile, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
  }
  const privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = privateJwk;
  const signingKey = await importJWK(privateJwk, ALG);
  const verifyingKey = await importJWK(publicJwk, ALG);

  return {
    issue: (claims, expiresInSeconds = 12 * 3600) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: ALG })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
        .sign(signingKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, verifyingKey, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: [ALG],
          requiredClaims: ['exp', 'iat'],
          clockTolerance: CLOCK_SKEW_SECONDS,
        });
        // jose checks iat only against a maximum age; a token "issued" tomorrow is refused here.
        if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return null;
        return payload;
      } catch {
        return null;
      }
    },
  };
}
