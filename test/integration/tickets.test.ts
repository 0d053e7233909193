// The counter's queue against DynamoDB Local: walk-in tickets from the appointments' number sequence,
// checked-in appointments ahead of walk-ins, call-next races with exactly one winner per ticket, skip and
// rejoin, recall and done, the near-turn SMS, the hall display and the counter's statistics.

import { describe, expect, it } from 'vitest';
import { handler as checkIn } from '../../functions/appointments/check-in-appointment.ts';
import { handler as getStats } from '../../functions/stats/get-stats.ts';
import { handler as callNext } from '../../functions/tickets/call-next.ts';
import { handler as finishTicket } from '../../functions/tickets/finish-ticket.ts';
import { handler as getDisplay } from '../../functions/tickets/get-display.ts';
import { handler as issueTicket } from '../../functions/tickets/issue-ticket.ts';
import { handler as recallTicket } from '../../functions/tickets/recall-ticket.ts';
import { handler as skipTicket } from '../../functions/tickets/skip-ticket.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { nextTicketSequence } from '../../shared/data/appointments.ts';
import { getTicket } from '../../shared/data/tickets.ts';
import { appointmentToday, idNumberFor, phoneFor, residentWithProfile, today } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';

const clerk = (n: number, centre?: string): TestCaller => ({ sub: `clerk-${n}`, role: 'staff', categories: ['employment'], ...(centre ? { centre } : {}) });
const CLERK = clerk(1);

const issue = (body: Record<string, unknown>, caller = CLERK) => invoke(issueTicket, 'POST /tickets', { caller, body });
const call = (category: string, window: string, caller = CLERK) =>
  invoke(callNext, 'POST /windows/{category}/call-next', { caller, params: { category }, body: { window } });
const act = (handler: typeof skipTicket, verb: string, id: string, caller = CLERK) => invoke(handler, `POST /tickets/{id}/${verb}`, { caller, params: { id } });
const display = (centre = 'zizhuyuan') => invoke(getDisplay, 'GET /display', { query: { centre } });
const section = async (category: string, centre = 'zizhuyuan') =>
  (await display(centre)).body.categories.find((c: { category: string }) => c.category === category);

const appointmentAt = (residentId: string, category: string, time: string) => appointmentToday({ residentId, category, time, residentName: '钱小红' });

describe('POST /tickets (现场取号)', () => {
  it('gives out the next number of the day’s sequence appointments use, with how many wait before it', async () => {
    await residentWithProfile('walk-in-named', 300, '孙丽华');
    const first = await issue({ category: 'social-insurance' });
    const second = await issue({ category: 'social-insurance', userId: 'walk-in-named' });

    expect(first).toMatchObject({
      status: 201,
      body: { ticket: 'S-001', centre: 'zizhuyuan', category: 'social-insurance', date: today(), status: 'waiting', ahead: 0 },
    });
    expect(first.body.id).toBe(`T${today().replaceAll('-', '')}-ZZY-S001`);
    expect(second.body).toMatchObject({ ticket: 'S-002', ahead: 1, name: '孙*华' });
    expect(await nextTicketSequence('zizhuyuan', 'social-insurance', today())).toBe(3);
  });

  it('refuses an unknown category or field (400) and an unknown resident (422)', async () => {
    const unknownUser = await issue({ category: 'social-insurance', userId: 'nobody-here' });
    const badCategory = await issue({ category: 'passports' });
    const extra = await issue({ category: 'social-insurance', name: '张三' });

    expect(unknownUser).toMatchObject({ status: 422, body: { errors: [{ path: 'userId' }] } });
    expect(badCategory).toMatchObject({ status: 400, body: { errors: [{ path: 'category' }] } });
    expect(extra).toMatchObject({ status: 400, body: { errors: [{ path: 'name' }] } });
  });
});

