// The counter acting for residents, on the real case-approval ASL: a clerk declares a matter for a resident
// (帮办代办), registers a walk-in without an account and serves them, the resident later takes the walk-in
// profile over; approved matters that need a visit wait at the window until collected; and the ID-card
// swipe shows all of it.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as collectCase } from '../../functions/cases/collect-case.ts';
import { handler as declareForResident } from '../../functions/cases/declare-for-resident.ts';
import { handler as getCaseHandler } from '../../functions/cases/get-case.ts';
import { handler as listCases } from '../../functions/cases/list-cases.ts';
import { handler as claimProfile } from '../../functions/residents/claim-profile.ts';
import { handler as findResident } from '../../functions/residents/find-resident.ts';
import { handler as getMe } from '../../functions/residents/get-me.ts';
import { handler as registerWalkIn } from '../../functions/residents/register-walk-in.ts';
import { handler as decideTask } from '../../functions/tasks/decide-task.ts';
import { handler as issueTicket } from '../../functions/tickets/issue-ticket.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import type { AslWorkflowEngine } from '../../infra/local/workflow-engine.ts';
import { createCase, getCase } from '../../shared/data/cases.ts';
import { findResidentByIdNumber, saveResident } from '../../shared/data/id-numbers.ts';
import { getResident } from '../../shared/data/residents.ts';
import { ticketsOfResidentOn } from '../../shared/data/tickets.ts';
import type { Case } from '../../shared/domain/cases.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { idNumberFor, phoneFor, residentWithProfile, today } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { caseReaches, startEngine, stepPending } from '../support/workflow-harness.ts';

const CLERK: TestCaller = { sub: 'clerk-counter', role: 'staff', categories: ['social-insurance'] };
const FAR_CLERK: TestCaller = { sub: 'clerk-far', role: 'staff', categories: ['social-insurance'], centre: 'balizhuang' };
const SUPERVISOR: TestCaller = { sub: 'sup-counter', role: 'supervisor' };
const BACKPAY = [{ type: 'id-card', ref: 'counter://id' }, { type: 'labor-contract', ref: 'counter://contract' }, { type: 'wage-statement', ref: 'counter://wages' }];
const RETIREMENT = [{ type: 'id-card', ref: 'counter://id' }, { type: 'personnel-file', ref: 'counter://file' }];

const withCheck = (first17: string) => first17 + checkCharacter(first17);
const outbox = () => readOutbox(process.env.OUTBOX_FILE!);
const declare = (userId: string, body: Record<string, unknown>, caller = CLERK) =>
  invoke(declareForResident, 'POST /residents/{userId}/cases', { caller, params: { userId }, body });
const swipe = (idNumber: string, caller = CLERK) => invoke(findResident, 'GET /residents', { caller, query: { idNumber } });

let engine: AslWorkflowEngine;
beforeAll(() => {
  engine = startEngine();
});
afterAll(async () => {
  await engine?.stop();
});

describe('POST /residents/{userId}/cases (帮办代办)', () => {
  it('declares the matter as the resident’s case: they list it and get the SMS, the first history entry names the clerk', async () => {
    const resident = await residentWithProfile('counter-helped', 500);

    const res = await declare('counter-helped', { matter: 'social-insurance-backpay', materials: BACKPAY });
    await caseReaches(res.body.id, (c) => c.status === 'in_review');
    const mine = await invoke(listCases, 'GET /cases', { caller: resident });

    expect(res).toMatchObject({ status: 201, body: { status: 'submitted', matter: 'social-insurance-backpay' } });
    expect(res.body.history[0]).toMatchObject({ status: 'submitted', actor: '社会保险窗口', note: '窗口代办' });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    expect((await getCase(res.body.id))?.residentId).toBe('counter-helped');
    expect(outbox().filter((m) => m.to === phoneFor(500)).map((m) => m.template)).toEqual(['case-accepted']);
  });

  it('is 404 for staff of another centre and for a resident who does not exist; a material of another matter is 400', async () => {
    await residentWithProfile('counter-far', 501);

    const far = await declare('counter-far', { matter: 'social-insurance-backpay', materials: BACKPAY }, FAR_CLERK);
    const nobody = await declare('no-such-resident', { matter: 'social-insurance-backpay', materials: BACKPAY });
    const wrongMaterial = await declare('counter-far', { matter: 'social-insurance-backpay', materials: [{ type: 'invoice', ref: 'x' }] });

    expect(far).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(nobody).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(wrongMaterial).toMatchObject({ status: 400, body: { errors: [{ path: 'materials.0.type' }] } });
  });
});

