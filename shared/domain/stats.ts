// Supervision statistics, pure: which counters each event adds to, and how a period's counters become
// rates and averages. Counters are kept per Shanghai business day and per category or staff member
// (shared/data/stats.ts), so a report over a period merges one small set of counters per day. The
// counter (排队叫号) adds its tickets to the category of their window: issued, first called (with the wait)
// and served (with the service time).

import { addDays, shanghaiDate } from './calendar.ts';
import type { Case } from './cases.ts';
import { CATEGORIES } from './catalog.ts';
import { EMPLOYMENT_CATEGORY } from './jobs.ts';
import { serviceMillis, waitMillis, type Ticket } from './tickets.ts';

/** A category's counters of a day. Durations are summed in milliseconds (integers add up exactly). */
export type CategoryCounters = {
  submitted: number;
  approved: number;
  rejected: number;
  returned: number;
  /** Decisions (approved or rejected) on or before the case's due date. */
  onTime: number;
  /** Sum over decisions of submittedAt → decidedAt. */
  handlingMs: number;
  ratings: number;
  ratingSum: number;
  withdrawn: number;
  /** Queue tickets of the window: walk-ins issued and appointments checked in. */
  ticketsIssued: number;
  /** Tickets called the first time, and the sum of their waits (callable → first call). */
  ticketsCalled: number;
  waitMs: number;
  /** Tickets served to the end, and the sum of their service times (call → done). */
  ticketsServed: number;
  serviceMs: number;
  /** Job applications received by the centre's postings (employment window), and hires among them. */
  jobApplications: number;
  jobHires: number;
};
/** A staff member's counters of a day: approval decisions and the sum of task openedAt → decidedAt. */
export type StaffCounters = { decisions: number; decisionMs: number };

export type CounterOwner = { category: string } | { staff: string };

/** One real-world event and what it adds to one owner's counters of one day. */
export type StatsEvent = {
  /** Unique per event: recording the same event again must not count it again. */
  id: string;
  /** The Shanghai business date the event happened on. */
  date: string;
  /** The service centre whose figures it counts in. */
  centre: string;
  owner: CounterOwner;
  add: Partial<CategoryCounters> | Partial<StaffCounters>;
};

/** What the statistics read of a case. */
type CaseFacts = Pick<Case, 'id' | 'centre' | 'category' | 'submittedAt' | 'dueDate' | 'history'>;

const dateOf = (at: string) => shanghaiDate(new Date(at));
const millisBetween = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/**
 * The event the case's latest transition counts as: its first submission, a return (each return is its
 * own event, named by its place in the history, which only ever grows) or the final decision. Other
 * transitions (in review, resubmitted, failed) count nothing. A staff member's view of a file is history
 * but no transition, and is passed over.
 */
export function caseStatsEvent(c: CaseFacts): StatsEvent | undefined {
  const transitions = c.history.map((entry, i) => (entry.material === undefined ? i : -1)).filter((i) => i >= 0);
  const index = transitions.at(-1) ?? -1;
  const latest = c.history[index];
  if (!latest) return undefined;
  const date = dateOf(latest.at);
  const owner = { category: c.category };
  const centre = c.centre;
  switch (latest.status) {
    case 'submitted':
      return index === 0 ? { id: `${c.id}#submitted`, date, centre, owner, add: { submitted: 1 } } : undefined;
    case 'returned':
      return { id: `${c.id}#returned#${index}`, date, centre, owner, add: { returned: 1 } };
    case 'withdrawn':
      return { id: `${c.id}#withdrawn`, date, centre, owner, add: { withdrawn: 1 } };
    case 'approved':
    case 'rejected':
      return {
        id: `${c.id}#decided`,
        date,
        centre,
        owner,
        add: {
          [latest.status]: 1,
          onTime: c.dueDate !== null && date <= c.dueDate ? 1 : 0,
          handlingMs: millisBetween(c.submittedAt, latest.at),
        },
      };
    default:
      return undefined;
  }
}

/** A staff member's approval decision, counted on the day it was made. */
export function staffDecisionEvent(task: { id: string; centre: string; openedAt: string; decidedBy: string; decidedAt: string }): StatsEvent {
  return {
    id: `${task.id}#decision`,
    date: dateOf(task.decidedAt),
    centre: task.centre,
    owner: { staff: task.decidedBy },
    add: { decisions: 1, decisionMs: millisBetween(task.openedAt, task.decidedAt) },
  };
}

/** A resident's rating, counted for the case's category on the day it was given. */
export function ratingStatsEvent(c: { id: string; centre: string; category: string }, score: number, at: string): StatsEvent {
  return { id: `${c.id}#rating`, date: dateOf(at), centre: c.centre, owner: { category: c.category }, add: { ratings: 1, ratingSum: score } };
}

type TicketFacts = Pick<Ticket, 'id' | 'centre' | 'category' | 'date' | 'callableAt'>;

/** A ticket joined its window's queue (issued to a walk-in, or an appointment checked in). */
export const ticketIssuedEvent = (t: TicketFacts): StatsEvent => ({
  id: `${t.id}#issued`,
  date: t.date,
  centre: t.centre,
  owner: { category: t.category },
  add: { ticketsIssued: 1 },
});

/** Its first call: how long it waited. A rejoined ticket's second call is not a second wait. */
export const ticketCalledEvent = (t: TicketFacts, firstCalledAt: string): StatsEvent => ({
  id: `${t.id}#called`,
  date: t.date,
  centre: t.centre,
  owner: { category: t.category },
  add: { ticketsCalled: 1, waitMs: waitMillis(t, firstCalledAt) },
});

