// The SMS of a new booking (POST /appointments, and a booking moved by reschedule): its own module, so that
// routes that send nothing (cancel) do not bundle the notifier.

import type { Appointment } from '../../../shared/domain/appointments.ts';
import type { Category } from '../../../shared/domain/catalog.ts';
import { dateForSms } from '../../../shared/domain/messages.ts';
import { notifier } from '../../../shared/ports/notifier-from-env.ts';
import type { SendOutcome } from '../../../shared/ports/reliable-notifier.ts';

/** 【智慧社区】您已预约…: date, time, window and ticket of a new booking, to the profile's phone. */
export function sendBooked(appointment: Appointment, category: Category, phone: string): Promise<SendOutcome> {
  return notifier.send({
    residentId: appointment.residentId,
    to: phone,
    template: 'appointment-booked',
    params: { date: dateForSms(appointment.date), time: appointment.time, window: category.name.zh, ticket: appointment.ticket },
    reference: appointment.id,
  });
}
