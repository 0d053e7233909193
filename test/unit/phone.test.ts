import { describe, expect, it } from 'vitest';
import { maskPhone, normalizeMobile } from '../../shared/domain/phone.ts';

describe('mainland mobile numbers', () => {
  it.each(['13800138000', '+8613800138000', '008613800138000', '138 0013 8000', '138-0013-8000'])('stores %s as E.164', (input) => {
    expect(normalizeMobile(input)).toBe('+8613800138000');
  });

  it.each(['12800138000', '1380013800', '138001380001', '+14155552671', '010-12345678', 'abc', ''])('rejects %s', (input) => {
    expect(normalizeMobile(input)).toBeNull();
  });

  it('masks the middle digits', () => {
    expect(maskPhone('+8613800138000')).toBe('+86138****8000');
  });
});
