// The caller, read from claims that API Gateway's JWT authorizer (in AWS) or the local server has
// already verified. Handlers never see or check a token themselves.

import { CITY, findCentre } from '../domain/centres.ts';
import { forbidden, validationFailed } from '../domain/errors.ts';
import type { Role } from '../routes.ts';

export type Caller = {
  userId: string;
  roles: Role[];
  /** Service categories a staff member works (custom:categories). */
  categories: string[];
  /** The service centre a staff member or supervisor works at (custom:centre); `*` for a city supervisor. */
  centre?: string;
  name?: string;
  phone?: string;
  email?: string;
};

type Claims = Record<string, string | number | boolean | string[]>;
const ROLES: readonly Role[] = ['resident', 'staff', 'supervisor'];

/**
 * API Gateway hands an array claim over as the string "[a b]"; the local server passes real arrays.
 * Both become a list.
 */
function listClaim(value: Claims[string] | undefined, separator: RegExp): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .replace(/^\[|\]$/g, '')
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function callerFromClaims(claims: Claims | undefined): Caller | undefined {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const groups = listClaim(claims['cognito:groups'], /[\s,]+/);
  const str = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  return {
    userId: claims.sub,
    roles: ROLES.filter((role) => groups.includes(role)),
    categories: listClaim(claims['custom:categories'], /,/),
    centre: str('custom:centre'),
    name: str('name'),
    phone: str('phone_number'),
    email: str('email'),
  };
}

/** A supervisor of the whole city: reads every centre's figures, works no centre's queue. */
export const isCitySupervisor = (caller: Caller) => caller.roles.includes('supervisor') && caller.centre === CITY;

/**
 * The one centre whose records a staff member or supervisor may see and change. An account without a
 * (known) centre is refused: an administrator has to give it one (README, "Staff and their centre").
 */
export function homeCentre(caller: Caller): string {
  if (caller.centre === CITY) throw forbidden("A city supervisor reads every centre's figures but works no centre's queue.");
  if (!caller.centre || !findCentre(caller.centre)) {
    throw forbidden('Your account is not assigned to a service centre (custom:centre); ask an administrator.');
  }
  return caller.centre;
}

/**
 * The centre a list or report is about: a city supervisor names one (`required`) or may leave it out for
 * the whole city (undefined); anyone else gets their own, and naming another is 403.
 */
export function centreInScope(caller: Caller, requested: string | undefined, whole: 'city-allowed' | 'centre-required'): string | undefined {
  if (isCitySupervisor(caller)) {
    if (requested === undefined && whole === 'centre-required') {
      throw validationFailed([{ path: 'query.centre', message: 'a city supervisor names the centre' }]);
    }
    return requested;
  }
  const home = homeCentre(caller);
  if (requested !== undefined && requested !== home) throw forbidden(`You work at ${home}; ${requested} is another centre's.`);
  return home;
}
