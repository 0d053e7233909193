// Request fields the appointment routes share.

import * as z from 'zod/mini';
import { isCalendarDate } from '../../shared/domain/calendar.ts';

export const businessDateSchema = z.string().check(z.refine(isCalendarDate, 'a date YYYY-MM-DD'));

export const appointmentIdParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });
