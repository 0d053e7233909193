// POST /bills/import — staff load the utilities' bills: up to MAX_IMPORT_ROWS a request. Every row is
// validated before anything is written (a bad row is 400 at bills.<index>.<field>); then each bill is
// written only if it does not exist, so importing the same file again adds nothing.

import { importBills } from '../../shared/data/bills.ts';
import { firstRowPerBill } from '../../shared/domain/bills.ts';
import * as api from '../../shared/api/bills.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.importBills, async ({ body, caller }) => {
  const centre = homeCentre(caller);
  const { unique, repeats } = firstRowPerBill(body.bills);
  const written = await importBills(unique, centre, new Date().toISOString());
  return ok({ imported: written.imported, duplicates: written.duplicates + repeats });
});