/** Served to the end at the window: how long the service took. */
export const ticketServedEvent = (t: TicketFacts, calledAt: string, doneAt: string): StatsEvent => ({
  id: `${t.id}#served`,
  date: t.date,
  centre: t.centre,
  owner: { category: t.category },
  add: { ticketsServed: 1, serviceMs: serviceMillis(calledAt, doneAt) },
});

/** A resident applied to a posting of the centre: counted for the employment window on the day. */
export const jobApplicationEvent = (a: { id: string; centre: string; appliedAt: string }): StatsEvent => ({
  id: `${a.id}#applied`,
  date: dateOf(a.appliedAt),
  centre: a.centre,
  owner: { category: EMPLOYMENT_CATEGORY },
  add: { jobApplications: 1 },
});

/** An applicant was hired: counted on the day staff marked it, once however often it is retried. */
export const jobHireEvent = (a: { id: string; centre: string }, at: string): StatsEvent => ({
  id: `${a.id}#hired`,
  date: dateOf(at),
  centre: a.centre,
  owner: { category: EMPLOYMENT_CATEGORY },
  add: { jobHires: 1 },
});

/** A year, leap day included: one counter partition is read per day. */
export const MAX_STATS_DAYS = 366;

/** Every business date from `from` to `to`, both included. */
export function periodDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The number of days from `from` to `to`, both included (0 when `to` is before `from`). */
export const periodLength = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1);

export type CounterRow = { owner: CounterOwner; counts: Partial<CategoryCounters & StaffCounters> };

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
/** part / whole, or null when nothing was counted (no decision, no rating): 0 would be a false verdict. */
const average = (part: number, whole: number, digits: number) => (whole === 0 ? null : round(part / whole, digits));

const EMPTY_CATEGORY: CategoryCounters = {
  submitted: 0,
  approved: 0,
  rejected: 0,
  returned: 0,
  onTime: 0,
  handlingMs: 0,
  ratings: 0,
  ratingSum: 0,
  withdrawn: 0,
  ticketsIssued: 0,
  ticketsCalled: 0,
  waitMs: 0,
  ticketsServed: 0,
  serviceMs: 0,
  jobApplications: 0,
  jobHires: 0,
};
const EMPTY_STAFF: StaffCounters = { decisions: 0, decisionMs: 0 };

function sum<T extends Record<string, number>>(into: T, counts: Partial<Record<keyof T, number>>): T {
  for (const key of Object.keys(into) as (keyof T)[]) (into[key] as number) += counts[key] ?? 0;
  return into;
}

/** The counter's figures of some tickets: how many, and the average wait and service in minutes (one decimal). */
export function counterFigures(n: Pick<CategoryCounters, 'ticketsIssued' | 'ticketsCalled' | 'waitMs' | 'ticketsServed' | 'serviceMs'>) {
  return {
    ticketsIssued: n.ticketsIssued,
    ticketsServed: n.ticketsServed,
    avgWaitMinutes: average(n.waitMs / MINUTE_MS, n.ticketsCalled, 1),
    avgServiceMinutes: average(n.serviceMs / MINUTE_MS, n.ticketsServed, 1),
  };
}

/** The employment service's figures: applications to the centre's postings and hires. */
export const jobFigures = (n: Pick<CategoryCounters, 'jobApplications' | 'jobHires'>) => ({ jobApplications: n.jobApplications, jobHires: n.jobHires });

/**
 * The report of a period from its days' counters: every category of the catalog (zeros included, so a
 * quiet window shows as quiet), every staff member who decided something, most decisions first, and the
 * counter's figures of the whole centre. onTimeRate is a share (0–1, four decimals); hours and ratings have
 * two decimals, minutes one.
 */
export function statsReport(rows: CounterRow[]) {
  const categories = new Map<string, CategoryCounters>();
  const staff = new Map<string, StaffCounters>();
  for (const { owner, counts } of rows) {
    if ('category' in owner) {
      const totals = categories.get(owner.category) ?? { ...EMPTY_CATEGORY };
      categories.set(owner.category, sum(totals, counts));
    } else {
      const totals = staff.get(owner.staff) ?? { ...EMPTY_STAFF };
      staff.set(owner.staff, sum(totals, counts));
    }
  }
  return {
    categories: CATEGORIES.map(({ code, name }) => {
      const n = categories.get(code) ?? EMPTY_CATEGORY;
      const decided = n.approved + n.rejected;
      return {
        category: code,
        name: name.zh,
        submitted: n.submitted,
        approved: n.approved,
        rejected: n.rejected,
        returned: n.returned,
        onTimeRate: average(n.onTime, decided, 4),
        avgHandlingHours: average(n.handlingMs / HOUR_MS, decided, 2),
        ratings: n.ratings,
        avgRating: average(n.ratingSum, n.ratings, 2),
        withdrawn: n.withdrawn,
        ...counterFigures(n),
      };
    }),
    counter: counterFigures([...categories.values()].reduce((total, n) => sum(total, n), { ...EMPTY_CATEGORY })),
    jobs: jobFigures([...categories.values()].reduce((total, n) => sum(total, n), { ...EMPTY_CATEGORY })),
    staff: [...staff]
      .map(([userId, n]) => ({ userId, decisions: n.decisions, avgDecisionHours: average(n.decisionMs / HOUR_MS, n.decisions, 2) }))
      .sort((a, b) => b.decisions - a.decisions || a.userId.localeCompare(b.userId)),
  };
}
