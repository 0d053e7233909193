// Request fields shared by several endpoints, so a field means the same everywhere. zod/mini throughout:
// see shared/http/api-handler.ts.

import * as z from 'zod/mini';
import { isCalendarDate, shanghaiDate } from '../domain/calendar.ts';
import { CENTRE_CODES, COMMUNITY_CODES } from '../domain/centres.ts';
import { parseIdNumber } from '../domain/id-number.ts';
import { normalizeMobile } from '../domain/phone.ts';

export const idNumberSchema = z.pipe(
  z.string().check(z.maxLength(32)),
  z.transform((value, ctx) => {
    const parsed = parseIdNumber(value, shanghaiDate(new Date()));
    if (!parsed.ok) {
      ctx.issues.push({ code: 'custom', message: `not a valid resident ID number: ${parsed.reason}`, input: value });
      return z.NEVER;
    }
    return parsed.value;
  }),
);

export const mobileSchema = z.pipe(
  z.string().check(z.maxLength(32)),
  z.transform((value, ctx) => {
    const e164 = normalizeMobile(value);
    if (!e164) {
      ctx.issues.push({ code: 'custom', message: 'not a mainland China mobile number (e.g. 13800138000)', input: value });
      return z.NEVER;
    }
    return e164;
  }),
);

/** A community of the catalog (GET /catalog lists them by centre): a mistyped one would hear of no notice. */
export const communitySchema = z.enum(COMMUNITY_CODES, { error: `a community of the catalog: ${COMMUNITY_CODES.join(', ')}` });

// The one rule of free text (names, titles, notes, comments …): what is stored is shown to staff, printed on
// SMS and read out at the window, so it must be text a person can see. Control characters (NUL, escape …;
// a newline only where the text has lines), bidi overrides and isolates (U+202E makes "exe.txt" read
// "txt.exe") and lone surrogates (not Unicode at all: they break JSON elsewhere) are refused, as is text
// that is blank once trimmed. Lengths count characters (code points), as a reader does, not UTF-16 units.
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const CONTROL_OR_BIDI_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** With the `u` flag a surrogate pair is one code point, so this matches only a lone (unpaired) surrogate. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** Whitespace and the zero-width characters that show nothing: a text made only of these is blank. */
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]/gu;

export type TextOptions = { multiline?: boolean };

/** Why `value` (already trimmed) breaks the text rule, or undefined when it is fine. */
export function textProblem(value: string, max: number, { multiline = false }: TextOptions = {}): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'not well-formed Unicode (a lone surrogate)';
  if ((multiline ? CONTROL_OR_BIDI_BUT_NEWLINE : CONTROL_OR_BIDI).test(value)) {
    return multiline ? 'control or bidi characters are not allowed (a newline is)' : 'control or bidi characters are not allowed';
  }
  if (value.replace(INVISIBLE, '') === '') return 'must not be blank';
  if ([...value].length > max) return `at most ${max} characters`;
  return undefined;
}

/** Free text under the text rule, trimmed, of at most `max` characters; `multiline` lets it keep newlines. */
export const text = (max: number, options: TextOptions = {}) =>
  z.string().check(
    // Checked before trimming the rest: a text far beyond any limit is refused without being scanned.
    z.maxLength(max * 2 + 64, `at most ${max} characters`),
    z.trim(),
    z.superRefine((value, ctx) => {
      const problem = textProblem(value, max, options);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: value });
    }),
  );

/** A code of the catalog or of a list (a material, a category …): lower-case words joined by dashes. */
export const codeSchema = z.string().check(z.maxLength(64), z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a code: lower-case letters, digits and dashes'));

/** A whole number written in decimal digits only: `0x10`, `1e1`, ` 10` and `+5` are refused, not guessed at. */
export const decimalInteger = (min: number, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,9}$/, 'a whole number in decimal digits')), z.transform(Number)),
    z.number().check(z.minimum(min), z.maximum(max)),
  );

export const pageQuery = {
  limit: z._default(decimalInteger(1, 100), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

export const pageQuerySchema = z.object(pageQuery);

/** A business date `YYYY-MM-DD` (Asia/Shanghai) that exists in the calendar: 2026-02-30 and 2026-13-01 are 400. */
export const businessDateSchema = z.string().check(z.maxLength(10, 'a date YYYY-MM-DD'), z.refine(isCalendarDate, 'a real date YYYY-MM-DD'));

/** A time of day `HH:MM` on a 24-hour clock. */
export const timeOfDaySchema = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM'));

/** A service centre code of the catalog. */
export const centreSchema = z.enum(CENTRE_CODES);

/** A platform user id (a token's `sub`): letters, digits, `.`, `_`, `-`. */
export const userIdSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "a user id (the account's sub)"));
