// Issue 18 item 11: identity. PUT /me runs the real-name check through the real Aliyun adapter against the
// local identity sandbox; a verified claim of an ID number wins over an unverified one; the answer to an
// unverified claimant never tells whether a number is registered; a provider timeout is a 503 with retry
// advice; matters that pay money or change a legal status need a verified profile.

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { handler as findResident } from '../../functions/residents/find-resident.ts';
import { handler as getMe } from '../../functions/residents/get-me.ts';
import { handler as putMe } from '../../functions/residents/put-me.ts';
import { IDENTITY_SANDBOX_KEY } from '../../infra/local/identity-sandbox.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { findResidentByIdNumber, idNumberHash, saveResident } from '../../shared/data/id-numbers.ts';
import { residentKeys } from '../../shared/data/keys.ts';
import { getResident } from '../../shared/data/residents.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import type { ResidentProfile } from '../../shared/domain/residents.ts';
import { aliyunIdVerifier } from '../../shared/ports/aliyun-id-verifier.ts';
import { IdentityVerifierUnavailable } from '../../shared/ports/identity-verifier.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';

const SANDBOX = process.env.IDENTITY_VERIFIER_ENDPOINT!;
const DEMO = { name: '李秀英', idNumber: '11010519491231002X' };
const CLERK: TestCaller = { sub: 'identity-clerk', role: 'staff' };

let serial = 0;
/** A valid ID number of a woman born 1950 with the given order code (the sandbox reads 998 and 999). */
function idNumberWith(orderCode: string): string {
  const first17 = `1101051950${String(++serial % 12 + 1).padStart(2, '0')}01${orderCode}`;
  return first17 + checkCharacter(first17);
}
const resident = (sub: string): TestCaller => ({ sub, role: 'resident' });
const put = (who: TestCaller, name: string, idNumber: string, extra: Record<string, unknown> = {}) =>
  invoke(putMe, 'PUT /me', { caller: who, body: { name, idNumber, phone: '13800138001', community: 'sunshine-garden', ...extra } });
const sandboxCalls = async () => ((await (await fetch(`${SANDBOX}_control/calls`)).json()) as { calls: number }).calls;
const swipe = (idNumber: string) => invoke(findResident, 'GET /residents', { caller: CLERK, query: { idNumber } });
const submit = (who: TestCaller, matter: string, materials: { type: string; ref: string }[]) =>
  invoke(submitCase, 'POST /cases', { caller: who, body: { matter, materials } });
const stored = (userId: string, name: string, idNumber: string, verification?: ResidentProfile['verification']): ResidentProfile => ({
  userId,
  name,
  idNumber,
  birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
  sex: 'female',
  phone: '+8613800138009',
  community: 'sunshine-garden',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...(verification ? { verification } : {}),
});

describe('PUT /me with the real-name check', () => {
  it('verifies a name and number the register confirms, and shows it on GET /me', async () => {
    const res = await put(resident('id-match'), '王芳', idNumberWith('123'));

    expect(res.status).toBe(200);
    expect(res.body.verification).toEqual({ method: 'real-name', at: expect.any(String) });
    expect((await invoke(getMe, 'GET /me', { caller: resident('id-match') })).body.verification).toMatchObject({ method: 'real-name' });
  });

  it('refuses a name the register does not confirm with 422 identity_mismatch at name and idNumber, and saves nothing', async () => {
    const idNumber = idNumberWith('998');
    const res = await put(resident('id-mismatch'), '王芳', idNumber);

    expect(res).toMatchObject({ status: 422, body: { code: 'identity_mismatch' } });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['name', 'idNumber']);
    expect(await getResident('id-mismatch')).toBeUndefined();
    expect(await findResidentByIdNumber(idNumber)).toBeUndefined();
  });

  it('saves a number the register has no record of unverified: the resident books and pays, but declares only what needs no verification', async () => {
    const who = resident('id-no-record');
    const res = await put(who, '王芳', idNumberWith('999'));

    expect(res.status).toBe(200);
    expect(res.body.verification).toBeNull();
    expect(await submit(who, 'retirement', [{ type: 'id-card', ref: 'a' }, { type: 'personnel-file', ref: 'b' }])).toMatchObject({
      status: 403,
      body: { code: 'identity_not_verified' },
    });
    expect((await submit(who, 'residence-certificate', [{ type: 'id-card', ref: 'a' }])).status).toBe(201);
  });

  it('does not ask the register again when only the address or phone changes', async () => {
    const who = resident('id-unchanged');
    const idNumber = idNumberWith('124');
    expect((await put(who, '王芳', idNumber)).status).toBe(200);
    const before = await sandboxCalls();

    const res = await put(who, '王芳', idNumber, { address: '阳光花园1栋', phone: '13800138002' });

    expect(res.body).toMatchObject({ address: '阳光花园1栋', verification: { method: 'real-name' } });
    expect(await sandboxCalls()).toBe(before);
  });

  it('answers a provider timeout with 503 identity_check_unavailable and Retry-After, saves nothing and gives the check back', async () => {
    const who = resident('id-timeout');
    await fetch(`${SANDBOX}_control/time-out-next`, { method: 'POST', body: JSON.stringify({ times: 1 }) });

    const res = await put(who, '王芳', idNumberWith('125'));

    expect(res).toMatchObject({ status: 503, body: { code: 'identity_check_unavailable' } });
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body.detail).toMatch(/Try again in 30 seconds/);
    expect(await getResident('id-timeout')).toBeUndefined();
    for (let i = 0; i < 5; i++) expect((await put(who, '王芳', idNumberWith('998'))).status).toBe(422);
  });

  it('allows five checks an account a day, then 429 identity_check_limit: PUT /me is no lookup service for the register', async () => {
    const who = resident('id-prober');
    for (let i = 0; i < 5; i++) expect((await put(who, '王芳', idNumberWith('998'))).status).toBe(422);
    const before = await sandboxCalls();

    const res = await put(who, '王芳', idNumberWith('998'));

    expect(res).toMatchObject({ status: 429, body: { code: 'identity_check_limit' } });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await sandboxCalls()).toBe(before);
  });
});