describe('collection at the window (needsVisit)', () => {
  it('approves a matter that needs a visit as awaiting collection, says where in the SMS, and marks it collected once', async () => {
    const resident = await residentWithProfile('counter-retiree', 502);
    // The fixtures are born in 1980, too young to retire: this resident is a woman born in 1950.
    const older = { ...(await getResident('counter-retiree'))!, idNumber: withCheck('11010519500101002'), birthDate: '1950-01-01', sex: 'female' as const };
    await saveResident(older);
    const declared = await declare('counter-retiree', { matter: 'retirement', materials: RETIREMENT });
    const id = declared.body.id as string;
    await stepPending(`${id}-R1S1`);
    await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: CLERK, params: { id: `${id}-R1S1` }, body: { decision: 'approve' } });
    await stepPending(`${id}-R1S2`);
    await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: SUPERVISOR, params: { id: `${id}-R1S2` }, body: { decision: 'approve' } });
    const approved = await caseReaches(id, (c) => c.status === 'approved');

    const swiped = await swipe(older.idNumber);
    const far = await invoke(collectCase, 'POST /cases/{id}/collect', { caller: FAR_CLERK, params: { id } });
    const collected = await invoke(collectCase, 'POST /cases/{id}/collect', { caller: CLERK, params: { id } });
    const again = await invoke(collectCase, 'POST /cases/{id}/collect', { caller: CLERK, params: { id } });
    const seen = await invoke(getCaseHandler, 'GET /cases/{id}', { caller: resident, params: { id } });

    expect(approved.collection).toEqual({ status: 'awaiting' });
    const sms = await vi.waitFor(() => outbox().find((m) => m.to === phoneFor(502) && m.template === 'case-approved-collect')!, { timeout: 10_000, interval: 50 });
    expect(sms.body).toContain('请携带身份证到紫竹院街道便民服务中心窗口领取办理结果');
    expect(swiped.body.awaitingCollection.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(swiped.body.recentlyDecided.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(far).toMatchObject({ status: 404 });
    expect(collected).toMatchObject({ status: 200, body: { status: 'approved', collection: { status: 'collected', at: expect.any(String) } } });
    expect(again).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect(seen.body.collection.status).toBe('collected');
    expect(seen.body.history.at(-1)).toMatchObject({ actor: '社会保险窗口', note: '居民已到窗口领取办理结果' });
    expect((await swipe(older.idNumber)).body.awaitingCollection).toEqual([]);
  });

  it('approves a matter without a visit as before: nothing to collect (409)', async () => {
    await residentWithProfile('counter-backpay', 503);
    const declared = await declare('counter-backpay', { matter: 'social-insurance-backpay', materials: BACKPAY });
    await stepPending(`${declared.body.id}-R1S1`);
    await invoke(decideTask, 'POST /tasks/{id}/decision', { caller: CLERK, params: { id: `${declared.body.id}-R1S1` }, body: { decision: 'approve' } });
    const approved = await caseReaches(declared.body.id, (c) => c.status === 'approved');

    expect(approved.collection).toBeUndefined();
    await vi.waitFor(() => expect(outbox().filter((m) => m.to === phoneFor(503)).at(-1)).toMatchObject({ template: 'case-approved' }), { timeout: 10_000, interval: 50 });
    expect(await invoke(collectCase, 'POST /cases/{id}/collect', { caller: CLERK, params: { id: declared.body.id } })).toMatchObject({ status: 409 });
  });
});

