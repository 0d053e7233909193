import { describe, expect, it } from 'vitest';
import { handler as bookAppointment } from '../../functions/appointments/book-appointment.ts';
import { handler as cancelAppointment } from '../../functions/appointments/cancel-appointment.ts';
import { handler as listAppointments } from '../../functions/appointments/list-appointments.ts';
import { handler as listSlots } from '../../functions/appointments/list-slots.ts';
import { handler as rescheduleAppointment } from '../../functions/appointments/reschedule-appointment.ts';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { migrateDayClaimsPerWindow } from '../../infra/local/migrations.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { bookAppointment as storeBooking, getAppointment } from '../../shared/data/appointments.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { appointmentKeys } from '../../shared/data/keys.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import {
  lastWorkingDayBefore,
  nextClosedWeekend,
  nextWeekdayHoliday,
  nextWorkingDay,
  phoneFor,
  residentWithProfile,
  secondWorkingDay,
  today,
} from '../support/appointment-fixtures.ts';

const book = (caller: TestCaller, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  invoke(bookAppointment, 'POST /appointments', { caller, body, headers });
const cancel = (caller: TestCaller, id: string) => invoke(cancelAppointment, 'DELETE /appointments/{id}', { caller, params: { id } });
const slots = (caller: TestCaller, category: string, date: string, centre?: string) =>
  invoke(listSlots, 'GET /slots', { caller, query: { category, date, ...(centre ? { centre } : {}) } });

async function availableAt(caller: TestCaller, category: string, date: string, time: string): Promise<number> {
  const res = await slots(caller, category, date, 'zizhuyuan');
  expect(res.status).toBe(200);
  return res.body.find((slot: { time: string }) => slot.time === time).available;
}

describe('booking a slot under a race', () => {
  it('gives exactly capacity places to capacity + 6 simultaneous residents, 409 slot_full to the rest, and one cancel frees exactly one', async () => {
    // Prepare: social insurance has 3 windows, so 3 places a slot; 9 residents with profiles.
    const date = nextWorkingDay();
    const residents = await Promise.all(Array.from({ length: 9 }, (_, i) => residentWithProfile(`racer-${i}`, 100 + i)));

    // Act
    const answers = await Promise.all(residents.map((r) => book(r, { category: 'social-insurance', date, time: '09:00' })));

    // Assess
    const winners = answers.filter((a) => a.status === 201);
    const losers = answers.filter((a) => a.status === 409);
    expect(winners).toHaveLength(3);
    expect(losers).toHaveLength(6);
    for (const loser of losers) expect(loser.body.code).toBe('slot_full');
    expect(await availableAt(residents[0]!, 'social-insurance', date, '09:00')).toBe(0);

    const winnerIndex = answers.findIndex((a) => a.status === 201);
    const winnerId = answers[winnerIndex]!.body.id;
    const [first, second] = await Promise.all([cancel(residents[winnerIndex]!, winnerId), cancel(residents[winnerIndex]!, winnerId)]);
    expect([first.status, second.status].sort()).toEqual([204, 409]);
    expect(await availableAt(residents[0]!, 'social-insurance', date, '09:00')).toBe(1);
    expect(await cancel(residents[winnerIndex]!, winnerId)).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect(await availableAt(residents[0]!, 'social-insurance', date, '09:00')).toBe(1);

    const loserIndex = answers.findIndex((a) => a.status === 409);
    const retry = await book(residents[loserIndex]!, { category: 'social-insurance', date, time: '09:00' });
    expect(retry.status).toBe(201);
    expect(await availableAt(residents[0]!, 'social-insurance', date, '09:00')).toBe(0);
  });

  it('hands out ticket numbers that are unique and increasing under 20 simultaneous bookings', async () => {
    const date = nextWorkingDay();
    const residents = await Promise.all(Array.from({ length: 21 }, (_, i) => residentWithProfile(`ticket-${i}`, 200 + i)));
    const times = ['09:00', '09:30', '10:00', '10:30', '11:00', '13:30', '14:00', '14:30', '15:00', '15:30'];

    const answers = await Promise.all(
      residents.slice(0, 20).map((r, i) => book(r, { category: 'medical-insurance', date, time: times[i % times.length] })),
    );
    const later = await book(residents[20]!, { category: 'medical-insurance', date, time: '16:00' });

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const tickets = answers.map((a) => a.body.ticket as string);
    expect(new Set(tickets).size).toBe(20);
    const sequences = tickets.map((t) => Number(t.slice(2))).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const ticket of tickets) expect(ticket).toMatch(/^M-\d{3}$/);
    expect(later.body.ticket).toBe('M-021');
  });
});

