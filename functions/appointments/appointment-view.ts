// What residents and staff see of an appointment. The resident sees their own booking; staff see the
// name they call at the window, never the resident's ID number or phone.

import type { Appointment } from '../../shared/domain/appointments.ts';

export const appointmentView = (a: Appointment) => ({
  id: a.id,
  ticket: a.ticket,
  category: a.category,
  ...(a.matter ? { matter: a.matter } : {}),
  date: a.date,
  time: a.time,
  status: a.status,
  bookedAt: a.bookedAt,
  ...(a.cancelledAt ? { cancelledAt: a.cancelledAt } : {}),
  ...(a.checkedInAt ? { checkedInAt: a.checkedInAt } : {}),
});

export const staffAppointmentView = (a: Appointment) => ({
  ...appointmentView(a),
  residentName: a.residentName,
  ...(a.checkedInBy ? { checkedInBy: a.checkedInBy } : {}),
});