describe('POST /windows/{category}/call-next (叫号)', () => {
  it('calls three different tickets when four clerks press at once with three waiting, and tells the fourth queue_empty', async () => {
    const issued = [await issue({ category: 'employment' }), await issue({ category: 'employment' }), await issue({ category: 'employment' })];

    const answers = await Promise.all([1, 2, 3, 4].map((n) => call('employment', String(n), clerk(n))));

    const called = answers.filter((a) => a.status === 200);
    expect(called.map((a) => a.body.ticket).sort()).toEqual(issued.map((t) => t.body.ticket).sort());
    expect(answers.filter((a) => a.status === 404)).toMatchObject([{ body: { code: 'queue_empty' } }]);
    for (const a of called) {
      expect(await getTicket(a.body.id)).toMatchObject({ status: 'called', window: a.body.window, calledBy: `clerk-${a.body.window}` });
    }
  });

  it('calls checked-in appointments whose slot has begun before walk-ins, each by number, and keeps an early one until its slot', async () => {
    await residentWithProfile('appt-begun', 301);
    await residentWithProfile('appt-early', 302);
    const walkIn = await issue({ category: 'medical-insurance' });
    const early = await appointmentAt('appt-early', 'medical-insurance', '23:59');
    const begun = await appointmentAt('appt-begun', 'medical-insurance', '00:00');
    const checkedInEarly = await invoke(checkIn, 'POST /appointments/{id}/check-in', { caller: CLERK, params: { id: early.id } });
    await invoke(checkIn, 'POST /appointments/{id}/check-in', { caller: CLERK, params: { id: begun.id } });

    const order = [await call('medical-insurance', '5'), await call('medical-insurance', '5'), await call('medical-insurance', '5')];

    expect(checkedInEarly.body).toMatchObject({ status: 'checked_in', ticketId: `T${today().replaceAll('-', '')}-ZZY-${early.ticket.replace('-', '')}` });
    expect(order.map((o) => o.body.ticket ?? o.body.code)).toEqual([begun.ticket, walkIn.body.ticket, 'queue_empty']);
    expect(order[0]!.body.name).toBe('钱*红');
    expect(await getTicket(checkedInEarly.body.ticketId)).toMatchObject({ status: 'waiting', kind: 'appointment' });
    // The counter moved on: the ticket it served before is done.
    expect(await getTicket(order[0]!.body.id)).toMatchObject({ status: 'done' });
  });

  it('answers 404 queue_empty for an empty window, and a clerk of another centre reaches only their own centre’s queue', async () => {
    await issue({ category: 'housing-civil' });

    const far = await call('housing-civil', '1', clerk(9, 'balizhuang'));
    const empty = await call('family-health', '1');

    expect(far).toMatchObject({ status: 404, body: { code: 'queue_empty' } });
    expect(empty).toMatchObject({ status: 404, body: { code: 'queue_empty' } });
    expect((await section('housing-civil')).waiting).toBe(1);
  });
});

describe('skip (过号), recall and done', () => {
  it('sends a skipped ticket to the end of the queue once, and removes it on the second skip', async () => {
    const a = await issue({ category: 'social-assistance' });
    const b = await issue({ category: 'social-assistance' });

    const firstCall = await call('social-assistance', '2');
    const skipped = await act(skipTicket, 'skip', a.body.id);
    const c = await issue({ category: 'social-assistance' });
    const next = [await call('social-assistance', '2'), await call('social-assistance', '2')];
    const secondSkip = await act(skipTicket, 'skip', a.body.id);
    const last = await call('social-assistance', '2');

    expect(firstCall.body.ticket).toBe(a.body.ticket);
    expect(skipped).toMatchObject({ status: 200, body: { status: 'waiting', skips: 1, ahead: 1 } });
    // b was waiting before the skip; a rejoined after it; c came after a rejoined.
    expect(next.map((n) => n.body.ticket)).toEqual([b.body.ticket, a.body.ticket]);
    expect(secondSkip).toMatchObject({ status: 200, body: { status: 'skipped', skips: 2 } });
    expect(last.body.ticket).toBe(c.body.ticket);
    expect(await act(skipTicket, 'skip', a.body.id)).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect(await nextTicketSequence('zizhuyuan', 'social-assistance', today())).toBe(4);
  });

  it('recalls a called ticket for the hall to announce again, finishes it once, and refuses other centres with 404', async () => {
    const t = await issue({ category: 'family-health' });
    const called = await call('family-health', '7');
    const before = (await section('family-health')).serving;

    const recalled = await act(recallTicket, 'recall', t.body.id);
    const after = (await section('family-health')).serving;
    const far = await act(finishTicket, 'done', t.body.id, clerk(9, 'balizhuang'));
    const done = await act(finishTicket, 'done', t.body.id);
    const again = await act(finishTicket, 'done', t.body.id);

    expect(called.body).toMatchObject({ ticket: t.body.ticket, window: '7', status: 'called' });
    expect(before).toMatchObject([{ ticket: t.body.ticket, window: '7' }]);
    expect(recalled).toMatchObject({ status: 200, body: { status: 'called' } });
    expect(after[0].announcedAt >= before[0].announcedAt).toBe(true);
    expect(far).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(done).toMatchObject({ status: 200, body: { status: 'done', doneAt: expect.any(String) } });
    expect(again).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect((await section('family-health')).serving).toEqual([]);
  });
});

