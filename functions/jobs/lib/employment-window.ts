// Who acts for the employment service: staff of the employment window (custom:categories holds `employment`)
// act on their own centre's postings and applications only. Another centre's posting or application reads as
// one that does not exist (404), never 403.

import { getApplication, getPosting } from '../../../shared/data/jobs.ts';
import { findCategory } from '../../../shared/domain/catalog.ts';
import { forbidden, notFound } from '../../../shared/domain/errors.ts';
import { EMPLOYMENT_CATEGORY, type JobApplication, type JobPosting } from '../../../shared/domain/jobs.ts';
import { homeCentre, type Caller } from '../../../shared/http/auth.ts';

/** The centre of a clerk of the employment window; 403 for staff of other windows. */
export function employmentWindowCentre(caller: Caller): string {
  const centre = homeCentre(caller);
  if (!caller.categories.includes(EMPLOYMENT_CATEGORY)) {
    throw forbidden(`Job postings and applications are handled at the ${findCategory(EMPLOYMENT_CATEGORY)!.name.en} window (${findCategory(EMPLOYMENT_CATEGORY)!.name.zh}).`);
  }
  return centre;
}

export async function postingOfCentre(id: string, centre: string): Promise<JobPosting> {
  const posting = await getPosting(id);
  if (!posting || posting.centre !== centre) throw notFound(`No posting ${id} at your centre.`);
  return posting;
}

export async function applicationOfCentre(id: string, centre: string): Promise<JobApplication> {
  const application = await getApplication(id);
  if (!application || application.centre !== centre) throw notFound(`No application ${id} at your centre.`);
  return application;
}
