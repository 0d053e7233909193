// Employment service (就业服务): job postings of a centre's employment window, residents' applications, and the
// steps staff move them through.

import * as z from 'zod/mini';
import { maskPhone } from '../domain/phone.ts';
import { cvKeptUntil, MAX_MONTHLY_PAY, STAFF_STATUSES, type JobApplication, type JobPosting } from '../domain/jobs.ts';
import type { ResidentProfile } from '../domain/residents.ts';
import { UPLOAD_ID } from '../domain/uploads.ts';
import { endpoint } from './endpoint.ts';
import { businessDateSchema, centreSchema, pageQuery, text } from './fields.ts';

export const POSTING_ID = /^J\d{8}-[0-9a-f]{8}$/;
export const APPLICATION_ID = /^JA[0-9a-f]{16}$/;

const postingParams = z.object({ id: z.string().check(z.regex(POSTING_ID, 'a posting id such as J20261203-9f2c41d0')) });
const applicationParams = z.object({ id: z.string().check(z.regex(APPLICATION_ID, 'an application id such as JA0f3c9a7e51b24d8e')) });
const pay = z.number().check(z.int('whole yuan'), z.minimum(0), z.maximum(MAX_MONTHLY_PAY));

export const publishJob = endpoint({
  route: 'POST /jobs',
  summary: "Publish a job posting of the caller's centre (employment window); the centre's registered job seekers are told in their inbox",
  body: z.strictObject({
    employer: text(100),
    title: text(50),
    payRange: z.strictObject({ min: pay, max: pay }).check(z.refine((r) => r.max >= r.min, { path: ['max'], message: 'must not be below min' })),
    place: text(100),
    requirements: text(1000, { multiline: true }),
    closesOn: businessDateSchema,
  }),
});

export const listJobs = endpoint({
  route: 'GET /jobs',
  summary: "Open postings, the soonest closing first: of a centre and the centres near it (`centre`), or of the whole city",
  query: z.object({ ...pageQuery, centre: z.optional(centreSchema), nearby: z.optional(z.enum(['true', 'false'])) }),
});

export const applyToJob = endpoint({
  route: 'POST /jobs/{id}/applications',
  summary: 'Apply to an open posting, once, with a short note and an uploaded CV',
  params: postingParams,
  body: z.strictObject({ note: z.optional(text(500, { multiline: true })), cvUploadId: z.optional(z.string().check(z.regex(UPLOAD_ID, 'an uploadId from POST /uploads'))) }),
});

export const listMyApplications = endpoint({
  route: 'GET /me/applications',
  summary: "The caller's job applications and where each stands, newest first",
  query: z.object(pageQuery),
});

export const listJobApplications = endpoint({
  route: 'GET /jobs/{id}/applications',
  summary: "A posting's applicants in the order they applied (employment window of the posting's centre)",
  params: postingParams,
  query: z.object(pageQuery),
});

export const setApplicationStatus = endpoint({
  route: 'POST /applications/{id}/status',
  summary: 'Move an application on (contacted, interview, hired, declined); the applicant is told by SMS',
  params: applicationParams,
  body: z.strictObject({ status: z.enum(STAFF_STATUSES) }),
});

export const viewApplicationCv = endpoint({
  route: 'GET /applications/{id}/cv',
  summary: "Opens an application's CV: 302 to a download URL that lives a minute (the applicant, or the posting's centre)",
  params: applicationParams,
});

/** A posting as anyone sees it; who published it stays internal. */
export const postingView = (p: JobPosting) => ({
  id: p.id,
  centre: p.centre,
  employer: p.employer,
  title: p.title,
  payRange: p.payRange,
  place: p.place,
  requirements: p.requirements,
  closesOn: p.closesOn,
  status: p.status,
  publishedAt: p.publishedAt,
});

/** An application as its applicant sees it. */
export const applicationView = (a: JobApplication) => ({
  id: a.id,
  postingId: a.postingId,
  centre: a.centre,
  posting: a.posting,
  status: a.status,
  appliedAt: a.appliedAt,
  note: a.note ?? null,
  hasCv: a.cvUploadId !== undefined,
  /** The last day the CV is kept (then deleted, whatever became of the application); null without a CV. */
  cvKeptUntil: a.cvUploadId !== undefined ? cvKeptUntil(a.posting.closesOn) : null,
  history: a.history.map(({ at, status }) => ({ at, status })),
});

/** An application as the posting's window sees it: the applicant named, their phone masked. */
export const staffApplicationView = (a: JobApplication, profile: ResidentProfile | undefined) => ({
  ...applicationView(a),
  residentId: a.residentId,
  applicant: profile ? { name: profile.name, phone: maskPhone(profile.phone) } : null,
  history: a.history,
});
