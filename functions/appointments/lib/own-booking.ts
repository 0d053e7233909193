// The caller's booked appointment that may still change: the check cancel and reschedule share.

import { getAppointment } from '../../../shared/data/appointments.ts';
import type { Appointment } from '../../../shared/domain/appointments.ts';
import { businessRule, conflict, notFound } from '../../../shared/domain/errors.ts';
import { isCancellable } from '../../../shared/domain/slots.ts';

/**
 * The caller's own appointment, still booked and before its slot begins. Someone else's is 404, as if it did
 * not exist; one no longer booked (cancelled, checked in) 409 invalid_state; one whose slot began 422.
 */
export async function ownChangeableAppointment(id: string, residentId: string, now: Date, change: 'cancelled' | 'moved'): Promise<Appointment> {
  const appointment = await getAppointment(id);
  if (!appointment || appointment.residentId !== residentId) throw notFound(`No appointment ${id}.`);
  if (appointment.status !== 'booked') throw conflict('invalid_state', `Appointment ${id} is ${appointment.status}.`);
  if (!isCancellable(appointment.date, appointment.time, now)) {
    throw businessRule(`The ${appointment.time} slot of ${appointment.date} has begun; it can no longer be ${change}.`);
  }
  return appointment;
}
