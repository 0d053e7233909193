// Mainland China mobile numbers. Accepted as 13800138000, +8613800138000 or 008613800138000 (spaces and
// dashes ignored); always stored and sent as E.164.

export function normalizeMobile(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  const national = compact.replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(national) ? `+86${national}` : null;
}

/** `+86138****8000`: enough to recognise one's own number, not enough to call it. */
export function maskPhone(e164: string): string {
  return `${e164.slice(0, -8)}****${e164.slice(-4)}`;
}
