// Resident ID numbers (居民身份证号, GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence
// (odd = male) and an ISO 7064 MOD 11-2 check character. Pure: parsing, validation and masking.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type Sex = 'male' | 'female';
export type ParsedIdNumber = { idNumber: string; birthDate: string; sex: Sex };
export type IdNumberResult = { ok: true; value: ParsedIdNumber } | { ok: false; reason: string };

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** `today` is the business date (YYYY-MM-DD) against which a birth date in the future is refused. */
export function parseIdNumber(input: string, today: string): IdNumberResult {
  const idNumber = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(idNumber)) return { ok: false, reason: 'must be 17 digits followed by a digit or X' };
  if (checkCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return { ok: false, reason: 'check character does not match' };
  const y = Number(idNumber.slice(6, 10));
  const m = Number(idNumber.slice(10, 12));
  const d = Number(idNumber.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, reason: 'birth date is not a real date' };
  }
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (birthDate > today) return { ok: false, reason: 'birth date is in the future' };
  const sex: Sex = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { idNumber, birthDate, sex } };
}

/** Full years between a birth date and a business date, both YYYY-MM-DD. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** `110105********123X`: region and last four stay, so a caseworker can confirm it with the card in hand. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}${'*'.repeat(8)}${idNumber.slice(14)}`;
}