describe('a walk-in without an account', () => {
  const card = { name: '陈桂兰', idNumber: idNumberFor(510), phone: '13900005100', community: 'zizhuyuan' };

  it('is registered from the card, given a number, has a matter declared, and takes it all over after signing in', async () => {
    const registered = await invoke(registerWalkIn, 'POST /residents', { caller: CLERK, body: card });
    const walkInId = registered.body.userId as string;
    const ticket = await invoke(issueTicket, 'POST /tickets', { caller: CLERK, body: { category: 'social-insurance', userId: walkInId } });
    const declared = await declare(walkInId, { matter: 'social-insurance-backpay', materials: BACKPAY });
    await caseReaches(declared.body.id, (c) => c.status === 'in_review');
    const swiped = await swipe(card.idNumber);

    expect(registered).toMatchObject({
      status: 201,
      body: { name: '陈桂兰', idNumber: `110105********${card.idNumber.slice(14)}`, phone: '+86139****5100', verification: { method: 'counter', by: 'clerk-counter' } },
    });
    expect(walkInId).toMatch(/^walk-in-/);
    expect(ticket.body).toMatchObject({ status: 'waiting', name: '陈*兰' });
    expect(swiped.body).toMatchObject({ userId: walkInId, openCases: [{ id: declared.body.id }], todaysTickets: [{ id: ticket.body.id, status: 'waiting' }] });
    expect(outbox().filter((m) => m.to === '+8613900005100').map((m) => m.template)).toEqual(['case-accepted']);

    const signedIn: TestCaller = { sub: 'cognito-chen', role: 'resident', phone: '+8613900005100' };
    const claimed = await invoke(claimProfile, 'POST /me/claim', { caller: signedIn, body: { idNumber: card.idNumber } });
    const again = await invoke(claimProfile, 'POST /me/claim', { caller: signedIn, body: { idNumber: card.idNumber } });

    expect(claimed).toMatchObject({ status: 200, body: { name: '陈桂兰', idNumber: card.idNumber, phone: '+8613900005100', community: 'zizhuyuan' } });
    expect(again).toMatchObject({ status: 200, body: { idNumber: card.idNumber } });
    expect((await invoke(getMe, 'GET /me', { caller: signedIn })).body).toMatchObject({ name: '陈桂兰' });
    expect((await invoke(listCases, 'GET /cases', { caller: signedIn })).body.items.map((c: { id: string }) => c.id)).toEqual([declared.body.id]);
    expect((await ticketsOfResidentOn('cognito-chen', today())).map((t) => t.id)).toEqual([ticket.body.id]);
    expect(await ticketsOfResidentOn(walkInId, today())).toEqual([]);
    expect(await getResident(walkInId)).toBeUndefined();
    expect((await findResidentByIdNumber(card.idNumber))?.userId).toBe('cognito-chen');
    expect((await swipe(card.idNumber)).body).toMatchObject({ userId: 'cognito-chen', verification: { method: 'counter' } });
  });

  it('refuses an ID number a clerk registered already (409), and a claim by another phone or without one, or by an account with a profile', async () => {
    const other = { ...card, name: '林海', idNumber: idNumberFor(511), phone: '13900005110' };
    await invoke(registerWalkIn, 'POST /residents', { caller: CLERK, body: other });
    // A counter registration outranks any other claim (README "Identity"); only another clerk's registration holds against it.
    const taken = await invoke(registerWalkIn, 'POST /residents', { caller: CLERK, body: { ...other, phone: '13900005119' } });
    await residentWithProfile('has-profile', 512);

    const wrongPhone = await invoke(claimProfile, 'POST /me/claim', { caller: { sub: 'stranger', role: 'resident', phone: '+8613900009999' }, body: { idNumber: other.idNumber } });
    const noPhone = await invoke(claimProfile, 'POST /me/claim', { caller: { sub: 'stranger', role: 'resident' }, body: { idNumber: other.idNumber } });
    const hasProfile = await invoke(claimProfile, 'POST /me/claim', { caller: { sub: 'has-profile', role: 'resident', phone: '+8613900005110' }, body: { idNumber: other.idNumber } });
    const notAWalkIn = await invoke(claimProfile, 'POST /me/claim', { caller: { sub: 'stranger', role: 'resident', phone: phoneFor(500) }, body: { idNumber: idNumberFor(500) } });

    expect(taken).toMatchObject({ status: 409, body: { code: 'id_number_in_use' } });
    expect(wrongPhone).toMatchObject({ status: 404 });
    expect(noPhone).toMatchObject({ status: 403 });
    expect(hasProfile).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect(notAWalkIn).toMatchObject({ status: 404 });
  });

  it('moves a walk-in with more records than one transaction holds in a sequence that resumes where an earlier attempt stopped', async () => {
    const many = { ...card, name: '何大伟', idNumber: idNumberFor(520), phone: '13900005200' };
    const walkInId = (await invoke(registerWalkIn, 'POST /residents', { caller: CLERK, body: many })).body.userId as string;
    const at = new Date().toISOString();
    // An earlier attempt that stopped half-way had moved the first ten already.
    const cases: Case[] = Array.from({ length: 130 }, (_, i) => ({
      id: `C20260101-${String(8000 + i).padStart(4, '0')}`,
      residentId: i < 10 ? 'cognito-he' : walkInId,
      centre: 'zizhuyuan',
      matter: 'social-insurance-backpay',
      category: 'social-insurance',
      status: 'approved',
      round: 1,
      submittedAt: at,
      dueDate: null,
      currentStep: null,
      plan: null,
      materials: [],
      missingMaterials: [],
      history: [{ at, status: 'approved', actor: 'clerk-counter' }],
    }));
    for (const c of cases) await createCase(c);

    const claimed = await invoke(claimProfile, 'POST /me/claim', { caller: { sub: 'cognito-he', role: 'resident', phone: '+8613900005200' }, body: { idNumber: many.idNumber } });
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await invoke(listCases, 'GET /cases', { caller: { sub: 'cognito-he', role: 'resident' }, query: { limit: '100', ...(cursor ? { cursor } : {}) } });
      ids.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);

    expect(claimed.status).toBe(200);
    expect(ids).toHaveLength(130);
    expect((await getCase(cases[129]!.id))?.residentId).toBe('cognito-he');
    expect(await getResident(walkInId)).toBeUndefined();
  });
});
