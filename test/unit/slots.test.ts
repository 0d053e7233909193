import { describe, expect, it } from 'vitest';
import { findCategory } from '../../shared/domain/catalog.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  appointmentId,
  bookingDays,
  checkBookableDate,
  checkBookableSlot,
  checkCheckInDay,
  isCancellable,
  openSlotTimes,
  slotCapacity,
  slotStart,
  slotTimes,
  ticketNumber,
} from '../../shared/domain/slots.ts';
import { findCentre } from '../../shared/domain/centres.ts';

// `now` is a parameter of every rule, so fixed instants are safe here. Friday 2026-11-27, 10:05 in Shanghai.
const FRIDAY_MORNING = new Date('2026-11-27T02:05:00.000Z');
const socialInsurance = findCategory('social-insurance')!;
const zizhuyuan = findCentre('zizhuyuan')!;
const balizhuang = findCentre('balizhuang')!;
const SLOT_TIMES = slotTimes(zizhuyuan);

function ruleBroken(check: () => void): DomainError {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a business rule to be broken');
}

describe('appointment slots', () => {
  it('offers 30-minute slots from 09:00 to 11:00 and from 13:30 to 16:00, each ending by closing time', () => {
    expect(SLOT_TIMES).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00']);
  });

  it("follows each centre's own opening hours", () => {
    expect(slotTimes(balizhuang)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30']);
  });

  it('takes as many residents in one slot as the centre has windows of the category', () => {
    expect(slotCapacity(zizhuyuan, socialInsurance)).toBe(3);
    expect(slotCapacity(zizhuyuan, findCategory('employment')!)).toBe(2);
    expect(slotCapacity(balizhuang, findCategory('employment')!)).toBe(1);
  });

  it('starts a slot at its Shanghai time', () => {
    expect(slotStart('2026-11-30', '09:00').toISOString()).toBe('2026-11-30T01:00:00.000Z');
  });

  it('offers only the slots of today that have not begun, and every slot of a later day', () => {
    expect(openSlotTimes(zizhuyuan, '2026-11-27', FRIDAY_MORNING)).toEqual(['10:30', '11:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00']);
    expect(openSlotTimes(zizhuyuan, '2026-11-30', FRIDAY_MORNING)).toEqual(SLOT_TIMES);
  });

  it('refuses a weekend with 422 at date', () => {
    const error = ruleBroken(() => checkBookableDate('2026-11-28', FRIDAY_MORNING));
    expect(error).toMatchObject({ status: 422, code: 'business_rule', errors: [{ path: 'date', message: 'not a working day' }] });
  });

  it('refuses a public holiday and accepts a 调休 Saturday', () => {
    const now = new Date('2026-09-21T01:00:00.000Z');
    expect(ruleBroken(() => checkBookableDate('2026-10-01', now))).toMatchObject({ status: 422, errors: [{ message: 'not a working day' }] });
    expect(() => checkBookableDate('2026-10-10', now)).not.toThrow();
  });

  it('refuses a past date, and a date beyond the 30-day horizon', () => {
    expect(ruleBroken(() => checkBookableDate('2026-11-26', FRIDAY_MORNING))).toMatchObject({ status: 422, errors: [{ message: 'a past date' }] });
    expect(ruleBroken(() => checkBookableDate('2027-01-04', FRIDAY_MORNING))).toMatchObject({
      status: 422,
      errors: [{ message: 'beyond the booking horizon' }],
    });
    expect(() => checkBookableDate('2026-12-25', FRIDAY_MORNING)).not.toThrow();
  });

  it('names the Shanghai date it compared with when a date is past or beyond the horizon', () => {
    expect(ruleBroken(() => checkBookableDate('2026-11-26', FRIDAY_MORNING)).message).toBe('2026-11-26 is in the past (today in Shanghai is 2026-11-27).');
    expect(ruleBroken(() => checkBookableDate('2027-01-04', FRIDAY_MORNING)).message).toContain('up to 2026-12-27 (today in Shanghai is 2026-11-27)');
  });

  it('refuses a time that is not a slot, and a slot of today that has begun', () => {
    expect(ruleBroken(() => checkBookableSlot(zizhuyuan, '2026-11-30', '09:15', FRIDAY_MORNING))).toMatchObject({
      status: 422,
      errors: [{ path: 'time', message: 'not a slot time' }],
    });
    expect(ruleBroken(() => checkBookableSlot(zizhuyuan, '2026-11-30', '11:30', FRIDAY_MORNING)).errors).toEqual([{ path: 'time', message: 'not a slot time' }]);
    expect(ruleBroken(() => checkBookableSlot(zizhuyuan, '2026-11-27', '10:00', FRIDAY_MORNING))).toMatchObject({
      status: 422,
      errors: [{ path: 'time', message: 'a slot that has begun' }],
    });
    expect(() => checkBookableSlot(zizhuyuan, '2026-11-27', '10:30', FRIDAY_MORNING)).not.toThrow();
  });

  it('lets an appointment be cancelled until its slot begins, not after', () => {
    expect(isCancellable('2026-11-27', '10:30', FRIDAY_MORNING)).toBe(true);
    expect(isCancellable('2026-11-27', '10:00', FRIDAY_MORNING)).toBe(false);
    expect(isCancellable('2026-11-27', '10:00', new Date('2026-11-27T01:59:59.999Z'))).toBe(true);
  });

  it("checks a resident in on the appointment's Shanghai day only", () => {
    expect(() => checkCheckInDay('2026-11-27', FRIDAY_MORNING)).not.toThrow();
    // 23:30 UTC on the 26th is already the 27th in Shanghai.
    expect(() => checkCheckInDay('2026-11-27', new Date('2026-11-26T23:30:00.000Z'))).not.toThrow();
    expect(ruleBroken(() => checkCheckInDay('2026-11-30', FRIDAY_MORNING))).toMatchObject({ status: 422, code: 'business_rule' });
  });
});

describe('ticket numbers', () => {
  it('reads category letter and a three-digit sequence: S-007', () => {
    expect(ticketNumber(socialInsurance, 7)).toBe('S-007');
    expect(ticketNumber(findCategory('housing-civil')!, 123)).toBe('H-123');
  });

  it('makes the appointment id from date, centre and ticket, so it is unique per centre, window and day', () => {
    expect(appointmentId('2026-11-30', zizhuyuan, socialInsurance, 7)).toBe('AP20261130-ZZY-S007');
    expect(appointmentId('2026-11-30', zizhuyuan, findCategory('medical-insurance')!, 7)).toBe('AP20261130-ZZY-M007');
    expect(appointmentId('2026-11-30', balizhuang, socialInsurance, 7)).toBe('AP20261130-BLZ-S007');
  });
});

describe('bookingDays', () => {
  it('lists the working days from today in Shanghai to the horizon: no weekend, no holiday, the 调休 Saturday open', () => {
    // 23:30 UTC on 29 September is already the 30th in Shanghai.
    const days = bookingDays(new Date('2026-09-29T23:30:00Z'));

    expect(days[0]).toBe('2026-09-30');
    expect(days.slice(0, 4)).toEqual(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
    expect(days.at(-1)! <= '2026-10-30').toBe(true);
    expect(days.every((d) => !['2026-10-01', '2026-10-11', '2026-10-17'].includes(d))).toBe(true);
    for (const day of days) expect(() => checkBookableDate(day, new Date('2026-09-29T23:30:00Z'))).not.toThrow();
  });
});
