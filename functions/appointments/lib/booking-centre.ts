// Which centre a resident books at: the one they name, else the centre of their own community.

import { findCentre, windowsOf, type Centre } from '../../../shared/domain/centres.ts';
import type { Category } from '../../../shared/domain/catalog.ts';
import { businessRule } from '../../../shared/domain/errors.ts';
import { centreOfResident } from '../../../shared/domain/residents.ts';
import type { ResidentProfile } from '../../../shared/domain/residents.ts';

export function bookingCentre(named: string | undefined, profile: ResidentProfile | undefined, category: Category): Centre {
  let centre: Centre;
  if (named !== undefined) centre = findCentre(named)!;
  else if (profile) centre = centreOfResident(profile);
  else throw businessRule('Create your profile with PUT /me, or name the centre, to see its appointments.', [{ path: 'centre', message: 'no centre: name one or create your profile' }]);
  if (windowsOf(centre, category) === 0) {
    throw businessRule(`${centre.name.zh} has no ${category.name.zh} window.`, [{ path: 'category', message: `not a window of ${centre.code}` }]);
  }
  return centre;
}
