import { describe, expect, it } from 'vitest';
import { handler as bookAppointment } from '../../functions/appointments/book-appointment.ts';
import { handler as cancelAppointment } from '../../functions/appointments/cancel-appointment.ts';
import { handler as listAppointments } from '../../functions/appointments/list-appointments.ts';
import { handler as listSlots } from '../../functions/appointments/list-slots.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { bookAppointment as storeBooking, getAppointment } from '../../shared/data/appointments.ts';
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

  it('refuses a second active booking on the same day with 409 duplicate_appointment, and allows it after a cancel', async () => {
    const resident = await residentWithProfile('twice', 2);
    const date = secondWorkingDay();
    const first = await book(resident, { category: 'housing-civil', date, time: '09:30' });

    const second = await book(resident, { category: 'family-health', date, time: '10:00' });
    await cancel(resident, first.body.id);
    const afterCancel = await book(resident, { category: 'family-health', date, time: '10:00' });

    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 409, body: { code: 'duplicate_appointment' } });
    expect(afterCancel.status).toBe(201);
    expect(await availableAt(resident, 'housing-civil', date, '09:30')).toBe(2);
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
