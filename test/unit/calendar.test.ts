import { describe, expect, it } from 'vitest';
import { endOfShanghaiDay, isCalendarDate, isWorkingDay, shanghaiDate, workingDaysAfter } from '../../shared/domain/calendar.ts';

describe('working-day calendar (Asia/Shanghai)', () => {
  it('makes a Friday submission with a 3-day SLA due the next Wednesday', () => {
    expect(workingDaysAfter('2026-11-27', 3)).toBe('2026-12-02');
  });

  it('skips weekends', () => {
    expect(isWorkingDay('2026-11-28')).toBe(false);
    expect(isWorkingDay('2026-11-29')).toBe(false);
    expect(workingDaysAfter('2026-11-27', 1)).toBe('2026-11-30');
  });

  it('skips public holidays: National Day week', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false);
    expect(isWorkingDay('2026-10-07')).toBe(false);
    expect(workingDaysAfter('2026-09-30', 1)).toBe('2026-10-08');
  });

  it('counts make-up working days (调休) on a weekend', () => {
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday
    expect(workingDaysAfter('2026-10-08', 2)).toBe('2026-10-10');
  });

  it('crosses the Spring Festival with its make-up Saturdays', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(workingDaysAfter('2026-02-13', 2)).toBe('2026-02-24');
  });

  it('skips the 2027 statutory New Year holiday', () => {
    expect(isWorkingDay('2027-01-01')).toBe(false);
    expect(workingDaysAfter('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('takes the business date in Shanghai, eight hours ahead of UTC', () => {
    expect(shanghaiDate(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-29');
    expect(shanghaiDate(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    expect(endOfShanghaiDay('2026-11-29').toISOString()).toBe('2026-11-29T15:59:59.999Z');
  });

  it('recognises real calendar dates only', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
  });
});
