// Queue tickets at a centre's window (排队叫号): a walk-in's ticket (现场取号) or a checked-in appointment,
// and the pure rules of the day's queue — who is called next, where a skipped ticket rejoins, who is near
// their turn, and how long people waited and were served. Numbers come from the same per-centre, window
// and day sequence as appointments, so a ticket number never repeats (shared/data/appointments.ts).

import type { Appointment } from './appointments.ts';
import type { Category } from './catalog.ts';
import type { Centre } from './centres.ts';
import { DomainError } from './errors.ts';
import { slotStart, ticketNumber } from './slots.ts';

export const TICKET_STATUSES = ['waiting', 'called', 'done', 'skipped'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketKind = 'walk-in' | 'appointment';

/**
 * The queue's order is its sort key: priority, then position. Checked-in appointments (1) come before
 * walk-ins (2), each by number; a skipped ticket rejoins once among the walk-ins, after every number
 * issued so far. An appointment checked in before its slot waits in place but is not called before the
 * slot begins (`callableAt`).
 */
export type QueuePriority = 1 | 2;
export const APPOINTMENT_PRIORITY: QueuePriority = 1;
export const WALK_IN_PRIORITY: QueuePriority = 2;

export type Ticket = {
  /** T20261201-ZZY-S012: the day, the centre and the number, readable at the counter. */
  id: string;
  /** S-012, as printed and called. */
  ticket: string;
  centre: string;
  category: string;
  date: string;
  sequence: number;
  kind: TicketKind;
  appointmentId?: string;
  /** The resident served, when known (an appointment, or a walk-in the clerk named). */
  residentId?: string;
  /** The masked name the hall shows (李*英); never the full name, ID number or phone. */
  name?: string;
  issuedAt: string;
  issuedBy: string;
  /** From when it may be called: its issue, or an appointment's check-in but not before its slot begins. */
  callableAt: string;
  status: TicketStatus;
  priority: QueuePriority;
  /** Its place among its priority: the number, or for a rejoined ticket the point it rejoined at. */
  position: string;
  /** 0, or 1 once it was skipped and rejoined (the second skip removes it). */
  skips: number;
  window?: string;
  /** The latest call (a rejoined ticket is called again). */
  calledAt?: string;
  firstCalledAt?: string;
  calledBy?: string;
  recalls?: number;
  recalledAt?: string;
  doneAt?: string;
  skippedAt?: string;
  /** The one near-turn SMS has been sent (claimed before sending). */
  nearTurnSmsAt?: string;
};

/** What the queue holds for a waiting ticket: enough to order, call, announce and text it. */
export type QueueEntry = Pick<Ticket, 'ticket' | 'sequence' | 'priority' | 'position' | 'callableAt' | 'skips' | 'name' | 'residentId'> & {
  ticketId: string;
};

/** A ticket being served at a window: what the hall shows as 正在办理. */
export type ServingEntry = { ticketId: string; ticket: string; window: string; name?: string; announcedAt: string };

/** How many places before the window a resident is texted (…还有2位…). */
export const NEAR_TURN_AHEAD = 2;
/** A skipped ticket rejoins the queue this many times; the next skip removes it. */
export const MAX_REJOINS = 1;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The position of a number among its priority: zero-padded so that it sorts as the number. */
export const numberPosition = (sequence: number) => pad(sequence, 6);

/**
 * Where a skipped ticket rejoins: after every number issued so far (`lastIssued`), before the next one.
 * "000015#R000012" sorts after walk-in 15 and before 16, so later walk-ins still come after it.
 */
export const rejoinPosition = (lastIssued: number, sequence: number) => `${numberPosition(lastIssued)}#R${numberPosition(sequence)}`;

/** T20261201-ZZY-S012: unique because the number is unique per centre, window and day. */
export const ticketId = (date: string, centre: Centre, category: Category, sequence: number) =>
  `T${date.replaceAll('-', '')}-${centre.shortCode}-${category.ticketLetter}${pad(sequence, 3)}`;

export const TICKET_ID_PATTERN = /^T\d{8}-[A-Z]{3}-[A-Z]\d{3,6}$/;

/** A walk-in's ticket with the day's next number; `resident` when the clerk knows who it is. */
export function walkInTicket(
  centre: Centre,
  category: Category,
  date: string,
  sequence: number,
  resident: { userId: string; name: string } | undefined,
  issuedBy: string,
  at: string,
): Ticket {
  return {
    id: ticketId(date, centre, category, sequence),
    ticket: ticketNumber(category, sequence),
    centre: centre.code,
    category: category.code,
    date,
    sequence,
    kind: 'walk-in',
    ...(resident ? { residentId: resident.userId, name: maskName(resident.name) } : {}),
    issuedAt: at,
    issuedBy,
    callableAt: at,
    status: 'waiting',
    priority: WALK_IN_PRIORITY,
    position: numberPosition(sequence),
    skips: 0,
  };
}

/** A checked-in appointment's ticket: its own number, callable from check-in but not before its slot. */
export function appointmentTicket(a: Appointment, centre: Centre, category: Category, checkedInBy: string, at: string): Ticket {
  return {
    id: ticketId(a.date, centre, category, a.sequence),
    ticket: a.ticket,
    centre: a.centre,
    category: a.category,
    date: a.date,
    sequence: a.sequence,
    kind: 'appointment',
    appointmentId: a.id,
    residentId: a.residentId,
    name: maskName(a.residentName),
    issuedAt: at,
    issuedBy: checkedInBy,
    callableAt: appointmentCallableAt(at, slotStart(a.date, a.time).toISOString()),
    status: 'waiting',
    priority: APPOINTMENT_PRIORITY,
    position: numberPosition(a.sequence),
    skips: 0,
  };
}

/** 404 queue_empty: nobody waits who may be called now. */
export const queueEmpty = (detail: string) => new DomainError(404, 'queue_empty', 'Queue empty', detail);

/** The queue entry of a waiting ticket. */
export const queueEntryOf = (t: Ticket): QueueEntry => ({
  ticketId: t.id,
  ticket: t.ticket,
  sequence: t.sequence,
  priority: t.priority,
  position: t.position,
  callableAt: t.callableAt,
  skips: t.skips,
  ...(t.name ? { name: t.name } : {}),
  ...(t.residentId ? { residentId: t.residentId } : {}),
});

/**
 * The waiting tickets in the order they are called, from the entries in sort-key order: everyone who may
 * be called now. An appointment checked in early keeps its place and is skipped over until its slot begins.
 */
export const callOrder = (entries: QueueEntry[], now: Date) => entries.filter((e) => e.callableAt <= now.toISOString());

/** How many are called before this entry now (its `ahead`); undefined when it cannot be called yet. */
export function aheadOf(entries: QueueEntry[], ticketIdValue: string, now: Date): number | undefined {
  const index = callOrder(entries, now).findIndex((e) => e.ticketId === ticketIdValue);
  return index < 0 ? undefined : index;
}

/** The entry that is now NEAR_TURN_AHEAD places from the window, if any. */
export const nearTurn = (entries: QueueEntry[], now: Date): QueueEntry | undefined => callOrder(entries, now)[NEAR_TURN_AHEAD];

/** What a skip does: the first one sends the ticket to the end of the queue, the next removes it. */
export const afterSkip = (t: Pick<Ticket, 'skips'>): 'rejoin' | 'removed' => (t.skips < MAX_REJOINS ? 'rejoin' : 'removed');

/** An appointment is callable from its check-in, but never before its slot begins. */
export const appointmentCallableAt = (checkedInAt: string, slotStartsAt: string) => (checkedInAt > slotStartsAt ? checkedInAt : slotStartsAt);

/** 李秀英 → 李*英, 李英 → 李*, Wang → W**g: the hall may show who is called, never the whole name. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

const millisBetween = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/** From when it could be called to its first call. */
export const waitMillis = (t: Pick<Ticket, 'callableAt'>, firstCalledAt: string) => Math.max(0, millisBetween(t.callableAt, firstCalledAt));

/** From its (last) call to done. */
export const serviceMillis = (calledAt: string, doneAt: string) => Math.max(0, millisBetween(calledAt, doneAt));
