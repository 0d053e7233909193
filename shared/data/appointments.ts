// Appointments at the service windows, the places of each slot and the day's ticket numbers. A booking
// takes a place, writes the appointment and claims the resident's day in ONE transaction, so of any
// number of simultaneous bookings no more than the slot's capacity succeed and a resident never holds two
// active appointments on one day; a cancellation gives back exactly one place in the same way. Checking
// in puts the appointment's ticket in the window's queue (shared/data/tickets.ts), which walk-in tickets
// share the day's numbers with.
//
// Items
//   slot places   pk SLOT#<centre>#<category>#<date>  sk <time>          booked (ADD; created by the first booking)
//   ticket seq    pk COUNTER#TICKET#<centre>#<category>#<date>  sk COUNTER  (ADD: the day's ticket numbers)
//   day claim     pk RESIDENT#<residentId>  sk APPT-DAY#<date>#<category>   appointmentId (while the appointment is active)
//   appointment   pk APPT#<id>  sk APPT
//                 gsi1 OWNER#<residentId> / APPT#<date>#<time>#<id>   (a resident's appointments, by date)
//                 gsi2 APPTS#<centre>#<category>#<date> / <ticket sequence>  (the window's day list in ticket order)

import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment } from '../domain/appointments.ts';
import { conflict } from '../domain/errors.ts';
import { db, tableName } from './client.ts';
import { applied, cancellationCodes, transactWrite } from './conditional-writes.ts';
import { appointmentKeys, caseKeys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, queryAll, type ListQuery, type Page } from './pagination.ts';


/** Counters and claims of a day are kept a while after it for staff questions, then DynamoDB drops them. */
const KEEP_AFTER_DAY_SECONDS = 90 * 24 * 3600;

const expiresAfter = (date: string) => Math.floor(new Date(`${date}T00:00:00Z`).getTime() / 1000) + KEEP_AFTER_DAY_SECONDS;

const toAppointment = (item: Record<string, unknown>) => withoutKeys<Appointment>(item);

/** Which items of a cancelled transaction failed their condition, in the order they were given. */
const failedConditions = (error: unknown): boolean[] => cancellationCodes(error).map((code) => code === 'ConditionalCheckFailed');

/**
 * The next ticket number of a category's day: an atomic ADD, so two bookings never get the same number
 * and later bookings get higher ones. Bookings are checked (checkBookable) before they take one, so only a
 * booking that loses a race between its check and its transaction leaves a number unused: numbers may have
 * such gaps, never repeats.
 */
export async function nextTicketSequence(centre: string, category: string, date: string): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: appointmentKeys.ticketSequence(centre, category, date),
      UpdateExpression: 'ADD #seq :one SET expiresAt = :expires',
      ExpressionAttributeNames: { '#seq': 'seq' },
      ExpressionAttributeValues: { ':one': 1, ':expires': expiresAfter(date) },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes!.seq as number;
}

const duplicateAppointment = (date: string, category: string) =>
  conflict('duplicate_appointment', `You already have an active appointment at the ${category} window on ${date}; another window the same day is fine.`);
const slotFull = (date: string, time: string) => conflict('slot_full', `Every place of the ${time} slot on ${date} is taken.`);

/**
 * Refuses a booking that cannot succeed BEFORE it takes a ticket number, so refused requests (a full slot,
 * a second booking of the day at that window) cannot inflate a window's numbers: the resident's day claim and the slot's
 * places, read consistently (a cancellation a moment ago counts). The booking transaction still decides
 * every race; this only keeps requests that would certainly fail away from the counter.
 */
export async function checkBookable(
  booking: Pick<Appointment, 'centre' | 'category' | 'date' | 'time' | 'residentId'>,
  capacity: number,
  /** A booking being moved: its own claim on the day does not count. */
  replacing?: string,
): Promise<void> {
  const { centre, category, date, time, residentId } = booking;
  const read = (Key: Record<string, string>) => db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
  const [dayClaim, slot] = await Promise.all([read(appointmentKeys.dayClaim(residentId, date, category)), read(appointmentKeys.slot(centre, category, date, time))]);
  if (dayClaim.Item && dayClaim.Item.appointmentId !== replacing) throw duplicateAppointment(date, category);
  if (((slot.Item?.booked as number | undefined) ?? 0) >= capacity) throw slotFull(date, time);
}

// The items of the transactions that book, cancel and move appointments: each write once, shared by all three.

