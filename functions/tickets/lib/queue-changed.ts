// What follows every change of a window's queue: the hall display is rewritten from the queue as it is
// now. A display that could not be rewritten is logged, not thrown: the ticket's own change is written and
// the next change of the queue rewrites the display anyway.

import { refreshHallDisplay } from '../../../shared/data/display.ts';
import { waitingEntries, type Queue } from '../../../shared/data/tickets.ts';
import type { QueueEntry } from '../../../shared/domain/tickets.ts';
import { log } from '../../../shared/log.ts';

/** Rewrites the hall display; answers the queue's waiting entries as they are now. */
export async function queueChanged(q: Queue, now: Date): Promise<QueueEntry[]> {
  try {
    return await refreshHallDisplay(q, now);
  } catch (error) {
    log.error('hall display not rewritten; the next change of the queue rewrites it', { centre: q.centre, category: q.category, errorName: (error as Error).name });
    return waitingEntries(q);
  }
}
