// The server's own rules, run in the browser as the resident types (imported from shared/domain, so the
// two cannot disagree), with their reasons said in the resident's language.

import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { parseIdNumber } from '../../shared/domain/id-number.ts';
import { t } from './i18n.ts';

const REASONS: Record<string, 'id.format' | 'id.check' | 'id.date' | 'id.future'> = {
  'must be 17 digits followed by a digit or X': 'id.format',
  'check character does not match': 'id.check',
  'birth date is not a real date': 'id.date',
  'birth date is in the future': 'id.future',
};

/** A reason of parseIdNumber (the server gives the same after "not a valid resident ID number: "), said for residents. */
export function idNumberReasonText(reason: string): string | undefined {
  const key = REASONS[reason];
  return key ? t(key) : undefined;
}

/** What is wrong with an ID number as typed, or undefined when it is valid. */
export function idNumberProblem(input: string): string | undefined {
  if (!input.trim()) return t('id.missing');
  const parsed = parseIdNumber(input, shanghaiDate(new Date()));
  return parsed.ok ? undefined : (idNumberReasonText(parsed.reason) ?? t('id.format'));
}
