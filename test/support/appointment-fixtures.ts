// Residents and dates for the appointment tests. Dates are computed from today with the working-day
// calendar, so the tests run on any day and never book a date that has become past.

import { bookAppointment, nextTicketSequence } from '../../shared/data/appointments.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import type { Appointment } from '../../shared/domain/appointments.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import { appointmentId, ticketNumber } from '../../shared/domain/slots.ts';
import { addDays, isWorkingDay, shanghaiDate, workingDaysAfter } from '../../shared/domain/calendar.ts';
import { PUBLIC_HOLIDAYS } from '../../shared/domain/holidays.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import type { TestCaller } from './invoke.ts';

export const today = () => shanghaiDate(new Date());
/** The first working day after today: every slot of it is still open. */
export const nextWorkingDay = () => workingDaysAfter(today(), 1);
export const secondWorkingDay = () => workingDaysAfter(today(), 2);

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function nextClosedWeekend(): string {
  let day = addDays(today(), 1);
  while (isWorkingDay(day) || (weekday(day) !== 0 && weekday(day) !== 6)) day = addDays(day, 1);
  return day;
}

/** A public holiday on a Monday–Friday after today: closed only because it is a holiday. */
export function nextWeekdayHoliday(): string {
  const holiday = PUBLIC_HOLIDAYS.find((d) => d > today() && weekday(d) >= 1 && weekday(d) <= 5);
  if (!holiday) throw new Error('shared/domain/holidays.ts has no future holiday: add the next year from the State Council notice');
  return holiday;
}

export function lastWorkingDayBefore(date: string): string {
  let day = addDays(date, -1);
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}

/** A valid ID number (check character included) distinct for each `serial` 0–999. */
export function idNumberFor(serial: number): string {
  const first17 = `110105198001${String(1 + (serial % 28)).padStart(2, '0')}${String(serial).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** The phone of resident `serial`: +861390000<serial, 4 digits>. */
export const phoneFor = (serial: number) => `+861390000${String(serial).padStart(4, '0')}`;

/** A profile verified as if by the real-name check: fixtures write profiles directly, past PUT /me. */
export const VERIFIED = { method: 'real-name', at: '2026-11-01T00:00:00.000Z' } as const;

/** Creates the (verified) profile booking and cases require and returns the caller to invoke handlers as. */
export async function residentWithProfile(sub: string, serial: number, name = `居民${serial}`): Promise<TestCaller> {
  const idNumber = idNumberFor(serial);
  await saveResident({
    userId: sub,
    name,
    idNumber,
    birthDate: `1980-01-${idNumber.slice(12, 14)}`,
    sex: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
    phone: phoneFor(serial),
    community: 'sunshine-garden',
    updatedAt: new Date().toISOString(),
    verification: VERIFIED,
  });
  return { sub, role: 'resident' };
}

/**
 * An appointment at the demo centre for today, written straight through the repository: through the API a
 * slot of today can only be booked before it begins, and the tests run at any hour. The next number of the
 * window's day unless `sequence` is given.
 */
export async function appointmentToday(a: { residentId: string; category: string; time?: string; sequence?: number; residentName?: string }): Promise<Appointment> {
  const centre = findCentre('zizhuyuan')!;
  const category = findCategory(a.category)!;
  const sequence = a.sequence ?? (await nextTicketSequence(centre.code, category.code, today()));
  const appointment: Appointment = {
    id: appointmentId(today(), centre, category, sequence),
    residentId: a.residentId,
    centre: centre.code,
    residentName: a.residentName ?? '赵六',
    category: category.code,
    date: today(),
    time: a.time ?? '15:30',
    ticket: ticketNumber(category, sequence),
    sequence,
    status: 'booked',
    bookedAt: new Date().toISOString(),
  };
  await bookAppointment(appointment, 3);
  return appointment;
}
