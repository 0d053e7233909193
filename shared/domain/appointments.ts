// An appointment at a service window: the resident's booked place in a slot, with its ticket number.
// The booking rules (slots, dates, ticket numbers) are in slots.ts.

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'checked_in'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export type Appointment = {
  id: string;
  residentId: string;
  /** The service centre whose window it is booked at. */
  centre: string;
  /** Shown to staff on the day's list; the ID number and phone are never copied here. */
  residentName: string;
  category: string;
  matter?: string;
  date: string;
  time: string;
  ticket: string;
  sequence: number;
  status: AppointmentStatus;
  bookedAt: string;
  cancelledAt?: string;
  /** Set when the booking was moved (POST /appointments/{id}/reschedule): the appointment that replaced it. */
  rescheduledTo?: string;
  checkedInAt?: string;
  checkedInBy?: string;
  remindedAt?: string;
};
