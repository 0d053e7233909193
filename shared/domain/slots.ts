// Appointment slots and ticket numbers: which times of which days a resident may book at a service window,
// how many residents one slot takes, and how a ticket reads. Pure rules, no I/O; `now` is always a parameter
// so the rules can be checked on any day.

import type { Appointment } from './appointments.ts';
import { addDays, isWorkingDay, shanghaiDate } from './calendar.ts';
import type { Category } from './catalog.ts';
import { windowsOf, type Centre } from './centres.ts';
import { businessRule } from './errors.ts';

export const SLOT_MINUTES = 30;

/** How far ahead a resident may book: far enough to plan, near enough that a place is not hoarded for months. */
export const BOOKING_HORIZON_DAYS = 30;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const timeOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Every slot start of a centre's working day, in order. A slot is SLOT_MINUTES long and must end by its
 * session's close: a centre open 09:00–11:30 and 13:30–16:30 offers 09:00 … 11:00 and 13:30 … 16:00.
 */
export function slotTimes(centre: Centre): string[] {
  return centre.sessions.flatMap(({ opens, closes }) => {
    const times: string[] = [];
    for (let start = minutesOf(opens); start + SLOT_MINUTES <= minutesOf(closes); start += SLOT_MINUTES) times.push(timeOf(start));
    return times;
  });
}

export const isSlotTime = (centre: Centre, time: string) => slotTimes(centre).includes(time);

/** One slot takes as many residents as the centre has windows of the category open. */
export const slotCapacity = (centre: Centre, category: Category) => windowsOf(centre, category);

/** The instant a slot begins. */
export function slotStart(date: string, time: string): Date {
  return new Date(new Date(`${date}T${time}:00.000Z`).getTime() - SHANGHAI_OFFSET_MS);
}

/**
 * 422 unless `date` is a day residents can book: not past, a working day (weekends and public holidays
 * closed, 调休 Saturdays open), within the booking horizon.
 */
export function checkBookableDate(date: string, now: Date): void {
  const today = shanghaiDate(now);
  // Every refusal names the day it compared with: a client whose clock or zone is off sees why at once.
  const compared = `today in Shanghai is ${today}`;
  if (date < today) throw businessRule(`${date} is in the past (${compared}).`, [{ path: 'date', message: 'a past date' }]);
  if (!isWorkingDay(date)) {
    throw businessRule(`${date} is not a working day: the service centre is closed on weekends and public holidays.`, [
      { path: 'date', message: 'not a working day' },
    ]);
  }
  const lastDay = addDays(today, BOOKING_HORIZON_DAYS);
  if (date > lastDay) {
    throw businessRule(`Appointments can be booked at most ${BOOKING_HORIZON_DAYS} days ahead, up to ${lastDay} (${compared}).`, [
      { path: 'date', message: 'beyond the booking horizon' },
    ]);
  }
}

/** Every day residents may book from `now` on, in order: the working days from today (Shanghai) to the horizon. */
export function bookingDays(now: Date): string[] {
  const today = shanghaiDate(now);
  const days: string[] = [];
  for (let ahead = 0; ahead <= BOOKING_HORIZON_DAYS; ahead++) {
    const day = addDays(today, ahead);
    if (isWorkingDay(day)) days.push(day);
  }
  return days;
}

/** The slots of a bookable day that have not begun yet (all of them on any day but today). */
export function openSlotTimes(centre: Centre, date: string, now: Date): string[] {
  return slotTimes(centre).filter((time) => slotStart(date, time).getTime() > now.getTime());
}

/** 422 unless the slot can be booked at `now`: a bookable day, one of the slot times, not yet begun. */
export function checkBookableSlot(centre: Centre, date: string, time: string, now: Date): void {
  checkBookableDate(date, now);
  if (!isSlotTime(centre, time)) {
    throw businessRule(`${time} is not an appointment time at ${centre.name.zh}; slots start at ${slotTimes(centre).join(', ')}.`, [
      { path: 'time', message: 'not a slot time' },
    ]);
  }
  if (slotStart(date, time).getTime() <= now.getTime()) {
    throw businessRule(`The ${time} slot of ${date} has begun already (today in Shanghai is ${shanghaiDate(now)}).`, [{ path: 'time', message: 'a slot that has begun' }]);
  }
}

/** A booked appointment can be cancelled until its slot begins; after that the place cannot be reused. */
export const isCancellable = (date: string, time: string, now: Date) => now.getTime() < slotStart(date, time).getTime();

/** Staff check a resident in on the appointment's own day (early or late that day, but not another day). */
export function checkCheckInDay(date: string, now: Date): void {
  const today = shanghaiDate(now);
  if (date !== today) {
    throw businessRule(`This appointment is for ${date}; it can only be checked in on that day (today in Shanghai is ${today}).`);
  }
}

/** The ticket a resident is called by at the window: category letter and the day's sequence, S-007. */
export const ticketNumber = (category: Category, sequence: number) => `${category.ticketLetter}-${String(sequence).padStart(3, '0')}`;

/** AP20261130-ZZY-S007: readable on the phone, unique because the ticket is unique per centre, window and day. */
export const appointmentId = (date: string, centre: Centre, category: Category, sequence: number) =>
  `AP${date.replaceAll('-', '')}-${centre.shortCode}-${category.ticketLetter}${String(sequence).padStart(3, '0')}`;

/** A new booking of a slot, numbered by its day's `sequence`: a first booking, or one a booking moved to. */
export function bookedAppointment(
  who: Pick<Appointment, 'residentId' | 'residentName' | 'matter'>,
  slot: { centre: Centre; category: Category; date: string; time: string; sequence: number },
  at: Date,
): Appointment {
  const { centre, category, date, time, sequence } = slot;
  return {
    id: appointmentId(date, centre, category, sequence),
    residentId: who.residentId,
    centre: centre.code,
    residentName: who.residentName,
    category: category.code,
    ...(who.matter ? { matter: who.matter } : {}),
    date,
    time,
    ticket: ticketNumber(category, sequence),
    sequence,
    status: 'booked',
    bookedAt: at.toISOString(),
  };
}