describe('who holds an ID number', () => {
  it('refuses a squatter without the real name, and gives the number to its owner who passes the check', async () => {
    const squat = await put(resident('id-squatter'), '王五', DEMO.idNumber);
    const owner = await put(resident('id-owner'), DEMO.name, DEMO.idNumber);

    expect(squat).toMatchObject({ status: 422, body: { code: 'identity_mismatch' } });
    expect(owner.status).toBe(200);
    expect((await findResidentByIdNumber(DEMO.idNumber))?.userId).toBe('id-owner');
  });

  it('takes the number from an unverified holder for a verified claim: the holder sees it on GET /me, staff see it in the swipe', async () => {
    const idNumber = idNumberWith('126');
    await saveResident(stored('id-early-bird', '王芳', idNumber));

    const verified = await put(resident('id-real-owner'), '王芳', idNumber);
    const loser = await invoke(getMe, 'GET /me', { caller: resident('id-early-bird') });
    const seen = await swipe(idNumber);

    expect(verified.status).toBe(200);
    expect(loser.body).toMatchObject({ idNumber, verification: null, idNumberLost: { at: expect.any(String) } });
    expect(seen.body).toMatchObject({ userId: 'id-real-owner', verification: { method: 'real-name' }, displacedAccounts: [{ userId: 'id-early-bird' }] });
    expect(await submit(resident('id-early-bird'), 'residence-certificate', [{ type: 'id-card', ref: 'a' }])).toMatchObject({
      status: 403,
      body: { code: 'identity_not_verified' },
    });
  });

  it('treats a claim written before ranks existed as unverified', async () => {
    const idNumber = idNumberWith('127');
    await saveResident(stored('id-legacy', '王芳', idNumber));
    await db.send(new PutCommand({ TableName: tableName, Item: { ...residentKeys.idNumber(idNumberHash(idNumber)), userId: 'id-legacy' } }));

    expect((await put(resident('id-legacy-owner'), '王芳', idNumber)).status).toBe(200);
    expect((await findResidentByIdNumber(idNumber))?.userId).toBe('id-legacy-owner');
  });

  it('never tells an unverified claimant whether the number is registered: the same answer for a held and a free number', async () => {
    const held = idNumberWith('999');
    const free = idNumberWith('999');
    await saveResident(stored('id-counter-holder', '王芳', held, { method: 'counter', at: '2026-11-01T00:00:00.000Z', by: 'clerk-9' }));

    const onHeld = await put(resident('id-claims-held'), '王芳', held);
    const onFree = await put(resident('id-claims-free'), '王芳', free);
    const shape = (body: Record<string, unknown>) => ({ ...body, idNumber: 'n', birthDate: 'd', updatedAt: 't' });

    expect(onHeld.status).toBe(200);
    expect(onFree.status).toBe(200);
    expect(shape(onHeld.body)).toEqual(shape(onFree.body));
    const meHeld = await invoke(getMe, 'GET /me', { caller: resident('id-claims-held') });
    const meFree = await invoke(getMe, 'GET /me', { caller: resident('id-claims-free') });
    expect(shape(meHeld.body)).toEqual(shape(meFree.body));
    expect((await findResidentByIdNumber(held))?.userId).toBe('id-counter-holder');
    expect((await findResidentByIdNumber(free))?.userId).toBe('id-claims-free');
  });

  it('answers a verified claim of a number verified for another account with 409 id_number_in_use, pointing to the counter', async () => {
    const idNumber = idNumberWith('128');
    expect((await put(resident('id-first-verified'), '王芳', idNumber)).status).toBe(200);

    const second = await put(resident('id-second-verified'), '王芳', idNumber);

    expect(second).toMatchObject({ status: 409, body: { code: 'id_number_in_use' } });
    expect(second.body.detail).toMatch(/service centre/);
    expect(await getResident('id-second-verified')).toBeUndefined();
  });

  it('lets a counter verification (a clerk who saw the card) take the number from a real-name holder', async () => {
    const idNumber = idNumberWith('129');
    expect((await put(resident('id-online'), '王芳', idNumber)).status).toBe(200);

    await saveResident(stored('id-at-counter', '王芳', idNumber, { method: 'counter', at: new Date().toISOString(), by: 'clerk-1' }));

    expect((await findResidentByIdNumber(idNumber))?.userId).toBe('id-at-counter');
    expect(await getResident('id-online')).toMatchObject({ idNumberLost: { at: expect.any(String) } });
    expect((await getResident('id-online'))!.verification).toBeUndefined();
  });

  it('releases the old number and clears the lost mark when a resident who lost a number claims another one', async () => {
    const lost = idNumberWith('130');
    await saveResident(stored('id-moves-on', '王芳', lost));
    expect((await put(resident('id-takes-it'), '王芳', lost)).status).toBe(200);

    const fresh = await put(resident('id-moves-on'), '王芳', idNumberWith('131'));

    expect(fresh.body.idNumberLost).toBeUndefined();
    expect(fresh.body.verification).toMatchObject({ method: 'real-name' });
    expect((await findResidentByIdNumber(lost))?.userId).toBe('id-takes-it');
  });
});