/** Takes one of the slot's `capacity` places; the counter appears with the first booking. */
const placeTaken = ({ centre, category, date, time }: Appointment, capacity: number) => ({
  Update: {
    TableName: tableName,
    Key: appointmentKeys.slot(centre, category, date, time),
    UpdateExpression: 'ADD booked :one SET expiresAt = :expires',
    ConditionExpression: 'attribute_not_exists(booked) OR booked < :capacity',
    ExpressionAttributeValues: { ':one': 1, ':capacity': capacity, ':expires': expiresAfter(date) },
  },
});

const placeFreed = ({ centre, category, date, time }: Appointment) => ({
  Update: {
    TableName: tableName,
    Key: appointmentKeys.slot(centre, category, date, time),
    UpdateExpression: 'ADD booked :minusOne',
    ConditionExpression: 'booked > :zero',
    ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
  },
});

const appointmentWritten = (appointment: Appointment) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...appointmentKeys.item(appointment.id),
      ...appointment,
      gsi1pk: caseKeys.owner(appointment.residentId),
      gsi1sk: appointmentKeys.ownerOrder(appointment.date, appointment.time, appointment.id),
      gsi2pk: appointmentKeys.dayList(appointment.centre, appointment.category, appointment.date),
      gsi2sk: appointmentKeys.dayOrder(appointment.sequence),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** Only a `booked` appointment of this resident passes, so two cancels (or moves) at once free one place, once. */
const appointmentCancelled = ({ id, residentId }: Appointment, at: string, rescheduledTo?: string) => ({
  Update: {
    TableName: tableName,
    Key: appointmentKeys.item(id),
    UpdateExpression: `SET #status = :cancelled, cancelledAt = :at${rescheduledTo ? ', rescheduledTo = :to' : ''}`,
    ConditionExpression: '#status = :booked AND residentId = :resident',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':cancelled': 'cancelled', ':booked': 'booked', ':at': at, ':resident': residentId, ...(rescheduledTo ? { ':to': rescheduledTo } : {}) },
  },
});

const dayClaimed = ({ id, residentId, date, category }: Appointment) => ({
  Put: {
    TableName: tableName,
    Item: { ...appointmentKeys.dayClaim(residentId, date, category), appointmentId: id, expiresAt: expiresAfter(date) },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const dayReleased = ({ id, residentId, date, category }: Appointment) => ({
  Delete: {
    TableName: tableName,
    Key: appointmentKeys.dayClaim(residentId, date, category),
    ConditionExpression: 'appointmentId = :id',
    ExpressionAttributeValues: { ':id': id },
  },
});

/** A move within the same day keeps the claim and points it at the new appointment (one write per item). */
const dayClaimMoved = (from: Appointment, to: Appointment) => ({
  Update: {
    TableName: tableName,
    Key: appointmentKeys.dayClaim(from.residentId, from.date, from.category),
    UpdateExpression: 'SET appointmentId = :to',
    ConditionExpression: 'appointmentId = :from',
    ExpressionAttributeValues: { ':from': from.id, ':to': to.id },
  },
});

/**
 * Books a place: takes one of the slot's `capacity` places, writes the appointment and claims the
 * resident's day at that window, all or nothing. 409 duplicate_appointment if the resident already holds an
 * active appointment at that window that day, 409 slot_full if every place is taken.
 */
export async function bookAppointment(appointment: Appointment, capacity: number): Promise<void> {
  const { category, date, time } = appointment;
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: [placeTaken(appointment, capacity), appointmentWritten(appointment), dayClaimed(appointment)] }));
  } catch (error) {
    const [full, , dayTaken] = failedConditions(error);
    // Both can hold at once; the resident's own earlier booking is the more useful thing to be told.
    if (dayTaken) throw duplicateAppointment(date, category);
    if (full) throw slotFull(date, time);
    throw error;
  }
}

/** Places taken per slot time of a category's day; a slot nobody booked yet is absent (0 taken). */
export async function placesTaken(centre: string, category: string, date: string): Promise<Map<string, number>> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :slots',
      ExpressionAttributeValues: { ':slots': appointmentKeys.slots(centre, category, date) },
      ConsistentRead: true,
    }),
  );
  return new Map((Items ?? []).map((item) => [item.sk as string, item.booked as number]));
}