describe('POST /appointments', () => {
  it('books, answers 201 with the ticket, and sends an SMS naming ticket, window, date and time', async () => {
    const resident = await residentWithProfile('booker', 1);
    const date = nextWorkingDay();

    const res = await book(resident, { category: 'employment', date, time: '14:30', matter: 'unemployment-registration' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ticket: 'E-001', category: 'employment', date, time: '14:30', status: 'booked', matter: 'unemployment-registration' });
    expect(res.body.id).toBe(`AP${date.replaceAll('-', '')}-ZZY-E001`);
    const sms = readOutbox(process.env.OUTBOX_FILE!, phoneFor(1)).filter((m) => m.reference === res.body.id);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toBe(
      `【智慧社区】您已预约${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日14:30就业服务窗口，号码E-001，请携带身份证按时到社区服务中心办理。`,
    );
    const mine = await invoke(listAppointments, 'GET /appointments', { caller: resident });
    expect(mine.body).toMatchObject({ items: [{ id: res.body.id, ticket: 'E-001', status: 'booked' }], nextCursor: null });
  });

  it('refuses a second active booking at the same window on the same day with 409 duplicate_appointment, and allows it after a cancel', async () => {
    const resident = await residentWithProfile('twice', 2);
    const date = secondWorkingDay();
    const first = await book(resident, { category: 'housing-civil', date, time: '09:30' });

    const second = await book(resident, { category: 'housing-civil', date, time: '10:00' });
    await cancel(resident, first.body.id);
    const afterCancel = await book(resident, { category: 'housing-civil', date, time: '10:00' });

    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 409, body: { code: 'duplicate_appointment', detail: expect.stringContaining('housing-civil') } });
    expect(afterCancel.status).toBe(201);
    expect(await availableAt(resident, 'housing-civil', date, '09:30')).toBe(2);
  });

  it('lets a resident book two windows on one day (社保 then 就业 in one visit)', async () => {
    const resident = await residentWithProfile('two-windows', 4);
    const date = secondWorkingDay();

    const social = await book(resident, { category: 'social-insurance', date, time: '09:00' });
    const employment = await book(resident, { category: 'employment', date, time: '09:30' });

    expect([social.status, employment.status]).toEqual([201, 201]);
    const mine = await invoke(listAppointments, 'GET /appointments', { caller: resident });
    expect(mine.body.items.map((a: { category: string }) => a.category).sort()).toEqual(['employment', 'social-insurance']);
  });

  it('takes the window from the matter when only the matter is named, and asks for one of them when neither is', async () => {
    const resident = await residentWithProfile('matter-only', 5);

    const byMatter = await book(resident, { matter: 'retirement', date: nextWorkingDay(), time: '10:30' });
    const neither = await book(resident, { date: nextWorkingDay(), time: '10:30' });

    expect(byMatter).toMatchObject({ status: 201, body: { category: 'social-insurance', matter: 'retirement' } });
    expect(neither).toMatchObject({ status: 400, body: { errors: [{ path: 'category', message: expect.stringContaining('matter') }] } });
  });

  it('answers the first booking again for a repeated Idempotency-Key and books once', async () => {
    const resident = await residentWithProfile('retrier', 3);
    const body = { category: 'social-assistance', date: secondWorkingDay(), time: '15:00' };

    const [a, b] = await Promise.all([book(resident, body, { 'idempotency-key': 'appt-1' }), book(resident, body, { 'idempotency-key': 'appt-1' })]);
    const reused = await book(resident, { ...body, time: '15:30' }, { 'idempotency-key': 'appt-1' });

    expect(a.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(reused).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
    const mine = await invoke(listAppointments, 'GET /appointments', { caller: resident });
    expect(mine.body.items).toHaveLength(1);
  });

  it.each([
    ['a weekend', () => nextClosedWeekend(), '09:00', 'not a working day', 10],
    ['a public holiday', () => nextWeekdayHoliday(), '09:00', 'not a working day', 11],
    ['a past working day', () => lastWorkingDayBefore(today()), '09:00', 'a past date', 12],
    ['a time that is not a slot', () => nextWorkingDay(), '09:15', 'not a slot time', 13],
  ])('refuses %s with 422 business_rule', async (_, date, time, message, serial) => {
    const resident = await residentWithProfile(`refused-${serial}`, serial);

    const res = await book(resident, { category: 'social-insurance', date: date(), time });

    expect(res).toMatchObject({ status: 422, body: { code: 'business_rule', errors: [{ message }] } });
  });

  it('refuses an unknown category with 400 at category, and a matter of another window with 400 at matter', async () => {
    const resident = await residentWithProfile('confused', 14);

    const unknown = await book(resident, { category: 'tax', date: nextWorkingDay(), time: '09:00' });
    const wrongMatter = await book(resident, { category: 'employment', date: nextWorkingDay(), time: '09:00', matter: 'retirement' });

    expect(unknown).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path: 'category' }] } });
    expect(wrongMatter).toMatchObject({ status: 400, body: { errors: [{ path: 'matter' }] } });
  });

  it('asks a resident without a profile to create it first (422) and takes no place', async () => {
    const date = nextWorkingDay();

    const res = await book({ sub: 'no-profile', role: 'resident' }, { category: 'family-health', date, time: '16:00' });

    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('PUT /me');
    expect(await availableAt({ sub: 'no-profile', role: 'resident' }, 'family-health', date, '16:00')).toBe(2);
  });
});

