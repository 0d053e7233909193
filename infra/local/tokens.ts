// Local stand-in for Cognito + API Gateway's JWT authorizer: issues ES256 tokens with the claims of API.md,
// signed with a key kept in DATA_DIR (so tokens survive a restart), and verifies signature and expiry
// before any protected handler runs.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export const LOCAL_ISSUER = 'https://smart-community.local';
export const LOCAL_AUDIENCE = 'smart-community-local';
const ALG = 'ES256';

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
        const { payload } = await jwtVerify(token, verifyingKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG] });
        return payload;
      } catch {
        return null;
      }
    },
  };
}
