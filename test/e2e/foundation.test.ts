// The local platform over HTTP, started as `npm start` would start it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/tokens.ts';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const PROFILE = { name: '王五', idNumber: '440524188001010014', phone: '13800138001', community: 'sunshine-garden' };

describe('local platform: health, catalog, profile', () => {
  let server: RunningServer;
  let residentToken: string;

  beforeAll(async () => {
    server = await startServer();
    residentToken = await tokenFor(server.url, 'resident-e2e', 'resident');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers /health', async () => {
    const res = await client(server.url).get('/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves the catalog publicly', async () => {
    const res = await client(server.url).get('/catalog');
    expect(res.status).toBe(200);
    expect(res.body.categories).toHaveLength(6);
    expect(res.body.matters.find((m: { code: string }) => m.code === 'retirement')).toMatchObject({
      category: 'social-insurance',
      approvalChain: ['caseworker', 'supervisor'],
      slaWorkingDays: 10,
    });
  });

  it('creates the profile with PUT /me, stores the phone as E.164 and shows the ID number to its owner', async () => {
    const api = client(server.url, residentToken);

    const put = await api.put('/me', PROFILE);
    const get = await api.get('/me');

    expect(put.status).toBe(200);
    expect(get).toMatchObject({
      status: 200,
      body: { name: '王五', idNumber: '440524188001010014', phone: '+8613800138001', community: 'sunshine-garden', sex: 'male' },
    });
  });

  it('returns 400 validation_failed with every field path, and changes nothing', async () => {
    const api = client(server.url, await tokenFor(server.url, 'resident-bad-input', 'resident'));

    const res = await api.put('/me', { ...PROFILE, idNumber: '110105194912310021', phone: '12345', community: 'Not A Code' });

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['community', 'idNumber', 'phone']);
    expect((await api.get('/me')).status).toBe(404);
  });

  it('names an unknown field at its own path', async () => {
    const res = await client(server.url, residentToken).put('/me', { ...PROFILE, extra: 1 });
    expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'extra', message: 'unknown field' }] } });
  });

  it('refuses a malformed JSON body with 400', async () => {
    const res = await client(server.url, residentToken).put('/me', '{"name":');
    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await client(server.url, residentToken).put('/me', 'name=x', { 'content-type': 'text/plain' });
    expect(res).toMatchObject({ status: 415, body: { code: 'unsupported_media_type' } });
  });

  it('refuses a body above the limit with 413', async () => {
    const res = await client(server.url, residentToken).put('/me', { ...PROFILE, address: 'x'.repeat(300 * 1024) });
    expect(res).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });

  it('answers 401 without a token, with an expired one and with a forged one', async () => {
    const keyFile = join(server.dataDir, 'jwt-signing-key.json');
    const realKey = await importJWK(JSON.parse(readFileSync(keyFile, 'utf8')) as JWK, 'ES256');
    const expired = await new SignJWT({ sub: 'resident-e2e', 'cognito:groups': ['resident'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(realKey);
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ sub: 'resident-e2e', 'cognito:groups': ['resident'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(otherKey);

    for (const token of [undefined, expired, forged, 'not-a-jwt']) {
      const res = await client(server.url, token).get('/me');
      expect(res).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    }
  });

  it('answers 403 to a staff member on a resident route', async () => {
    const staff = await tokenFor(server.url, 'staff-e2e', 'staff', { categories: ['social-insurance'] });
    const res = await client(server.url, staff).get('/me');
    expect(res).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await client(server.url).get('/nowhere');
    expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  it('refuses a second server on the same DATA_DIR', async () => {
    await expect(startServer(server.dataDir)).rejects.toThrow(/in use by the local server/);
  });
});

describe('local platform: restart', () => {
  it('finds the profile again after a restart, and stops without leaving a lock', async () => {
    const first = await startServer();
    const token = await tokenFor(first.url, 'resident-restart', 'resident');
    expect((await client(first.url, token).put('/me', PROFILE)).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await startServer(first.dataDir);
    try {
      const res = await client(second.url, token).get('/me');
      expect(res).toMatchObject({ status: 200, body: { idNumber: PROFILE.idNumber } });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
