// The resident's profile (GET /me, PUT /me, taking over a walk-in profile with POST /me/claim) and the counter's
// ID-card swipe and walk-in registration (GET /residents, POST /residents).

import * as z from 'zod/mini';
import type { Appointment } from '../domain/appointments.ts';
import type { Case } from '../domain/cases.ts';
import { maskIdNumber } from '../domain/id-number.ts';
import { maskPhone } from '../domain/phone.ts';
import type { ResidentProfile } from '../domain/residents.ts';
import type { Ticket } from '../domain/tickets.ts';
import { staffAppointmentView } from './appointments.ts';
import { caseView } from './cases.ts';
import { ticketView } from './tickets.ts';
import { endpoint } from './endpoint.ts';
import { communitySchema, idNumberSchema, mobileSchema, text } from './fields.ts';

/** A profile's fields as a resident gives them (PUT /me), or a clerk from the card they hold (POST /residents). */
const profileFields = {
  name: text(50),
  idNumber: idNumberSchema,
  phone: mobileSchema,
  community: communitySchema,
  address: z.optional(text(200)),
};

export const getMe = endpoint({ route: 'GET /me', summary: "The caller's own profile, ID number unmasked" });

export const putMe = endpoint({
  route: 'PUT /me',
  summary: 'Create or replace the profile; name and ID number are checked against the national register (实名核验)',
  body: z.strictObject(profileFields),
});

export const registerWalkIn = endpoint({
  route: 'POST /residents',
  summary: 'Register a walk-in without an account from the ID card they hold, verified by the clerk, to serve them at once',
  body: z.strictObject(profileFields),
});

export const claimProfile = endpoint({
  route: 'POST /me/claim',
  summary: 'Take over the profile a clerk registered for you at the counter, by confirming its ID number',
  body: z.strictObject({ idNumber: idNumberSchema }),
});

export const findResident = endpoint({
  route: 'GET /residents',
  summary: 'ID-card swipe (通办通理): the resident, open cases and today at the counter',
  query: z.object({ idNumber: idNumberSchema }),
});

/**
 * The owner's view of a profile (GET /me and PUT /me answer the same shape). `verification` says how the
 * identity was confirmed (null: not yet; the clerk of a counter verification is internal); `idNumberLost`
 * appears once a verified account has taken the number. Whether anyone else claimed the number is never shown.
 */
export const profileView = (p: ResidentProfile) => ({
  name: p.name,
  idNumber: p.idNumber,
  phone: p.phone,
  community: p.community,
  ...(p.address ? { address: p.address } : {}),
  birthDate: p.birthDate,
  sex: p.sex,
  updatedAt: p.updatedAt,
  verification: p.verification ? { method: p.verification.method, at: p.verification.at } : null,
  ...(p.idNumberLost ? { idNumberLost: p.idNumberLost } : {}),
});

/** Staff's view of a profile: ID number and phone masked (the ID-card swipe, a walk-in just registered). */
export const staffProfileView = (p: ResidentProfile) => ({
  userId: p.userId,
  name: p.name,
  idNumber: maskIdNumber(p.idNumber),
  phone: maskPhone(p.phone),
  community: p.community,
  ...(p.address ? { address: p.address } : {}),
  ...(p.verification ? { verification: p.verification } : {}),
});

/**
 * The ID-card swipe's answer (GET /residents): who the clerk serves, any accounts a verified claim took the
 * number from, and the resident's cases, appointments and tickets at the clerk's centre.
 */
export const residentAtCounterView = (
  p: ResidentProfile,
  displacedAccounts: { userId: string; at: string }[],
  cases: { open: Case[]; awaitingCollection: Case[]; recentlyDecided: Case[] },
  todaysAppointments: Appointment[],
  todaysTickets: Ticket[],
) => ({
  ...staffProfileView(p),
  displacedAccounts,
  openCases: cases.open.map(caseView),
  awaitingCollection: cases.awaitingCollection.map(caseView),
  recentlyDecided: cases.recentlyDecided.map(caseView),
  todaysAppointments: todaysAppointments.map(staffAppointmentView),
  todaysTickets: todaysTickets.map((t) => ticketView(t)),
});
