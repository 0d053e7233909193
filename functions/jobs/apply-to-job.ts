// POST /jobs/{id}/applications — a resident applies to an open posting, once: the application, its claim (one
// per resident and posting), the binding of the CV upload and the statistics are one conditional transaction,
// so of five simultaneous applications exactly one is 201 and the others 409 already_applied. A closed posting
// (or one past its closing day) is 409 invalid_state. The CV is an upload of the resident's own (POST /uploads),
// not yet attached: once bound it is opened only by the applicant and the posting's centre, and deleted
// CV_RETENTION_DAYS after the posting's closing day (the purge-files job).

import { randomBytes } from 'node:crypto';
import { applyToPosting, getPosting } from '../../shared/data/jobs.ts';
import { getResident } from '../../shared/data/residents.ts';
import { attachUploadToApplication, getUpload } from '../../shared/data/uploads.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { businessRule, conflict, notFound, validationFailed } from '../../shared/domain/errors.ts';
import { cvPurgeAt, type JobApplication } from '../../shared/domain/jobs.ts';
import { jobApplicationEvent } from '../../shared/domain/stats.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';

const CV_PATH = 'cvUploadId';
const cvRefused = (message: string) => validationFailed([{ path: CV_PATH, message }]);

export const handler = apiHandler(api.applyToJob, async ({ params, body, caller }) => {
  const posting = await getPosting(params.id);
  if (!posting) throw notFound(`No posting ${params.id}.`);
  const profile = await getResident(caller.userId);
  if (!profile) throw businessRule('Create your profile with PUT /me before applying: the employer reaches you through it.');
  if (body.cvUploadId !== undefined) {
    const upload = await getUpload(body.cvUploadId);
    // Someone else's upload reads like one that does not exist.
    if (!upload || upload.residentId !== caller.userId || upload.status === 'expired') throw cvRefused('no upload of yours with this id (an upload not used within 24 hours is deleted)');
    if (upload.status === 'attached') throw cvRefused('this upload is already used: upload the CV again');
  }
  const now = new Date();
  const application: JobApplication = {
    id: `JA${randomBytes(8).toString('hex')}`,
    postingId: posting.id,
    centre: posting.centre,
    residentId: caller.userId,
    posting: { employer: posting.employer, title: posting.title, closesOn: posting.closesOn },
    ...(body.note ? { note: body.note } : {}),
    ...(body.cvUploadId ? { cvUploadId: body.cvUploadId } : {}),
    status: 'applied',
    appliedAt: now.toISOString(),
    history: [{ at: now.toISOString(), status: 'applied', actor: caller.userId }],
  };
  const bindCv = body.cvUploadId ? attachUploadToApplication(body.cvUploadId, { applicationId: application.id, residentId: caller.userId, at: application.appliedAt, purgeAt: cvPurgeAt(posting.closesOn) }) : undefined;
  const outcome = await applyToPosting(application, shanghaiDate(now), bindCv, jobApplicationEvent(application));
  if (outcome === 'already_applied') throw conflict('already_applied', `You have applied to ${posting.id} already: see GET /me/applications.`);
  if (outcome === 'closed') throw conflict('invalid_state', `Posting ${posting.id} is closed: it takes no more applications.`);
  if (outcome === 'cv_taken') throw cvRefused('this upload was used meanwhile: upload the CV again');
  return created(api.applicationView(application));
});