describe('the Aliyun Id2MetaVerify adapter against the sandbox', () => {
  const adapter = (key = IDENTITY_SANDBOX_KEY, timeoutMs = 2000) => aliyunIdVerifier({ endpoint: SANDBOX, ...key, timeoutMs });

  it('reads BizCode 1, 2 and 3 as match, mismatch and no record, and a name the register cannot hold as no record', async () => {
    expect(await adapter().verify(DEMO)).toBe('match');
    expect(await adapter().verify({ ...DEMO, name: '王五' })).toBe('mismatch');
    expect(await adapter().verify({ name: '王芳', idNumber: idNumberWith('999') })).toBe('no_record');
    expect(await adapter().verify({ name: 'Wang Fang', idNumber: idNumberWith('132') })).toBe('no_record');
  });

  it('fails as unavailable, not retryable, when the gateway refuses its signature', async () => {
    const wrongKey = { accessKeyId: IDENTITY_SANDBOX_KEY.accessKeyId, accessKeySecret: 'not-the-secret' };
    const error = await adapter(wrongKey).verify(DEMO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityVerifierUnavailable);
    expect(error).toMatchObject({ retryable: false, reason: 'Code SignatureDoesNotMatch' });
  });

  it('fails as unavailable, retryable, when the register does not answer in time', async () => {
    await fetch(`${SANDBOX}_control/time-out-next`, { method: 'POST', body: JSON.stringify({ times: 1 }) });
    const error = await adapter(IDENTITY_SANDBOX_KEY, 300).verify(DEMO).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IdentityVerifierUnavailable', retryable: true });
  });

  it('sends the name and the number in the signed body, never in the URL', async () => {
    let seen: { url: string; body: string } | undefined;
    const recording: typeof fetch = async (url, init) => {
      seen = { url: String(url), body: String(init?.body) };
      return fetch(url, init);
    };
    expect(await aliyunIdVerifier({ endpoint: SANDBOX, ...IDENTITY_SANDBOX_KEY, fetch: recording }).verify(DEMO)).toBe('match');
    expect(seen!.url).not.toContain(DEMO.idNumber);
    expect(seen!.body).toContain(DEMO.idNumber);
  });
});
