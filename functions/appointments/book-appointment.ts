// POST /appointments — a resident books a place in a slot of a centre's window on a working day (their own
// centre unless they name another) and gets a ticket number. The window is the `category`, or the window of
// the `matter` when only the matter is named. The place, the appointment and the resident's claim on that
// window's day (one active booking per window and day: 社保 and 就业 in one visit are fine) are written in one
// transaction (shared/data/appointments.ts); the ticket number comes from the day's atomic counter, taken only
// after every check that can refuse the booking (a full slot or a second booking of that window's day takes
// no number). An SMS names ticket, window, date and time.

import { bookAppointment, checkBookable, nextTicketSequence } from '../../shared/data/appointments.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { getResident } from '../../shared/data/residents.ts';
import { findCategory, findMatter } from '../../shared/domain/catalog.ts';
import { businessRule, validationFailed } from '../../shared/domain/errors.ts';
import { bookedAppointment, checkBookableSlot, slotCapacity } from '../../shared/domain/slots.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { bookingCentre } from './lib/booking-centre.ts';
import { sendBooked } from './lib/booked-sms.ts';

/** The window booked: the one named, else the matter's; a matter of another window than the one named is 400. */
function windowOf(body: { category?: string | undefined; matter?: string | undefined }) {
  const matterWindow = body.matter ? findMatter(body.matter)!.category : undefined;
  const code = body.category ?? matterWindow;
  if (!code) throw validationFailed([{ path: 'category', message: 'name the window (category), or the matter to do there' }]);
  if (matterWindow && matterWindow !== code) throw validationFailed([{ path: 'matter', message: `not a matter of the ${code} window` }]);
  return findCategory(code)!;
}

export const handler = apiHandler(api.bookAppointment, async ({ body, caller, headers }) => {
  const category = windowOf(body);
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'book-appointment', userId: caller.userId, key, fingerprint: body }, async () => {
    // The SMS needs the resident's phone and staff call the resident by name: both come from the profile.
    const profile = await getResident(caller.userId);
    if (!profile) throw businessRule('Create your profile with PUT /me before booking an appointment.');
    const centre = bookingCentre(body.centre, profile, category);
    // Inside: a retry that arrives after the slot began still gets the booking it made, not a 422.
    checkBookableSlot(centre, body.date, body.time, new Date());
    const capacity = slotCapacity(centre, category);
    await checkBookable({ centre: centre.code, category: category.code, date: body.date, time: body.time, residentId: caller.userId }, capacity);
    const sequence = await nextTicketSequence(centre.code, category.code, body.date);
    const appointment = bookedAppointment(
      { residentId: caller.userId, residentName: profile.name, matter: body.matter },
      { centre, category, date: body.date, time: body.time, sequence },
      new Date(),
    );
    await bookAppointment(appointment, capacity);
    await sendBooked(appointment, category, profile.phone);
    return created(api.appointmentView(appointment));
  });
});
