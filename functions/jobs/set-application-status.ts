// POST /applications/{id}/status — the employment window moves an application of its centre on: contacted,
// interview, hired or declined, forward only (NEXT_STATUSES); a step it cannot take is 409 invalid_state, and
// of two clerks moving it at once one wins. The applicant gets an SMS at each step; a hire is counted in GET /stats.

import { moveApplication } from '../../shared/data/jobs.ts';
import { conflict } from '../../shared/domain/errors.ts';
import { canMoveTo, NEXT_STATUSES, STATUS_WORDS } from '../../shared/domain/jobs.ts';
import { jobHireEvent } from '../../shared/domain/stats.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { notifyResident } from '../workflow/lib/notify-resident.ts';
import { applicationOfCentre, employmentWindowCentre } from './lib/employment-window.ts';

export const handler = apiHandler(api.setApplicationStatus, async ({ params, body, caller }) => {
  const centre = employmentWindowCentre(caller);
  const application = await applicationOfCentre(params.id, centre);
  if (!canMoveTo(application.status, body.status)) {
    const next = NEXT_STATUSES[application.status];
    throw conflict('invalid_state', `The application is ${application.status}; it can move to ${next.length > 0 ? next.join(', ') : 'nothing (it is final)'}.`);
  }
  const at = new Date().toISOString();
  const moved = await moveApplication(application, body.status, { at, actor: caller.userId }, body.status === 'hired' ? jobHireEvent(application, at) : undefined);
  if (!moved) throw conflict('invalid_state', 'The application was moved on by someone else meanwhile: reload it.');
  await notifyResident(moved.residentId, 'job-application-status', { employer: moved.posting.employer, title: moved.posting.title, step: STATUS_WORDS[body.status] }, moved.id);
  return ok(api.applicationView(moved));
});
