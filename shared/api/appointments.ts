// Appointments at the service windows: free slots, booking, cancelling, the window's day list, check-in.

import * as z from 'zod/mini';
import type { Appointment } from '../domain/appointments.ts';
import { CATEGORY_CODES, MATTER_CODES } from '../domain/catalog.ts';
import { endpoint } from './endpoint.ts';
import { businessDateSchema, centreSchema, pageQuery, timeOfDaySchema } from './fields.ts';

/** AP20261201-ZZY-S001 (v1 appointments, before centres, read AP20261201-S001): bounded, never longer than 32. */
const appointmentIdParams = z.object({ id: z.string().check(z.regex(/^AP[A-Za-z0-9-]{1,30}$/, 'an appointment id such as AP20261201-ZZY-S001')) });

export const listSlots = endpoint({
  route: 'GET /slots',
  summary: 'Places left in each slot of a window’s working day',
  query: z.object({ category: z.enum(CATEGORY_CODES), date: businessDateSchema, centre: z.optional(centreSchema) }),
});

export const bookAppointment = endpoint({
  route: 'POST /appointments',
  summary: "Book a place in a slot and get a ticket number; the window is `category`, or the `matter`'s",
  body: z.strictObject({
    centre: z.optional(centreSchema),
    category: z.optional(z.enum(CATEGORY_CODES)),
    date: businessDateSchema,
    time: timeOfDaySchema,
    matter: z.optional(z.enum(MATTER_CODES)),
  }),
});

export const listAppointments = endpoint({
  route: 'GET /appointments',
  summary: "A resident's own appointments; for staff a window's day list",
  query: z.object({ ...pageQuery, category: z.optional(z.enum(CATEGORY_CODES)), date: z.optional(businessDateSchema) }),
});

export const cancelAppointment = endpoint({ route: 'DELETE /appointments/{id}', summary: 'Cancel before the slot begins', params: appointmentIdParams });

export const rescheduleAppointment = endpoint({
  route: 'POST /appointments/{id}/reschedule',
  summary: 'Move a booking to another slot of the same window, in one step: the new ticket, or nothing changes',
  params: appointmentIdParams,
  body: z.strictObject({ date: businessDateSchema, time: timeOfDaySchema }),
});

export const checkInAppointment = endpoint({
  route: 'POST /appointments/{id}/check-in',
  summary: 'Check a resident in at the window on the appointment’s day',
  params: appointmentIdParams,
});

/** The resident's view of their own booking. */
export const appointmentView = (a: Appointment) => ({
  id: a.id,
  ticket: a.ticket,
  category: a.category,
  ...(a.matter ? { matter: a.matter } : {}),
  centre: a.centre,
  date: a.date,
  time: a.time,
  status: a.status,
  bookedAt: a.bookedAt,
  ...(a.cancelledAt ? { cancelledAt: a.cancelledAt } : {}),
  ...(a.rescheduledTo ? { rescheduledTo: a.rescheduledTo } : {}),
  ...(a.checkedInAt ? { checkedInAt: a.checkedInAt } : {}),
});

/** Staff see the name they call at the window, never the resident's ID number or phone. */
export const staffAppointmentView = (a: Appointment) => ({
  ...appointmentView(a),
  residentName: a.residentName,
  ...(a.checkedInBy ? { checkedInBy: a.checkedInBy } : {}),
});
