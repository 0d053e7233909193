// Issue 18 over HTTP on the real `npm start` entry: what only the local server decides (malformed
// percent-encoding, token times), the real-name check against the identity sandbox it mounts under
// /_sandbox/identity/ (with its time-out knob), and phone numbers masked in the outbox's console lines.

import { importJWK, SignJWT, type JWK } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/tokens.ts';
import { nextWorkingDay } from '../support/appointment-fixtures.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

describe('hostile requests over HTTP', () => {
  let server: RunningServer;
  let resident: ReturnType<typeof client>;

  beforeAll(async () => {
    // Console lines on (the outbox prints there), and a short wait for the register so the timeout test is quick.
    server = await startServer(undefined, { LOG_LEVEL: 'info', IDENTITY_VERIFIER_TIMEOUT_MS: '1000' });
    resident = client(server.url, await tokenFor(server.url, 'http-resident', 'resident'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('item 4: answers GET /cases/%ZZ with 400 problem+json at path.id, as API Gateway does, not 500', async () => {
    const staff = client(server.url, await tokenFor(server.url, 'http-staff', 'staff'));
    for (const [path, send] of [
      ['/cases/%ZZ', () => resident.get('/cases/%ZZ')],
      ['/cases/%E4%B8', () => resident.get('/cases/%E4%B8')],
      ['/cases/%/materials', () => resident.post('/cases/%/materials', {})],
      ['/tasks/%C0%AF/decision', () => staff.post('/tasks/%C0%AF/decision', {})],
    ] as const) {
      const res = await send();
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.errors).toEqual([{ path: 'path.id', message: 'malformed percent-encoding' }]);
    }
  });

  it('item 12: refuses tokens without exp, without iat or issued in the future, though signed with the server key', async () => {
    const key = await importJWK(JSON.parse(readFileSync(join(server.dataDir, 'jwt-signing-key.json'), 'utf8')) as JWK, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const sign = (times: { iat?: number; exp?: number }) => {
      const jwt = new SignJWT({ sub: 'forger', 'cognito:groups': ['resident'] }).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
      return jwt.sign(key);
    };
    for (const token of [await sign({ iat: now }), await sign({ exp: now + 3600 }), await sign({ iat: now + 86_400, exp: now + 90_000 })]) {
      expect((await client(server.url, token).get('/me')).status).toBe(401);
    }
    expect((await client(server.url, await sign({ iat: now, exp: now + 3600 })).get('/me')).status).toBe(404);
  });

  it('item 11: checks the name and ID number against the mounted identity sandbox, and answers its timeout with 503 and Retry-After', async () => {
    const profile = { name: '王五', idNumber: '440524188001010014', phone: '13800138021', community: 'sunshine-garden' };
    await fetch(`${server.url}/_sandbox/identity/_control/time-out-next`, { method: 'POST', body: JSON.stringify({ times: 1 }) });

    const timedOut = await resident.put('/me', profile);
    const verified = await resident.put('/me', profile);
    const mismatch = await client(server.url, await tokenFor(server.url, 'http-impostor', 'resident')).put('/me', { ...profile, idNumber: '11010519491231002X' });

    expect(timedOut).toMatchObject({ status: 503, body: { code: 'identity_check_unavailable' } });
    expect(timedOut.headers.get('retry-after')).toBe('30');
    expect(verified).toMatchObject({ status: 200, body: { verification: { method: 'real-name' } } });
    expect(mismatch).toMatchObject({ status: 422, body: { code: 'identity_mismatch' } });
  });

  it('item 13: prints outbox SMS lines to the console with the phone number masked', async () => {
    await resident.put('/me', { name: '王五', idNumber: '440524188001010014', phone: '13800138021', community: 'sunshine-garden' });
    expect((await resident.post('/appointments', { category: 'employment', date: nextWorkingDay(), time: '09:30' })).status).toBe(201);

    await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('[outbox] sms → +86138****8021');
    expect(server.output()).not.toContain('13800138021');
  });
});
