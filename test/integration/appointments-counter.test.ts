import { beforeAll, describe, expect, it } from 'vitest';
import { handler as bookAppointment } from '../../functions/appointments/book-appointment.ts';
import { handler as cancelAppointment } from '../../functions/appointments/cancel-appointment.ts';
import { handler as checkIn } from '../../functions/appointments/check-in-appointment.ts';
import { handler as listAppointments } from '../../functions/appointments/list-appointments.ts';
import { handler as remindAppointments } from '../../functions/appointments/remind-appointments.ts';
import { handler as findResident } from '../../functions/residents/find-resident.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { cancelAppointment as cancelStored, getAppointment } from '../../shared/data/appointments.ts';
import { type Appointment } from '../../shared/domain/appointments.ts';
import { createCase } from '../../shared/data/cases.ts';
import { type Case } from '../../shared/domain/cases.ts';
import { addDays } from '../../shared/domain/calendar.ts';
import type { CaseStatus } from '../../shared/domain/cases.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';
import { appointmentToday, idNumberFor, nextWorkingDay, phoneFor, residentWithProfile, secondWorkingDay, today } from '../support/appointment-fixtures.ts';

const STAFF: TestCaller = { sub: 'clerk-1', role: 'staff', categories: ['employment'] };

const book = (caller: TestCaller, body: Record<string, unknown>) => invoke(bookAppointment, 'POST /appointments', { caller, body });
const swipe = (caller: TestCaller, idNumber: string) => invoke(findResident, 'GET /residents', { caller, query: { idNumber } });
const checkInAt = (id: string) => invoke(checkIn, 'POST /appointments/{id}/check-in', { caller: STAFF, params: { id } });

const bookedToday = (residentId: string, sequence: number, category = 'social-insurance') => appointmentToday({ residentId, sequence, category });

function aCase(id: string, residentId: string, status: CaseStatus, submittedAt: string): Case {
  return {
    id,
    residentId,
    centre: 'zizhuyuan',
    matter: 'retirement',
    category: 'social-insurance',
    status,
    round: 1,
    submittedAt,
    dueDate: '2026-12-15',
    currentStep: null,
    plan: null,
    materials: [{ type: 'id-card', ref: 'oss://id.jpg' }],
    missingMaterials: [],
    history: [{ at: submittedAt, status, actor: residentId }],
  };
}

describe('GET /residents?idNumber= (ID-card swipe)', () => {
  let todays: Appointment;

  beforeAll(async () => {
    await residentWithProfile('swiped', 40, '赵六');
    await createCase(aCase('C20261101-0001', 'swiped', 'in_review', '2026-11-01T02:00:00.000Z'));
    await createCase(aCase('C20261102-0001', 'swiped', 'approved', '2026-11-02T02:00:00.000Z'));
    await createCase(aCase('C20261103-0001', 'swiped', 'returned', '2026-11-03T02:00:00.000Z'));
    todays = await bookedToday('swiped', 1);
  });

  it('answers the profile with ID number and phone masked, the open cases and today’s appointments, to staff of any window', async () => {
    const res = await swipe(STAFF, idNumberFor(40));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      userId: 'swiped',
      name: '赵六',
      idNumber: `110105********${idNumberFor(40).slice(14)}`,
      phone: `+86139****${phoneFor(40).slice(-4)}`,
      community: 'sunshine-garden',
    });
    expect(JSON.stringify(res.body)).not.toContain(idNumberFor(40));
    expect(JSON.stringify(res.body)).not.toContain(phoneFor(40));
    expect(res.body.openCases.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['C20261103-0001', 'returned'],
      ['C20261101-0001', 'in_review'],
    ]);
    expect(res.body.todaysAppointments).toMatchObject([{ id: todays.id, ticket: 'S-001', status: 'booked', residentName: '赵六' }]);
  });

  it('answers 403 to a resident, even for their own ID number', async () => {
    const res = await swipe({ sub: 'swiped', role: 'resident' }, idNumberFor(40));

    expect(res).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('answers 404 for a valid ID number nobody registered, 400 for an invalid one', async () => {
    const unknown = await swipe(STAFF, idNumberFor(999));
    const invalid = await swipe(STAFF, '110105198001010011');

    expect(unknown).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path: 'query.idNumber' }] } });
    expect(JSON.stringify(invalid.body)).not.toContain('110105198001010011');
  });
});

