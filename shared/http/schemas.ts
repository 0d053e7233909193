// zod pieces shared by several routes, so a field means the same everywhere.

import { z } from 'zod';
import { shanghaiDate } from '../domain/calendar.ts';
import { parseIdNumber } from '../domain/id-number.ts';
import { normalizeMobile } from '../domain/phone.ts';

export const idNumberSchema = z.string().transform((value, ctx) => {
  const parsed = parseIdNumber(value, shanghaiDate(new Date()));
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `not a valid resident ID number: ${parsed.reason}` });
    return z.NEVER;
  }
  return parsed.value;
});

export const mobileSchema = z.string().transform((value, ctx) => {
  const e164 = normalizeMobile(value);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: 'not a mainland China mobile number (e.g. 13800138000)' });
    return z.NEVER;
  }
  return e164;
});

export const communitySchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a community code: lower-case letters, digits and dashes')
  .max(64);

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});
