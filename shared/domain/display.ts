// The hall display (电子信息显示屏), pure: what each window's section shows — now serving, the next three,
// how many wait, the average wait today — and how long a screen may keep an answer. Every screen of every
// hall polls it every few seconds, so the platform keeps one precomputed item per centre (rewritten on each
// change of a queue) and a poll is one GetItem of it. The stored form uses short attribute names to stay far
// below 4 KB (one eventually consistent read unit; a write of 2 KB is 2 write units).
//
// "Next" depends on the clock as well as on the queue: an appointment checked in early is called once its
// slot begins. The stored section therefore keeps the head of the queue together with those early
// appointments and their times, and the answer is derived from it at the moment of the poll.

import { isWorkingDay, shanghaiDate } from './calendar.ts';
import { CATEGORIES } from './catalog.ts';
import { windowsOf, type Centre } from './centres.ts';
import { slotStart } from './slots.ts';
import { callOrder, type QueueEntry, type ServingEntry } from './tickets.ts';

/** Tickets a screen lists as next. */
export const NEXT_SHOWN = 3;
/** Early appointments kept beside the head of the queue (they join it when their slot begins). */
const EARLY_KEPT = 5;
/** Tickets a section lists as being served, the latest call first (any counter may call any window's queue). */
const SERVING_KEPT = 4;

/** One window's section as stored: t ticket, w window, n masked name, a announced at / c callable at (epoch ms). */
export type StoredSection = {
  sv: { t: string; w: string; n?: string; a: number }[];
  up: { t: string; c?: number }[];
  /** Waiting, early appointments included. */
  wt: number;
  /** Average wait of today's first calls, whole minutes; null before the first call. */
  aw: number | null;
};

export type StoredDisplay = { centre: string; date: string; rev: number; updatedAt: string; sections: Record<string, StoredSection> };

/**
 * A window's section from its queue: `entries` are the waiting entries in sort-key order, `serving` the
 * tickets its windows are serving, `calls` today's first calls and their summed waits.
 */
export function displaySection(entries: QueueEntry[], serving: ServingEntry[], calls: { ticketsCalled: number; waitMs: number }, now: Date): StoredSection {
  const callable = new Set(callOrder(entries, now).slice(0, NEXT_SHOWN).map((e) => e.ticketId));
  const early = entries.filter((e) => e.callableAt > now.toISOString()).slice(0, EARLY_KEPT);
  const kept = new Set([...callable, ...early.map((e) => e.ticketId)]);
  return {
    sv: [...serving]
      .sort((a, b) => b.announcedAt.localeCompare(a.announcedAt))
      .slice(0, SERVING_KEPT)
      .map((s) => ({ t: s.ticket, w: s.window, ...(s.name ? { n: s.name } : {}), a: Date.parse(s.announcedAt) })),
    up: entries
      .filter((e) => kept.has(e.ticketId))
      .map((e) => (e.callableAt > now.toISOString() ? { t: e.ticket, c: Date.parse(e.callableAt) } : { t: e.ticket })),
    wt: entries.length,
    aw: calls.ticketsCalled === 0 ? null : Math.round(calls.waitMs / calls.ticketsCalled / 60_000),
  };
}

/** GET /display: every window the centre has, in catalog order; yesterday's item shows an empty hall. */
export function displayView(centre: Centre, stored: StoredDisplay | undefined, now: Date) {
  const today = shanghaiDate(now);
  const sections = stored?.date === today ? stored.sections : {};
  return {
    centre: centre.code,
    name: centre.name.zh,
    date: today,
    open: hallIsOpen(centre, now),
    updatedAt: stored?.date === today ? stored.updatedAt : null,
    categories: CATEGORIES.filter((c) => windowsOf(centre, c) > 0).map((category) => {
      const section = sections[category.code];
      return {
        category: category.code,
        name: category.name.zh,
        serving: (section?.sv ?? []).map((s) => ({ ticket: s.t, window: s.w, ...(s.n ? { name: s.n } : {}), announcedAt: new Date(s.a).toISOString() })),
        next: (section?.up ?? [])
          .filter((u) => u.c === undefined || u.c <= now.getTime())
          .slice(0, NEXT_SHOWN)
          .map((u) => u.t),
        waiting: section?.wt ?? 0,
        avgWaitMinutes: section?.aw ?? null,
      };
    }),
  };
}

/**
 * What the hall says when a ticket is called, in Mandarin (请S012号到3号窗口): the number without its
 * hyphen, as it is read out, and the window label the clerk called from.
 */
export const announcement = (ticket: string, window: string) => `请${ticket.replace('-', '')}号到${window}号窗口`;

/** Screens are switched on from half an hour before the first session to half an hour after the last. */
const SCREEN_MARGIN_MS = 30 * 60_000;
/** While the hall is open a screen may reuse an answer this long: a call shows within a poll or two. */
export const OPEN_MAX_AGE_SECONDS = 2;
/** While it is closed, at most this long, so a screen left on notices the opening within minutes. */
export const CLOSED_MAX_AGE_SECONDS = 300;

/** Between the first session's opening and the last one's closing on a working day, with the margin. */
export function hallIsOpen(centre: Centre, now: Date): boolean {
  const today = shanghaiDate(now);
  if (!isWorkingDay(today)) return false;
  const first = slotStart(today, centre.sessions[0]!.opens).getTime() - SCREEN_MARGIN_MS;
  const last = slotStart(today, centre.sessions.at(-1)!.closes).getTime() + SCREEN_MARGIN_MS;
  return now.getTime() >= first && now.getTime() < last;
}

/**
 * How long a screen (and a CDN in front) may reuse the answer: 2 s while open, so a busy hall costs one
 * request per screen per poll at most; while closed up to 5 minutes, but never past the opening.
 */
export function displayMaxAgeSeconds(centre: Centre, now: Date): number {
  if (hallIsOpen(centre, now)) return OPEN_MAX_AGE_SECONDS;
  const today = shanghaiDate(now);
  const opensToday = slotStart(today, centre.sessions[0]!.opens).getTime() - SCREEN_MARGIN_MS;
  const untilOpening = Math.ceil((opensToday - now.getTime()) / 1000);
  return isWorkingDay(today) && untilOpening > 0 ? Math.max(OPEN_MAX_AGE_SECONDS, Math.min(CLOSED_MAX_AGE_SECONDS, untilOpening)) : CLOSED_MAX_AGE_SECONDS;
}
