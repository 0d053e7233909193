// Issue 20 item 1–2: residents' records in the government systems. GET /me/records/{kind} runs the real data
// exchange adapter against the local records sandbox; only a verified profile reads, and only its own; every
// lookup is audited without the ID number; a provider timeout or 5xx is a 503 with Retry-After, never a 500; the
// counter reads the swiped resident's record under the clerk's name; arrears link the back-payment matter.

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { handler as getMyRecord } from '../../functions/records/get-my-record.ts';
import { handler as getResidentRecord } from '../../functions/records/get-resident-record.ts';
import { handler as submitCase } from '../../functions/cases/submit-case.ts';
import { RECORDS_SANDBOX_KEY, sandboxRecord } from '../../infra/local/records-sandbox.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { recordLookupKeys } from '../../shared/data/keys.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { backpayNote } from '../../shared/domain/records.ts';
import { govRecordsClient } from '../../shared/ports/gov-records-client.ts';
import { RecordsProviderUnavailable } from '../../shared/ports/records-provider.ts';
import { idNumberFor, phoneFor, residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';

const SANDBOX = process.env.RECORDS_PROVIDER_ENDPOINT!;
const CLERK: TestCaller = { sub: 'records-clerk', role: 'staff', categories: ['social-insurance'] };
const sandboxCalls = async () => ((await (await fetch(`${SANDBOX}_control/calls`)).json()) as { calls: number }).calls;
const control = (command: string, times = 1) => fetch(`${SANDBOX}_control/${command}`, { method: 'POST', body: JSON.stringify({ times }) });
const read = (who: TestCaller, kind: string) => invoke(getMyRecord, 'GET /me/records/{kind}', { caller: who, params: { kind } });

/** Every audit item of a resident's record lookups, oldest first. */
async function lookupsOf(userId: string) {
  const prefix = recordLookupKeys.audit(userId, '', '').sk.replace(/#+$/, '#');
  const { Items } = await db.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': recordLookupKeys.audit(userId, '', '').pk, ':sk': prefix }, ConsistentRead: true }),
  );
  return Items ?? [];
}

describe('who may read a record', () => {
  it('refuses a profile that is only claimed (403 identity_not_verified), and an account without a profile, before asking the provider', async () => {
    await saveResident({
      userId: 'records-unverified',
      name: '张三',
      idNumber: idNumberFor(702),
      birthDate: '1980-01-19',
      sex: 'female',
      phone: phoneFor(702),
      community: 'sunshine-garden',
      updatedAt: new Date().toISOString(),
    });
    const before = await sandboxCalls();
    for (const who of ['records-unverified', 'records-nobody']) {
      const res = await read({ sub: who, role: 'resident' }, 'social-insurance');
      expect(res.status, who).toBe(403);
      expect(res.body.code).toBe('identity_not_verified');
    }
    expect(await sandboxCalls()).toBe(before);
    expect(await lookupsOf('records-unverified')).toEqual([]);
  });

  it("gives a verified resident their own record, read from the sandbox through the real adapter, and audits who read which kind when — never the ID number", async () => {
    const owner = await residentWithProfile('records-owner', 704);
    const before = await sandboxCalls();
    const res = await read(owner, 'social-insurance');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = sandboxRecord('social-insurance', idNumberFor(704), shanghaiDate(new Date()))!;
    expect(res.body).toMatchObject({ kind: 'social-insurance', ...expected });
    expect(await sandboxCalls()).toBe(before + 1);

    const [audit, ...more] = await lookupsOf('records-owner');
    expect(more).toEqual([]);
    expect(audit).toMatchObject({ residentId: 'records-owner', kind: 'social-insurance', actor: 'records-owner', actorRole: 'resident', cached: false, outcome: 'shown' });
    expect(JSON.stringify(audit)).not.toContain(idNumberFor(704));
  });

  it('answers each of the three systems in its own shape', async () => {
    const owner = await residentWithProfile('records-three', 706);
    const medical = await read(owner, 'medical-insurance');
    expect(medical.status).toBe(200);
    expect(medical.body).toMatchObject({ kind: 'medical-insurance', balance: expect.any(Number), recentClaims: expect.any(Array), settle: null });
    const fund = await read(owner, 'housing-fund');
    expect(fund.status).toBe(200);
    expect(fund.body).toMatchObject({ kind: 'housing-fund', balance: expect.any(Number), monthlyDeposit: expect.any(Number), withdrawals: expect.any(Array), settle: null });
    expect((await read(owner, 'pension')).status).toBe(400);
  });

  it('reuses an answer for a minute: a second look asks the provider nothing, and is audited all the same', async () => {
    const owner = await residentWithProfile('records-cached', 708);
    expect((await read(owner, 'housing-fund')).status).toBe(200);
    const calls = await sandboxCalls();
    const again = await read(owner, 'housing-fund');
    expect(again.status).toBe(200);
    expect(await sandboxCalls()).toBe(calls);
    expect((await lookupsOf('records-cached')).map((a) => a.cached)).toEqual([false, true]);
  });

  it("lets a clerk read the swiped resident's record at the counter, audited under the clerk and centre, and nobody else's", async () => {
    await residentWithProfile('records-at-counter', 710);
    const res = await invoke(getResidentRecord, 'GET /records/{kind}', { caller: CLERK, params: { kind: 'social-insurance' }, query: { idNumber: idNumberFor(710) } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('social-insurance');
    expect(await lookupsOf('records-at-counter')).toEqual([expect.objectContaining({ actor: 'records-clerk', actorRole: 'staff', centre: 'zizhuyuan', kind: 'social-insurance' })]);

    const unknown = await invoke(getResidentRecord, 'GET /records/{kind}', { caller: CLERK, params: { kind: 'social-insurance' }, query: { idNumber: idNumberFor(711) } });
    expect(unknown.status).toBe(404);
    const noCentre = await invoke(getResidentRecord, 'GET /records/{kind}', { caller: { ...CLERK, centre: '*' }, params: { kind: 'social-insurance' }, query: { idNumber: idNumberFor(710) } });
    expect(noCentre.status).toBe(403);
  });
});

describe('when the provider fails', () => {
  it('answers a provider that does not answer in time with 503, Retry-After and a problem, never a 500', async () => {
    const owner = await residentWithProfile('records-timeout', 712);
    await control('time-out-next');
    const res = await read(owner, 'medical-insurance');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body).toMatchObject({ code: 'records_unavailable', status: 503 });
    expect(await lookupsOf('records-timeout')).toEqual([expect.objectContaining({ outcome: 'unavailable', kind: 'medical-insurance' })]);
    // Nothing was cached: the next look asks again and gets the record.
    expect((await read(owner, 'medical-insurance')).status).toBe(200);
  });

  it('answers a bureau system that is down (5xx) with 503', async () => {
    const owner = await residentWithProfile('records-down', 714);
    await control('fail-next');
    const res = await read(owner, 'housing-fund');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('records_unavailable');
  });

  it('is refused by the exchange with the wrong secret, which the adapter reports as not worth retrying', async () => {
    const wrong = govRecordsClient({ endpoint: SANDBOX, appId: RECORDS_SANDBOX_KEY.appId, appSecret: 'not-the-secret' });
    const error = await wrong.lookup('social-insurance', idNumberFor(716)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordsProviderUnavailable);
    expect((error as RecordsProviderUnavailable).retryable).toBe(false);
  });

  it('reads "no record of this person" as null through the adapter, and as 404 through the route', async () => {
    const adapter = govRecordsClient({ endpoint: SANDBOX, ...RECORDS_SANDBOX_KEY });
    const first17 = '11010519800101999';
    const { checkCharacter } = await import('../../shared/domain/id-number.ts');
    expect(await adapter.lookup('housing-fund', first17 + checkCharacter(first17))).toBeNull();
    expect(await adapter.lookup('housing-fund', idNumberFor(718))).toMatchObject({ kind: 'housing-fund' });
  });
});

describe('from a record to a matter', () => {
  it('links the arrears of a social-insurance record to the back-payment matter with the months prefilled, which the declaration takes', async () => {
    const owes = await residentWithProfile('records-arrears', 720);
    const record = await read(owes, 'social-insurance');
    expect(record.body.arrears).toHaveLength(2);
    expect(record.body.settle).toEqual({ matter: 'social-insurance-backpay', prefill: { months: record.body.arrears.map((a: { month: string }) => a.month) } });
    const declared = await invoke(submitCase, 'POST /cases', {
      caller: owes,
      body: { matter: 'social-insurance-backpay', materials: [{ type: 'id-card', ref: 'a' }, { type: 'labor-contract', ref: 'b' }, { type: 'wage-statement', ref: 'c' }], note: backpayNote(record.body.settle.prefill.months) },
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect(declared.body.note).toBe(backpayNote(record.body.settle.prefill.months));

    const paidUp = await residentWithProfile('records-paid-up', 721);
    const clean = await read(paidUp, 'social-insurance');
    expect(clean.body.arrears).toEqual([]);
    expect(clean.body.settle).toBeNull();
  });
});
