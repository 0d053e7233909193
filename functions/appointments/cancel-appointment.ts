// DELETE /appointments/{id} — a resident cancels their own booking before its slot begins; its place and
// the resident's day are given back in the same transaction. Someone else's appointment is 404, as if it
// did not exist; one that is no longer booked (cancelled, checked in) is 409 invalid_state.

import { cancelAppointment, getAppointment } from '../../shared/data/appointments.ts';
import { businessRule, conflict, notFound } from '../../shared/domain/errors.ts';
import { isCancellable } from '../../shared/domain/slots.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, noContent } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.cancelAppointment, async ({ params, caller }) => {
  const appointment = await getAppointment(params.id);
  if (!appointment || appointment.residentId !== caller.userId) throw notFound(`No appointment ${params.id}.`);
  if (appointment.status !== 'booked') throw conflict('invalid_state', `Appointment ${params.id} is ${appointment.status}.`);
  const now = new Date();
  if (!isCancellable(appointment.date, appointment.time, now)) {
    throw businessRule(`The ${appointment.time} slot of ${appointment.date} has begun; it can no longer be cancelled.`);
  }
  await cancelAppointment(appointment, now.toISOString());
  return noContent();
});