describe('GET /slots', () => {
  it('lists every slot of a working day with its capacity and what is left', async () => {
    const resident = await residentWithProfile('looker', 20);
    const date = secondWorkingDay();
    await book(resident, { category: 'employment', date, time: '11:00' });

    const res = await slots(resident, 'employment', date);

    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(11);
    expect(res.body[0]).toEqual({ time: '09:00', capacity: 2, available: 2 });
    expect(res.body.find((s: { time: string }) => s.time === '11:00')).toEqual({ time: '11:00', capacity: 2, available: 1 });
  });

  it('answers 422 for a weekend, a holiday and a past date, 400 for an unknown category', async () => {
    const caller: TestCaller = { sub: 'looker', role: 'resident' };

    const answers = await Promise.all([
      slots(caller, 'employment', nextClosedWeekend()),
      slots(caller, 'employment', nextWeekdayHoliday()),
      slots(caller, 'employment', lastWorkingDayBefore(today())),
    ]);
    const unknown = await slots(caller, 'tax', nextWorkingDay());

    expect(answers.map((a) => a.status)).toEqual([422, 422, 422]);
    expect(unknown).toMatchObject({ status: 400, body: { errors: [{ path: 'query.category' }] } });
  });
});

describe('DELETE /appointments/{id}', () => {
  it("answers 404 for someone else's appointment and frees nothing", async () => {
    const owner = await residentWithProfile('owner', 30);
    const other = await residentWithProfile('other', 31);
    const date = secondWorkingDay();
    const booked = await book(owner, { category: 'medical-insurance', date, time: '13:30' });

    const res = await cancel(other, booked.body.id);

    expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await getAppointment(booked.body.id))?.status).toBe('booked');
    expect(await availableAt(owner, 'medical-insurance', date, '13:30')).toBe(1);
  });

  it('refuses to cancel once the slot has begun (422)', async () => {
    const resident = await residentWithProfile('latecomer', 32);
    const yesterday = lastWorkingDayBefore(today());
    await storeBooking(
      {
        id: 'AP-PAST-1',
        residentId: 'latecomer',
        centre: 'zizhuyuan',
        residentName: '居民32',
        category: 'employment',
        date: yesterday,
        time: '09:00',
        ticket: 'E-001',
        sequence: 1,
        status: 'booked',
        bookedAt: new Date().toISOString(),
      },
      2,
    );

    const res = await cancel(resident, 'AP-PAST-1');

    expect(res).toMatchObject({ status: 422, body: { code: 'business_rule' } });
    expect((await getAppointment('AP-PAST-1'))?.status).toBe('booked');
  });
});

