// Scheduled job: closes the postings whose closing day (Shanghai) has passed — they leave the open lists and take
// no more applications (POST /jobs/{id}/applications refuses them already from the day after, whether or not
// this has run). Safe to run twice: each close is conditional on the posting being open.

import { closePosting, postingsClosedBefore } from '../../shared/data/jobs.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { log } from '../../shared/log.ts';

const PAGE = 100;
/** Pages per run: a backlog beyond this is closed by the next run. */
const MAX_PAGES = 20;

export const handler = async (): Promise<{ closed: number }> => {
  const now = new Date();
  const today = shanghaiDate(now);
  let closed = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const due = await postingsClosedBefore(today, PAGE);
    for (const posting of due) if (await closePosting(posting, now.toISOString())) closed += 1;
    if (due.length < PAGE) break;
  }
  if (closed > 0) log.info('postings closed', { closed });
  return { closed };
};
