// POST /appointments/{id}/check-in — staff check a resident in at the window, on the appointment's own
// day only. Any staff member of the appointment's centre may check in any of its windows (通办通理). The
// appointment's ticket joins the window's queue of the day in the same transaction: ahead of the walk-ins,
// by number, and callable once its slot has begun.

import { getAppointment } from '../../shared/data/appointments.ts';
import { recordStatsEvent } from '../../shared/data/stats.ts';
import { checkInToQueue } from '../../shared/data/tickets.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { checkCheckInDay } from '../../shared/domain/slots.ts';
import { ticketIssuedEvent } from '../../shared/domain/stats.ts';
import { appointmentTicket } from '../../shared/domain/tickets.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { queueChanged } from '../tickets/lib/queue-changed.ts';

export const handler = apiHandler(api.checkInAppointment, async ({ params, caller }) => {
  const centre = homeCentre(caller);
  const appointment = await getAppointment(params.id);
  // Another centre's appointment is not found: that centre's staff check it in.
  if (!appointment || appointment.centre !== centre) throw notFound(`No appointment ${params.id}.`);
  const now = new Date();
  checkCheckInDay(appointment.date, now);
  const ticket = appointmentTicket(appointment, findCentre(centre)!, findCategory(appointment.category)!, caller.userId, now.toISOString());
  const checkedIn = await checkInToQueue(appointment, ticket, caller.userId, now.toISOString());
  await recordStatsEvent(ticketIssuedEvent(ticket));
  await queueChanged(ticket, now);
  return ok({ ...api.staffAppointmentView(checkedIn), ticketId: ticket.id });
});