describe('near-turn SMS', () => {
  it('texts a resident once when two places are left before the window, and nobody without a known phone', async () => {
    const residents = await Promise.all([310, 311, 312, 313].map((n) => residentWithProfile(`near-${n}`, n)));
    await issue({ category: 'employment' }, clerk(2, 'huilongguan'));
    for (const r of residents) await issue({ category: 'employment', userId: r.sub }, clerk(2, 'huilongguan'));

    await call('employment', '1', clerk(2, 'huilongguan'));
    await call('employment', '1', clerk(2, 'huilongguan'));

    const texts = readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.template === 'queue-near-turn');
    // After the first call E-002…E-005 wait: E-004 (near-312) is two places away; after the second, E-005.
    expect(texts.map((m) => m.to)).toEqual([phoneFor(312), phoneFor(313)]);
    expect(texts[0]!.body).toMatch(/^【智慧社区】您在就业服务窗口的号码E-004前面还有2位/);
    await call('employment', '1', clerk(2, 'huilongguan'));
    expect(readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.template === 'queue-near-turn')).toHaveLength(2);
  });
});

describe('GET /display (the hall screens)', () => {
  it('shows per window who is served where, the next three, how many wait and the average wait, with masked names only', async () => {
    const names = ['周建国', '吴秀兰', '郑强', '王芳', '冯志明'];
    for (const [i, name] of names.entries()) await residentWithProfile(`hall-${i}`, 320 + i, name);
    for (let i = 0; i < names.length; i++) await issue({ category: 'social-insurance', userId: `hall-${i}` }, clerk(3, 'balizhuang'));
    await call('social-insurance', 'A1', clerk(3, 'balizhuang'));

    const res = await display('balizhuang');
    const social = res.body.categories.find((c: { category: string }) => c.category === 'social-insurance');

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(res.body).toMatchObject({ centre: 'balizhuang', date: today(), updatedAt: expect.any(String) });
    expect(res.body.categories).toHaveLength(6);
    expect(social).toEqual({
      category: 'social-insurance',
      name: '社会保险',
      serving: [{ ticket: 'S-001', window: 'A1', name: '周*国', announcedAt: expect.any(String) }],
      next: ['S-002', 'S-003', 'S-004'],
      waiting: 4,
      avgWaitMinutes: 0,
    });
    const text = JSON.stringify(res.body);
    for (const [i, name] of names.entries()) {
      expect(text).not.toContain(name);
      expect(text).not.toContain(phoneFor(320 + i).slice(3));
      expect(text).not.toContain(idNumberFor(320 + i));
    }
  });

  it('shows an empty hall for a centre with no queue today, and refuses an unknown centre with 400', async () => {
    const quiet = await display('huilongguan');
    const unknown = await invoke(getDisplay, 'GET /display', { query: { centre: 'atlantis' } });

    expect(quiet.body.categories.find((c: { category: string }) => c.category === 'medical-insurance')).toEqual({
      category: 'medical-insurance',
      name: '医疗保障',
      serving: [],
      next: [],
      waiting: 0,
      avgWaitMinutes: null,
    });
    expect(unknown).toMatchObject({ status: 400, body: { errors: [{ path: 'query.centre' }] } });
  });

  it('answers the function URL the screens poll in AWS exactly as the API route, bad input included', async () => {
    const viaUrl = (centre: string) => invoke(getDisplay, 'GET /display', { query: { centre }, functionUrl: true });
    const [url, api] = [await viaUrl('balizhuang'), await display('balizhuang')];

    expect(url.status).toBe(200);
    expect(url.headers['cache-control']).toBe(api.headers['cache-control']);
    expect({ ...url.body, updatedAt: undefined }).toEqual({ ...api.body, updatedAt: undefined });
    expect(await viaUrl('atlantis')).toMatchObject({ status: 400, body: { errors: [{ path: 'query.centre' }] } });
  });
});

describe('the counter in GET /stats', () => {
  it('counts tickets issued and served with the average wait and service per window and for the centre', async () => {
    const t = await issue({ category: 'housing-civil' }, clerk(4, 'huilongguan'));
    await call('housing-civil', '3', clerk(4, 'huilongguan'));
    await act(finishTicket, 'done', t.body.id, clerk(4, 'huilongguan'));

    const res = await invoke(getStats, 'GET /stats', { caller: { sub: 'sup-hlg', role: 'supervisor', centre: 'huilongguan' } });

    expect(res.body.categories.find((c: { category: string }) => c.category === 'housing-civil')).toMatchObject({
      centre: 'huilongguan',
      ticketsIssued: 1,
      ticketsServed: 1,
      avgWaitMinutes: expect.any(Number),
      avgServiceMinutes: expect.any(Number),
    });
    expect(res.body.centres).toEqual([
      // The centre's job applications and hires come beside its counter figures (issue 20): none here.
      { centre: 'huilongguan', ticketsIssued: expect.any(Number), ticketsServed: expect.any(Number), avgWaitMinutes: expect.any(Number), avgServiceMinutes: expect.any(Number), jobApplications: 0, jobHires: 0 },
    ]);
    expect(res.body.centres[0].ticketsServed).toBeGreaterThanOrEqual(1);
  });
});