export async function getAppointment(id: string): Promise<Appointment | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: appointmentKeys.item(id), ConsistentRead: true }));
  return Item ? toAppointment(Item) : undefined;
}

/**
 * Cancels the resident's booked appointment and gives its place and the resident's day back, all or
 * nothing. 409 invalid_state once it is no longer booked (cancelled twice, or at once from two devices).
 */
export async function cancelAppointment(appointment: Appointment, at: string): Promise<void> {
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: [appointmentCancelled(appointment, at), placeFreed(appointment), dayReleased(appointment)] }));
  } catch (error) {
    if (failedConditions(error).some(Boolean)) throw conflict('invalid_state', `Appointment ${appointment.id} is no longer booked.`);
    throw error;
  }
}

/**
 * Moves a booking to another slot of the same window in one transaction: the old appointment is cancelled
 * (pointing at the new one) and its place freed, the new place taken and the new appointment written, and
 * the resident's claim follows to the new day. Nothing changes unless all of it does: a full slot, a booking
 * already held at that window on the new day, or the old one no longer booked (409) leave the old as it was.
 */
export async function rescheduleAppointment(from: Appointment, to: Appointment, capacity: number, at: string): Promise<void> {
  const sameDay = from.date === to.date;
  const claim = sameDay ? [dayClaimMoved(from, to)] : [dayReleased(from), dayClaimed(to)];
  try {
    await transactWrite(
      new TransactWriteCommand({ TransactItems: [appointmentCancelled(from, at, to.id), placeFreed(from), placeTaken(to, capacity), appointmentWritten(to), ...claim] }),
    );
  } catch (error) {
    // The fifth item is the old claim (released, or moved within the day), the sixth the new day's claim.
    const [notBooked, , full, , oldClaim, newClaim] = failedConditions(error);
    if (notBooked || oldClaim) throw conflict('invalid_state', `Appointment ${from.id} is no longer booked.`);
    if (newClaim) throw duplicateAppointment(to.date, to.category);
    if (full) throw slotFull(to.date, to.time);
    throw error;
  }
}

/** A resident's own appointments, latest date first. */
export async function listAppointmentsOfResident(residentId: string, limit: number, cursor?: string): Promise<Page<Appointment>> {
  const list: ListQuery = { index: 'gsi1', partition: caseKeys.owner(residentId), sort: { beginsWith: appointmentKeys.ownerPrefix } };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map(toAppointment), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** A resident's appointments on one day (the counter's view after an ID-card swipe); at most a handful. */
export async function appointmentsOfResidentOn(residentId: string, date: string): Promise<Appointment[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :owner AND begins_with(gsi1sk, :day)',
      ExpressionAttributeValues: { ':owner': caseKeys.owner(residentId), ':day': appointmentKeys.ownerDayPrefix(date) },
    }),
  );
  return (Items ?? []).map(toAppointment);
}

/** A centre's window's appointments of one day in ticket order, every status (staff see who cancelled too). */
export async function listAppointmentsOfDay(centre: string, category: string, date: string, limit: number, cursor?: string): Promise<Page<Appointment>> {
  const list: ListQuery = { index: 'gsi2', partition: appointmentKeys.dayList(centre, category, date) };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map(toAppointment), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** Booked appointments of a window's day not yet reminded, page by page (the reminder job walks them all). */
export async function* appointmentsAwaitingReminder(centre: string, category: string, date: string): AsyncGenerator<Appointment> {
  const items = queryAll({
    TableName: tableName,
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :day',
    FilterExpression: '#status = :booked AND attribute_not_exists(remindedAt)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':day': appointmentKeys.dayList(centre, category, date), ':booked': 'booked' },
  });
  for await (const item of items) yield toAppointment(item);
}

/** Claims the appointment's one reminder: true for the single caller that may send it. */
export async function claimReminder(id: string, at: string): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: appointmentKeys.item(id),
        UpdateExpression: 'SET remindedAt = :at',
        ConditionExpression: '#status = :booked AND attribute_not_exists(remindedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':booked': 'booked', ':at': at },
      }),
    ),
  );
}

/** Gives a claimed reminder back when its SMS could not even be stored for a retry, so the next run tries again. */
export async function releaseReminder(id: string, claimedAt: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: appointmentKeys.item(id),
        UpdateExpression: 'REMOVE remindedAt',
        ConditionExpression: 'remindedAt = :at',
        ExpressionAttributeValues: { ':at': claimedAt },
      }),
    ),
  );
}
