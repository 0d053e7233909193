// POST /bills/import — staff load the utilities' bills: up to MAX_IMPORT_ROWS a request. Every row is
// validated before anything is written (a bad row is 400 at bills.<index>.<field>); then each bill is
// written only if it does not exist, so importing the same file again adds nothing.

import * as z from 'zod/mini';
import { importBills } from '../../shared/data/bills.ts';
import { BILL_KINDS, firstRowPerBill, isBillingPeriod, MAX_BILL_AMOUNT_FEN, MAX_IMPORT_ROWS } from '../../shared/domain/bills.ts';
import { isCalendarDate } from '../../shared/domain/calendar.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

const billRow = z.strictObject({
  residentId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "the resident's user id (sub)")),
  kind: z.enum(BILL_KINDS),
  period: z.string().check(z.refine(isBillingPeriod, 'a billing month YYYY-MM')),
  amount: z.number().check(z.int('whole fen'), z.minimum(1), z.maximum(MAX_BILL_AMOUNT_FEN)),
  dueDate: z.string().check(z.refine(isCalendarDate, 'a date YYYY-MM-DD')),
});

const body = z.strictObject({ bills: z.array(billRow).check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)) });

export const handler = apiHandler({ route: 'POST /bills/import', body }, async ({ body }) => {
  const { unique, repeats } = firstRowPerBill(body.bills);
  const written = await importBills(unique, new Date().toISOString());
  return ok({ imported: written.imported, duplicates: written.duplicates + repeats });
});
