// Request fields shared by several endpoints, so a field means the same everywhere. zod/mini throughout:
// see shared/http/api-handler.ts.

import * as z from 'zod/mini';
import { isCalendarDate, shanghaiDate } from '../domain/calendar.ts';
import { CENTRE_CODES } from '../domain/centres.ts';
import { parseIdNumber } from '../domain/id-number.ts';
import { normalizeMobile } from '../domain/phone.ts';

export const idNumberSchema = z.pipe(
  z.string(),
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
  z.string(),
  z.transform((value, ctx) => {
    const e164 = normalizeMobile(value);
    if (!e164) {
      ctx.issues.push({ code: 'custom', message: 'not a mainland China mobile number (e.g. 13800138000)', input: value });
      return z.NEVER;
    }
    return e164;
  }),
);

export const communitySchema = z
  .string()
  .check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a community code: lower-case letters, digits and dashes'), z.maxLength(64));

/** A trimmed, non-empty text of at most `max` characters. */
export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const pageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

export const pageQuerySchema = z.object(pageQuery);

/** A business date `YYYY-MM-DD` (Asia/Shanghai) that exists in the calendar. */
export const businessDateSchema = z.string().check(z.refine(isCalendarDate, 'a date YYYY-MM-DD'));

/** A service centre code of the catalog. */
export const centreSchema = z.enum(CENTRE_CODES);

/** A platform user id (a token's `sub`): letters, digits, `.`, `_`, `-`. */
export const userIdSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "a user id (the account's sub)"));
