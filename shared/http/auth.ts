// The caller, read from claims that API Gateway's JWT authorizer (in AWS) or the local server has
// already verified. Handlers never see or check a token themselves.

import type { Role } from '../routes.ts';

export type Caller = {
  userId: string;
  roles: Role[];
  /** Service categories a staff member works (custom:categories). */
  categories: string[];
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
    name: str('name'),
    phone: str('phone_number'),
    email: str('email'),
  };
}
