// The signed-in staff member as the staff pages need them: which centre they work at (`*` for a city
// supervisor) and which windows (categories) they serve, read from the token's claims to decide what to
// show. The API checks the same claims on every call.

import { claimsOf, currentSession, type Session } from '../auth/session.ts';

export type StaffSession = Session & { centre?: string; categories: string[] };

export function staffSession(): StaffSession | undefined {
  const session = currentSession();
  if (!session) return undefined;
  const claims = claimsOf(session.token);
  const centre = claims['custom:centre'];
  const categories = claims['custom:categories'];
  return {
    ...session,
    ...(typeof centre === 'string' ? { centre } : {}),
    categories: typeof categories === 'string' && categories ? categories.split(',') : [],
  };
}

export const isStaff = (s: Session | undefined) => s?.roles.includes('staff') ?? false;
export const isSupervisor = (s: Session | undefined) => s?.roles.includes('supervisor') ?? false;
export const isCitySupervisor = (s: StaffSession | undefined) => isSupervisor(s) && s?.centre === '*';
