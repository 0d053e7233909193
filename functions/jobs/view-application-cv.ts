// GET /applications/{id}/cv — opens an application's CV: 302 to a download URL that lives a minute. For the
// applicant, and for the employment window of the posting's centre; anyone else gets 404, as for an
// application that does not exist.

import { getApplication } from '../../shared/data/jobs.ts';
import { getUpload } from '../../shared/data/uploads.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { EMPLOYMENT_CATEGORY, type JobApplication } from '../../shared/domain/jobs.ts';
import { storageKey, VIEW_URL_SECONDS } from '../../shared/domain/uploads.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { homeCentre, type Caller } from '../../shared/http/auth.ts';
import { downloadUrl } from '../../shared/ports/file-reads.ts';

const mayOpen = (a: JobApplication, caller: Caller) =>
  (caller.roles.includes('resident') && a.residentId === caller.userId) ||
  (caller.roles.includes('staff') && caller.categories.includes(EMPLOYMENT_CATEGORY) && a.centre === homeCentre(caller));

export const handler = apiHandler(api.viewApplicationCv, async ({ params, caller }) => {
  const application = await getApplication(params.id);
  if (!application || !mayOpen(application, caller)) throw notFound(`No application ${params.id}.`);
  if (!application.cvUploadId) throw notFound(`Application ${application.id} came without a CV.`);
  const upload = await getUpload(application.cvUploadId);
  if (!upload || upload.applicationId !== application.id) throw notFound('The CV is no longer kept.');
  const { url } = await downloadUrl(storageKey(upload.id), VIEW_URL_SECONDS);
  return { status: 302, headers: { location: url, 'cache-control': 'no-store' } };
});
