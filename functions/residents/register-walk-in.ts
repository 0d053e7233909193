// POST /residents — a walk-in without an account (现场办理): the clerk registers the resident from the ID
// card they hold (name, ID number, phone, community) under a platform user id of its own, marked verified
// by the counter, so they can be given a number and have matters declared for them at once. An ID number
// someone registered already is 409 id_number_in_use: swipe the card instead. When the phone number
// signs in later, the resident takes the profile over with POST /me/claim.

import { registerWalkIn } from '../../shared/data/walk-ins.ts';
import { centreOfResident } from '../../shared/domain/residents.ts';
import { walkInProfile } from '../../shared/domain/walk-ins.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.registerWalkIn, async ({ body, caller }) => {
  homeCentre(caller); // 403 for an account no centre has been given
  const { idNumber, ...card } = body;
  // 通办通理: any centre's clerk registers anyone; 422 only for a community no centre serves.
  centreOfResident(card);
  const profile = walkInProfile({ ...card, idNumber: idNumber.idNumber, birthDate: idNumber.birthDate, sex: idNumber.sex }, caller.userId, new Date().toISOString());
  await registerWalkIn(profile);
  return created(api.staffProfileView(profile));
});
