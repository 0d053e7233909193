// Working-day calendar in Asia/Shanghai (UTC+8 all year, no daylight saving). Business dates are
// YYYY-MM-DD strings; due dates count working days starting the day after the reference date.

import { MAKE_UP_WORKING_DAYS, PUBLIC_HOLIDAYS } from './holidays.ts';

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const holidays = new Set(PUBLIC_HOLIDAYS);
const makeUpDays = new Set(MAKE_UP_WORKING_DAYS);

/** The business date in Asia/Shanghai at an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: string): boolean {
  if (makeUpDays.has(date)) return true;
  if (holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The n-th working day after `date` (the day itself does not count): Friday + 3 → Wednesday. */
export function workingDaysAfter(date: string, n: number): string {
  let day = date;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

/** The instant a business day ends in Shanghai (23:59:59.999 local), as a Date. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(new Date(`${date}T23:59:59.999Z`).getTime() - SHANGHAI_OFFSET_MS);
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A YYYY-MM-DD string that is a real calendar date (year 0001 to 9999). Checked by arithmetic, not by
 * `Date`: `new Date('2026-13-01')` is an Invalid Date whose toISOString throws, and JavaScript's parser rolls
 * 2026-02-30 over to March.
 */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** A month `YYYY-MM` moved by `months` (negative: back). */
export function addMonths(month: string, months: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
