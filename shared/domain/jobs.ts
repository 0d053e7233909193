// Employment service (就业服务), pure: job postings a centre's employment window publishes, residents'
// applications to them, the steps an application goes through, and which centres are near enough to show a
// resident their postings. Nothing here does I/O.

import { addDays, endOfShanghaiDay } from './calendar.ts';
import { CENTRES, findCentre, type Centre } from './centres.ts';
import { haversineMeters } from './facilities.ts';
import { dateForSms } from './messages.ts';

/** The catalog category whose window publishes postings and handles applications. */
export const EMPLOYMENT_CATEGORY = 'employment';
/** The matter (失业登记) whose approval registers a resident as a job seeker of the centre. */
export const UNEMPLOYMENT_MATTER = 'unemployment-registration';

/** A posting may stay open at most this long: a vacancy older than that is rarely still one. */
export const MAX_POSTING_DAYS = 90;
/** Pay in yuan per month; the upper bound keeps typos (an extra zero) out. */
export const MAX_MONTHLY_PAY = 200_000;

export type PostingStatus = 'open' | 'closed';

export type JobPosting = {
  id: string;
  centre: string;
  employer: string;
  title: string;
  /** Yuan per month. */
  payRange: { min: number; max: number };
  place: string;
  requirements: string;
  /** The last Shanghai day it takes applications; the closing job closes it the day after. */
  closesOn: string;
  status: PostingStatus;
  publishedAt: string;
  publishedBy: string;
  closedAt?: string;
};

export const APPLICATION_STATUSES = ['applied', 'contacted', 'interview', 'hired', 'declined'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** What staff may set (an application starts `applied`). */
export const STAFF_STATUSES = ['contacted', 'interview', 'hired', 'declined'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/**
 * Forward only: an employer contacts, interviews, hires — steps may be skipped (hired on the phone), never
 * undone; declined can come at any step before a hire; hired and declined are final.
 */
export const NEXT_STATUSES: Record<ApplicationStatus, readonly StaffStatus[]> = {
  applied: ['contacted', 'interview', 'hired', 'declined'],
  contacted: ['interview', 'hired', 'declined'],
  interview: ['hired', 'declined'],
  hired: [],
  declined: [],
};

export const canMoveTo = (from: ApplicationStatus, to: StaffStatus) => NEXT_STATUSES[from].includes(to);

export type JobApplication = {
  id: string;
  postingId: string;
  /** The posting's centre: its staff handle the application. */
  centre: string;
  residentId: string;
  /** What the applicant's list shows of the posting, as it was when they applied. */
  posting: Pick<JobPosting, 'employer' | 'title' | 'closesOn'>;
  note?: string;
  cvUploadId?: string;
  status: ApplicationStatus;
  appliedAt: string;
  history: { at: string; status: ApplicationStatus; actor: string }[];
};

/** What a resident is told at each step (SMS template parameter `step`). */
export const STATUS_WORDS: Record<StaffStatus, string> = {
  contacted: '用人单位将与您联系',
  interview: '已安排面试，请留意来电',
  hired: '已被录用',
  declined: '未获录用',
};

/** A posting takes applications while open and not past its closing day (the job may not have run yet). */
export const isTakingApplications = (p: Pick<JobPosting, 'status' | 'closesOn'>, today: string) => p.status === 'open' && p.closesOn >= today;

/** The latest closing day a posting published today may have. */
export const latestClosingDay = (today: string) => addDays(today, MAX_POSTING_DAYS);

/** What the `job-posted` inbox message tells a job seeker of a new posting. */
export const jobPostedParams = (p: Pick<JobPosting, 'centre' | 'employer' | 'title' | 'closesOn'>) => ({
  centre: findCentre(p.centre)!.name.zh,
  employer: p.employer,
  title: p.title,
  closesOn: dateForSms(p.closesOn),
});

/**
 * A CV is kept this many days after its posting's closing day — time enough for the window to contact,
 * interview and decide — and then deleted, file and record, whatever became of the application: a CV is
 * needed for the hiring and for nothing after it (PIPL: kept no longer than its purpose needs).
 */
export const CV_RETENTION_DAYS = 90;

/** The last Shanghai day an application's CV is kept. */
export const cvKeptUntil = (closesOn: string) => addDays(closesOn, CV_RETENTION_DAYS);

/** When the CV is due for deletion: the end of its last day, Shanghai time. */
export const cvPurgeAt = (closesOn: string) => endOfShanghaiDay(cvKeptUntil(closesOn)).toISOString();

/**
 * Centres whose postings a resident of a centre is shown besides their own: within this distance of it, about
 * half an hour by metro or bus in Beijing. Zizhuyuan and Huilongguan are 14 km apart, Balizhuang is 15.5 km and
 * more from both.
 */
export const NEARBY_KM = 15;

export function nearbyCentres(centre: Centre): Centre[] {
  return CENTRES.filter((other) => other.code !== centre.code && haversineMeters(centre, other) <= NEARBY_KM * 1000);
}

/** The centres a resident of `home` sees postings of: their own first, then the nearby ones. */
export const centresShownTo = (home: string) => {
  const centre = findCentre(home);
  return centre ? [centre.code, ...nearbyCentres(centre).map((c) => c.code)] : [];
};
