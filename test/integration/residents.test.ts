import { describe, expect, it } from 'vitest';
import { getResident } from '../../shared/data/residents.ts';
import { findResidentByIdNumber, idNumberHash, saveResident } from '../../shared/data/id-numbers.ts';
import { type ResidentProfile } from '../../shared/domain/residents.ts';
import { DomainError } from '../../shared/domain/errors.ts';

const profile = (userId: string, idNumber: string): ResidentProfile => ({
  userId,
  name: '王芳',
  idNumber,
  birthDate: '1949-12-31',
  sex: 'female',
  phone: '+8613800138000',
  community: 'sunshine-garden',
  updatedAt: '2026-11-29T00:00:00.000Z',
});

describe('resident repository (DynamoDB Local)', () => {
  it('round-trips a profile and finds it by ID number', async () => {
    await saveResident(profile('r-roundtrip', '11010519491231002X'));

    expect(await getResident('r-roundtrip')).toEqual(profile('r-roundtrip', '11010519491231002X'));
    expect((await findResidentByIdNumber('11010519491231002X'))?.userId).toBe('r-roundtrip');
  });

  it('returns nothing for an unknown user or ID number', async () => {
    expect(await getResident('nobody')).toBeUndefined();
    expect(await findResidentByIdNumber('440524188001010014')).toBeUndefined();
  });

  it('keeps an ID number with its holder against a claim backed no better, without telling the claimant', async () => {
    await saveResident(profile('r-owner', '11010519600101003X'));
    const owner = await getResident('r-owner');

    const intruder = await saveResident(profile('r-intruder', owner!.idNumber));

    expect(intruder).toEqual(profile('r-intruder', owner!.idNumber));
    expect((await findResidentByIdNumber(owner!.idNumber))?.userId).toBe('r-owner');
  });

  it('refuses a verified claim of a number verified for another account, as a named 409, and changes nothing', async () => {
    const verified = { method: 'real-name' as const, at: '2026-11-29T00:00:00.000Z' };
    await saveResident({ ...profile('r-verified-owner', '110105196001010113'), verification: verified });

    const attempt = saveResident({ ...profile('r-verified-intruder', '110105196001010113'), verification: verified });

    await expect(attempt).rejects.toMatchObject({ status: 409, code: 'id_number_in_use' });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    expect(await getResident('r-verified-intruder')).toBeUndefined();
    expect((await findResidentByIdNumber('110105196001010113'))?.userId).toBe('r-verified-owner');
  });

  it('moves the ID-number claim when the owner corrects the number', async () => {
    await saveResident(profile('r-mover', '11010519800101001X'));
    await saveResident({ ...profile('r-mover', '110105198001010028'), updatedAt: '2026-11-30T00:00:00.000Z' });

    expect(await findResidentByIdNumber('11010519800101001X')).toBeUndefined();
    expect((await findResidentByIdNumber('110105198001010028'))?.userId).toBe('r-mover');
  });

  it('keys the ID-number lookup by a keyed hash, not the number itself', () => {
    expect(idNumberHash('11010519491231002X')).not.toContain('11010519491231002X');
    expect(idNumberHash('11010519491231002X')).toBe(idNumberHash('11010519491231002X'));
  });
});
