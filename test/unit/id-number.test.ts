import { describe, expect, it } from 'vitest';
import { ageOn, checkCharacter, maskIdNumber, parseIdNumber } from '../../shared/domain/id-number.ts';

const TODAY = '2026-11-29';

describe('resident ID numbers (GB 11643-1999)', () => {
  it('accepts a valid number with an X check character and derives birth date and sex', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female' },
    });
  });

  it('accepts a valid number with a digit check character; an odd sequence is male', () => {
    const result = parseIdNumber('440524188001010014', TODAY);
    expect(result).toEqual({ ok: true, value: { idNumber: '440524188001010014', birthDate: '1880-01-01', sex: 'male' } });
  });

  it('accepts a lower-case x as X', () => {
    const result = parseIdNumber('11010519491231002x', TODAY);
    expect(result.ok && result.value.idNumber).toBe('11010519491231002X');
  });

  it('computes the MOD 11-2 check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it.each([
    ['110105194912310021', 'check character does not match'],
    ['11010519491231002', 'must be 17 digits followed by a digit or X'],
    ['1101051949123100211', 'must be 17 digits followed by a digit or X'],
    ['11010519491231002Y', 'must be 17 digits followed by a digit or X'],
  ])('rejects %s: %s', (input, reason) => {
    expect(parseIdNumber(input, TODAY)).toEqual({ ok: false, reason });
  });

  it('rejects 30 February even with a correct check character', () => {
    const first17 = '11010520000230001';
    expect(parseIdNumber(first17 + checkCharacter(first17), TODAY)).toEqual({ ok: false, reason: 'birth date is not a real date' });
  });

  it('rejects a birth date in the future', () => {
    const first17 = '11010520261230001';
    expect(parseIdNumber(first17 + checkCharacter(first17), TODAY)).toEqual({ ok: false, reason: 'birth date is in the future' });
  });

  it('accepts 29 February in a leap year', () => {
    const first17 = '11010520000229001';
    expect(parseIdNumber(first17 + checkCharacter(first17), TODAY).ok).toBe(true);
  });

  it('masks all but the region and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('counts full years of age, the birthday itself included', () => {
    expect(ageOn('1966-12-01', '2026-11-30')).toBe(59);
    expect(ageOn('1966-12-01', '2026-12-01')).toBe(60);
  });
});
