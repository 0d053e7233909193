// POST /appointments/{id}/reschedule — a resident moves their own booking to another slot of the same
// window and centre, before the old slot begins. One transaction cancels the old appointment (it points at
// the new one), frees its place, takes the new place, writes the new appointment with a ticket number of
// the new day and moves the resident's claim (shared/data/appointments.ts): either the resident holds the
// new booking, or still the old one. An SMS names the new ticket, like a booking's.

import * as api from '../../shared/api/appointments.ts';
import { checkBookable, nextTicketSequence, rescheduleAppointment } from '../../shared/data/appointments.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { getResident } from '../../shared/data/residents.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import { businessRule } from '../../shared/domain/errors.ts';
import { bookedAppointment, checkBookableSlot, slotCapacity } from '../../shared/domain/slots.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { sendBooked } from './lib/booked-sms.ts';
import { ownChangeableAppointment } from './lib/own-booking.ts';

export const handler = apiHandler(api.rescheduleAppointment, async ({ params, body, caller, headers }) => {
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'reschedule-appointment', userId: caller.userId, key, fingerprint: { id: params.id, ...body } }, async () => {
    const now = new Date();
    const from = await ownChangeableAppointment(params.id, caller.userId, now, 'moved');
    if (from.date === body.date && from.time === body.time) {
      throw businessRule(`Appointment ${from.id} is already in the ${body.time} slot of ${body.date}.`, [{ path: 'time', message: 'the slot it is in' }]);
    }
    const centre = findCentre(from.centre)!;
    const category = findCategory(from.category)!;
    checkBookableSlot(centre, body.date, body.time, now);
    const capacity = slotCapacity(centre, category);
    await checkBookable({ centre: centre.code, category: category.code, date: body.date, time: body.time, residentId: caller.userId }, capacity, from.id);
    const sequence = await nextTicketSequence(centre.code, category.code, body.date);
    const to = bookedAppointment(from, { centre, category, date: body.date, time: body.time, sequence }, now);
    await rescheduleAppointment(from, to, capacity, now.toISOString());
    const profile = await getResident(caller.userId);
    if (profile) await sendBooked(to, category, profile.phone);
    return ok(api.appointmentView(to));
  });
});
