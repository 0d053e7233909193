// DELETE /appointments/{id} — a resident cancels their own booking before its slot begins; its place and
// the resident's day are given back in the same transaction. Someone else's appointment is 404, as if it
// did not exist; one that is no longer booked (cancelled, checked in) is 409 invalid_state.

import { cancelAppointment } from '../../shared/data/appointments.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, noContent } from '../../shared/http/api-handler.ts';
import { ownChangeableAppointment } from './lib/own-booking.ts';

export const handler = apiHandler(api.cancelAppointment, async ({ params, caller }) => {
  const now = new Date();
  const appointment = await ownChangeableAppointment(params.id, caller.userId, now, 'cancelled');
  await cancelAppointment(appointment, now.toISOString());
  return noContent();
});
