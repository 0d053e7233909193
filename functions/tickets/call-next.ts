// POST /windows/{category}/call-next — a clerk calls the next ticket of a window's queue at their centre to
// their counter (叫号): checked-in appointments whose slot has begun first, then walk-ins, each by number.
// The ticket the counter was serving is done first. Each attempt is one transaction guarded by the
// ticket's status, so clerks pressing at once call different tickets: a clerk whose ticket was taken a
// moment earlier takes the next one, and with nobody left gets 404 queue_empty. The resident who is now two
// places from a window gets one SMS.

import { getResident } from '../../shared/data/residents.ts';
import { recordStatsEvent } from '../../shared/data/stats.ts';
import { callTicket, claimNearTurnSms, getTicket, servingEntries, waitingEntries, type Queue } from '../../shared/data/tickets.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { ticketCalledEvent } from '../../shared/domain/stats.ts';
import { callOrder, NEAR_TURN_AHEAD, nearTurn, queueEmpty, type QueueEntry } from '../../shared/domain/tickets.ts';
import * as api from '../../shared/api/tickets.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';
import { queueChanged } from './lib/queue-changed.ts';
import { serveToEnd } from './lib/serve-to-end.ts';

/** Reads of the queue before a clerk who lost every race is told it is empty: new tickets may have come. */
const READS = 3;

export const handler = apiHandler(api.callNext, async ({ params, body, caller }) => {
  const now = new Date();
  const at = now.toISOString();
  const q: Queue = { centre: homeCentre(caller), category: params.category, date: shanghaiDate(now) };
  await finishWindow(q, body.window, at);
  const called = await callNext(q, body.window, caller.userId, now);
  if (!called) throw queueEmpty(`Nobody is waiting at the ${findCategory(q.category)!.name.zh} window who may be called now.`);
  if (called.skips === 0) await recordStatsEvent(ticketCalledEvent({ ...q, id: called.ticketId, callableAt: called.callableAt }, at));
  const entries = await queueChanged(q, now);
  await textNearTurn(q, entries, now);
  return ok({ id: called.ticketId, ticket: called.ticket, window: body.window, status: 'called', ...(called.name ? { name: called.name } : {}) });
});

/** The counter moves on: whatever it was serving is done. A ticket another clerk finished meanwhile is left alone. */
async function finishWindow(q: Queue, window: string, at: string): Promise<void> {
  for (const serving of await servingEntries(q, window)) {
    const t = await getTicket(serving.ticketId);
    if (t?.status !== 'called') continue;
    try {
      await serveToEnd(t, at);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'invalid_state')) throw error;
    }
  }
}

/** The first waiting ticket this clerk wins, in call order; undefined when nobody is left to call. */
async function callNext(q: Queue, window: string, staffId: string, now: Date): Promise<QueueEntry | undefined> {
  for (let read = 1; read <= READS; read++) {
    const order = callOrder(await waitingEntries(q), now);
    if (order.length === 0) return undefined;
    for (const entry of order) if (await callTicket(q, entry, window, staffId, now.toISOString())) return entry;
  }
  return undefined;
}

/** One SMS to the resident now NEAR_TURN_AHEAD places from a window, claimed first so it goes out once. */
async function textNearTurn(q: Queue, entries: QueueEntry[], now: Date): Promise<void> {
  const near = nearTurn(entries, now);
  if (!near?.residentId) return;
  try {
    const profile = await getResident(near.residentId);
    if (!profile || !(await claimNearTurnSms(near.ticketId, now.toISOString()))) return;
    await notifier.send({
      residentId: near.residentId,
      to: profile.phone,
      template: 'queue-near-turn',
      params: { window: findCategory(q.category)!.name.zh, ticket: near.ticket, ahead: NEAR_TURN_AHEAD },
      reference: near.ticketId,
    });
  } catch (error) {
    log.error('near-turn SMS not sent', { ticketId: near.ticketId, errorName: (error as Error).name });
  }
}