describe('POST /appointments/{id}/reschedule', () => {
  const move = (caller: TestCaller, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    invoke(rescheduleAppointment, 'POST /appointments/{id}/reschedule', { caller, params: { id }, body, headers });

  it('moves a booking to another day in one step: a new ticket of that day, the old place free, the old one pointing at the new, an SMS', async () => {
    const resident = await residentWithProfile('mover', 40);
    const [from, to] = [secondWorkingDay(), nextWorkingDay()];
    const booked = await book(resident, { category: 'family-health', date: from, time: '13:30', matter: 'birth-permit' });

    const moved = await move(resident, booked.body.id, { date: to, time: '14:00' });

    expect(moved).toMatchObject({ status: 200, body: { category: 'family-health', matter: 'birth-permit', date: to, time: '14:00', status: 'booked' } });
    expect(moved.body.id).not.toBe(booked.body.id);
    expect(await getAppointment(booked.body.id)).toMatchObject({ status: 'cancelled', rescheduledTo: moved.body.id });
    expect(await availableAt(resident, 'family-health', from, '13:30')).toBe(2);
    expect(await availableAt(resident, 'family-health', to, '14:00')).toBe(1);
    const sms = readOutbox(process.env.OUTBOX_FILE!, phoneFor(40)).filter((m) => m.reference === moved.body.id);
    expect(sms.map((m) => m.body)).toEqual([expect.stringContaining(`号码${moved.body.ticket}`)]);
    // The claim moved with it: the old day's window is free for the resident again, the new day's is taken.
    expect((await book(resident, { category: 'family-health', date: from, time: '15:00' })).status).toBe(201);
    expect(await book(resident, { category: 'family-health', date: to, time: '15:00' })).toMatchObject({ status: 409, body: { code: 'duplicate_appointment' } });
  });

  it('moves within the same day and keeps the day claimed', async () => {
    const resident = await residentWithProfile('same-day-mover', 41);
    const date = secondWorkingDay();
    const booked = await book(resident, { category: 'medical-insurance', date, time: '09:00' });

    const moved = await move(resident, booked.body.id, { date, time: '09:30' });

    expect(moved).toMatchObject({ status: 200, body: { date, time: '09:30' } });
    expect(await availableAt(resident, 'medical-insurance', date, '09:00')).toBe(2);
    expect(await availableAt(resident, 'medical-insurance', date, '09:30')).toBe(1);
    expect(await book(resident, { category: 'medical-insurance', date, time: '10:00' })).toMatchObject({ status: 409, body: { code: 'duplicate_appointment' } });
    expect((await move(resident, moved.body.id, { date, time: '10:00' })).status).toBe(200);
  });

  it('changes nothing when the new slot is full, the window that day is booked already, or it is the same slot', async () => {
    const resident = await residentWithProfile('stuck-mover', 42);
    const [from, to] = [secondWorkingDay(), nextWorkingDay()];
    const booked = await book(resident, { category: 'housing-civil', date: from, time: '14:00' });
    for (const n of [43, 44]) await book(await residentWithProfile(`filler-${n}`, n), { category: 'housing-civil', date: to, time: '14:30' });

    const full = await move(resident, booked.body.id, { date: to, time: '14:30' });
    await book(resident, { category: 'housing-civil', date: to, time: '15:00' });
    const dayTaken = await move(resident, booked.body.id, { date: to, time: '15:30' });
    const same = await move(resident, booked.body.id, { date: from, time: '14:00' });

    expect(full).toMatchObject({ status: 409, body: { code: 'slot_full' } });
    expect(dayTaken).toMatchObject({ status: 409, body: { code: 'duplicate_appointment' } });
    expect(same).toMatchObject({ status: 422, body: { errors: [{ path: 'time' }] } });
    expect(await getAppointment(booked.body.id)).toMatchObject({ status: 'booked', date: from, time: '14:00' });
    expect(await availableAt(resident, 'housing-civil', from, '14:00')).toBe(1);
    expect(await availableAt(resident, 'housing-civil', to, '15:30')).toBe(2);
  });

  it('moves a booking once when two moves race: one 200, one 409, and exactly one new place taken', async () => {
    const resident = await residentWithProfile('racing-mover', 45);
    const date = secondWorkingDay();
    const booked = await book(resident, { category: 'social-assistance', date, time: '09:00' });

    const answers = await Promise.all([move(resident, booked.body.id, { date, time: '09:30' }), move(resident, booked.body.id, { date, time: '10:00' })]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const taken = (await Promise.all(['09:00', '09:30', '10:00'].map((time) => availableAt(resident, 'social-assistance', date, time)))).map((left) => 2 - left);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(1);
    expect(taken[0]).toBe(0);
  });

  it("answers 404 for someone else's booking and 409 for a cancelled one", async () => {
    const owner = await residentWithProfile('move-owner', 46);
    const other = await residentWithProfile('move-other', 47);
    const booked = await book(owner, { category: 'housing-civil', date: secondWorkingDay(), time: '13:30' });

    const foreign = await move(other, booked.body.id, { date: nextWorkingDay(), time: '13:30' });
    await cancel(owner, booked.body.id);
    const cancelled = await move(owner, booked.body.id, { date: nextWorkingDay(), time: '13:30' });

    expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(cancelled).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect(await availableAt(owner, 'housing-civil', nextWorkingDay(), '13:30')).toBe(2);
  });
});

describe('a day claim written when a resident could book one window a day', () => {
  it('moves to its window at start-up, so the booking still cancels and the other windows of that day are open', async () => {
    const resident = await residentWithProfile('v1-booker', 48);
    const date = secondWorkingDay();
    const booked = await book(resident, { category: 'employment', date, time: '13:30' });
    const v1Claim = { pk: `RESIDENT#${resident.sub}`, sk: `APPT-DAY#${date}` };
    const current = appointmentKeys.dayClaim(resident.sub, date, 'employment');
    await db.send(new PutCommand({ TableName: tableName, Item: { ...v1Claim, appointmentId: booked.body.id } }));
    await db.send(new DeleteCommand({ TableName: tableName, Key: current }));

    expect(await migrateDayClaimsPerWindow()).toBe(1);
    expect(await migrateDayClaimsPerWindow()).toBe(0);

    expect((await db.send(new GetCommand({ TableName: tableName, Key: v1Claim }))).Item).toBeUndefined();
    expect((await db.send(new GetCommand({ TableName: tableName, Key: current }))).Item).toMatchObject({ appointmentId: booked.body.id });
    expect(await book(resident, { category: 'employment', date, time: '14:00' })).toMatchObject({ status: 409, body: { code: 'duplicate_appointment' } });
    expect((await cancel(resident, booked.body.id)).status).toBe(204);
  });
});