describe('POST /appointments/{id}/check-in', () => {
  it('checks a resident in on the day, once: again → 409', async () => {
    await residentWithProfile('arrived', 41);
    const appointment = await bookedToday('arrived', 2);

    const first = await checkInAt(appointment.id);
    const again = await checkInAt(appointment.id);

    expect(first).toMatchObject({ status: 200, body: { id: appointment.id, status: 'checked_in', checkedInBy: 'clerk-1' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
  });

  it('refuses a cancelled appointment with 409', async () => {
    const appointment = await bookedToday('changed-mind', 3);
    await cancelStored(appointment, new Date().toISOString());

    const res = await checkInAt(appointment.id);

    expect(res).toMatchObject({ status: 409, body: { code: 'invalid_state', detail: expect.stringContaining('cancelled') } });
  });

  it('refuses check-in on another day than the appointment’s with 422', async () => {
    const resident = await residentWithProfile('early-bird', 43);
    const booked = await book(resident, { category: 'housing-civil', date: nextWorkingDay(), time: '09:00' });

    const res = await checkInAt(booked.body.id);

    expect(res).toMatchObject({ status: 422, body: { code: 'business_rule' } });
    expect((await getAppointment(booked.body.id))?.status).toBe('booked');
  });

  it('answers 404 for an appointment that does not exist', async () => {
    expect((await checkInAt('AP20990101-S001')).status).toBe(404);
  });
});

describe('GET /appointments for staff', () => {
  it("lists one window's day in ticket order, page by page, with every status", async () => {
    const date = secondWorkingDay();
    const residents = await Promise.all(Array.from({ length: 5 }, (_, i) => residentWithProfile(`queue-${i}`, 50 + i)));
    const booked = [];
    for (const [i, r] of residents.entries()) booked.push(await book(r, { category: 'employment', date, time: ['09:00', '13:30', '15:00'][i % 3] }));
    await invoke(cancelAppointment, 'DELETE /appointments/{id}', { caller: residents[1]!, params: { id: booked[1]!.body.id } });

    const first = await invoke(listAppointments, 'GET /appointments', { caller: STAFF, query: { category: 'employment', date, limit: '3' } });
    const second = await invoke(listAppointments, 'GET /appointments', {
      caller: STAFF,
      query: { category: 'employment', date, limit: '3', cursor: first.body.nextCursor },
    });

    const items = [...first.body.items, ...second.body.items];
    expect(items.map((a: { ticket: string }) => a.ticket)).toEqual(['E-001', 'E-002', 'E-003', 'E-004', 'E-005']);
    expect(items.map((a: { status: string }) => a.status)).toEqual(['booked', 'cancelled', 'booked', 'booked', 'booked']);
    expect(items[0]).toMatchObject({ residentName: '居民50', time: '09:00' });
    expect(second.body.nextCursor).toBeNull();
  });

  it('needs the category from staff (400) and refuses day filters from residents (400)', async () => {
    const staff = await invoke(listAppointments, 'GET /appointments', { caller: STAFF, query: { date: today() } });
    const resident = await invoke(listAppointments, 'GET /appointments', {
      caller: { sub: 'queue-0', role: 'resident' },
      query: { category: 'employment' },
    });

    expect(staff).toMatchObject({ status: 400, body: { errors: [{ path: 'query.category' }] } });
    expect(resident).toMatchObject({ status: 400, body: { errors: [{ path: 'query.category' }] } });
  });
});

describe('reminder the day before (scheduled job)', () => {
  it('sends one SMS per appointment of tomorrow however often the job runs, and none for a cancelled one', async () => {
    const day = secondWorkingDay();
    const kept = await residentWithProfile('reminded', 60);
    const cancelled = await residentWithProfile('not-reminded', 61);
    const keptBooking = await book(kept, { category: 'family-health', date: day, time: '14:00' });
    const cancelledBooking = await book(cancelled, { category: 'family-health', date: day, time: '14:00' });
    await invoke(cancelAppointment, 'DELETE /appointments/{id}', { caller: cancelled, params: { id: cancelledBooking.body.id } });
    // 10:00 in Shanghai on the day before.
    const dayBefore = { time: `${addDays(day, -1)}T02:00:00.000Z` };

    await Promise.all([remindAppointments(dayBefore), remindAppointments(dayBefore)]);
    await remindAppointments(dayBefore);

    const reminders = readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.template === 'appointment-reminder');
    expect(reminders.filter((m) => m.reference === keptBooking.body.id)).toHaveLength(1);
    expect(reminders.filter((m) => m.reference === cancelledBooking.body.id)).toEqual([]);
    expect(reminders.find((m) => m.reference === keptBooking.body.id)).toMatchObject({
      to: phoneFor(60),
      body: `【智慧社区】提醒：您明天${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日14:00在卫生健康与计生窗口有预约，号码${keptBooking.body.ticket}，请携带身份证按时到场。`,
    });
    expect((await getAppointment(keptBooking.body.id))?.remindedAt).toBe(dayBefore.time);
  });

  it('leaves appointments of other days alone', async () => {
    const resident = await residentWithProfile('next-week', 62);
    const booked = await book(resident, { category: 'social-assistance', date: secondWorkingDay(), time: '09:30' });

    await remindAppointments({ time: `${addDays(secondWorkingDay(), -2)}T02:00:00.000Z` });

    expect(readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.template === 'appointment-reminder' && m.reference === booked.body.id)).toEqual([]);
  });
});
