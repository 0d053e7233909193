// The caller, read from claims that API Gateway's JWT authorizer (in AWS) or the local server has
// already verified. Handlers never see or check a token themselves.

import { staffActorName } from '../domain/cases.ts';
import { findCategory } from '../domain/catalog.ts';
import { CITY, findCentre } from '../domain/centres.ts';
import { forbidden, validationFailed } from '../domain/errors.ts';
import type { Role } from '../routes.ts';
import { textProblem } from '../api/fields.ts';

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
 * What a claim may hold. A verified token is still input: an administrator's typo (or a test token) must
 * not make a request fan out or build a key DynamoDB refuses. Cognito itself caps a custom attribute at 2048
 * characters; far less is ever meaningful here.
 */
const MAX_SUB_LENGTH = 128;
const MAX_LIST_CLAIM_LENGTH = 1024;
const MAX_LIST_ENTRIES = 32;
const MAX_NAME_LENGTH = 50;

/**
 * API Gateway hands an array claim over as the string "[a b]"; the local server does the same. Both become a
 * list; undefined when the claim is longer or has more entries than any real account carries.
 */
function listClaim(value: Claims[string] | undefined, separator: RegExp): string[] | undefined {
  if (value === undefined) return [];
  const raw = Array.isArray(value) ? value.join(' ') : String(value);
  if (raw.length > MAX_LIST_CLAIM_LENGTH) return undefined;
  const entries = (Array.isArray(value) ? value.map(String) : raw.replace(/^\[|\]$/g, '').split(separator)).map((s) => s.trim()).filter(Boolean);
  return entries.length > MAX_LIST_ENTRIES ? undefined : entries;
}

/**
 * The caller of a verified token, or undefined (401) when its claims cannot be an account of ours. Roles
 * are exact group names: Cognito group names hold no whitespace, so the groups claim splits on whitespace
 * only, and a group called "x,supervisor" or "supervisors" is no supervisor.
 */
export function callerFromClaims(claims: Claims | undefined): Caller | undefined {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > MAX_SUB_LENGTH) return undefined;
  const groups = listClaim(claims['cognito:groups'], /\s+/);
  const categories = listClaim(claims['custom:categories'], /,/);
  if (!groups || !categories) return undefined;
  const str = (name: string, max: number) => {
    const value = claims[name];
    return typeof value === 'string' && value.length <= max ? value : undefined;
  };
  // The name is shown to residents (the case history): a name breaking the text rule is not used.
  const name = str('name', MAX_NAME_LENGTH * 2)?.trim();
  return {
    userId: claims.sub,
    roles: ROLES.filter((role) => groups.includes(role)),
    categories,
    centre: str('custom:centre', 64),
    name: name !== undefined && textProblem(name, MAX_NAME_LENGTH) === undefined ? name : undefined,
    phone: str('phone_number', 32),
    email: str('email', 254),
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

/**
 * How a staff member acting on a case of `category` is shown to the resident: their window, or 科室负责人.
 * Any window serves any matter (通办通理), so a clerk of another category is named by their own window.
 */
export function actorNameOf(caller: Caller, category: string): string {
  if (!caller.roles.includes('staff')) return staffActorName('supervisor', findCategory(category)!, caller.name);
  // A claim may list codes the catalog does not know: those name no window.
  const own = caller.categories.includes(category) ? category : caller.categories.find((code) => findCategory(code) !== undefined);
  return staffActorName('caseworker', findCategory(own ?? category)!, caller.name);
}
