// POST /appointments/{id}/check-in — staff check a resident in at the window, on the appointment's own
// day only. Any staff member of the appointment's centre may check in any of its windows (通办通理).

import { checkIn, getAppointment } from '../../shared/data/appointments.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { checkCheckInDay } from '../../shared/domain/slots.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.checkInAppointment, async ({ params, caller }) => {
  const centre = homeCentre(caller);
  const appointment = await getAppointment(params.id);
  // Another centre's appointment is not found: that centre's staff check it in.
  if (!appointment || appointment.centre !== centre) throw notFound(`No appointment ${params.id}.`);
  const now = new Date();
  checkCheckInDay(appointment.date, now);
  return ok(api.staffAppointmentView(await checkIn(appointment.id, caller.userId, now.toISOString())));
});
