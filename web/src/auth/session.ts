// The signed-in caller: the ID token (Cognito's, or the local platform's stand-in) kept in sessionStorage,
// so it is gone when the tab closes and is never shared with other tabs or written to disk by the app.
// The app reads the token's claims only to decide what to show; the API verifies it.

import type { Role } from '../../../shared/routes.ts';
import { changed } from '../changes.ts';

export type Session = { token: string; userId: string; roles: Role[]; name?: string; expiresAt: number };

const KEY = 'sc.session';
const ROLES: readonly Role[] = ['resident', 'staff', 'supervisor'];

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

export function sessionFromToken(token: string): Session {
  const claims = claimsOf(token);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  return {
    token,
    userId: String(claims.sub),
    roles: ROLES.filter((role) => groups.includes(role)),
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    expiresAt: Number(claims.exp) * 1000,
  };
}

export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  const session = sessionFromToken(token);
  return session.expiresAt > Date.now() ? session : undefined;
}

export const isResident = (session: Session | undefined) => session?.roles.includes('resident') ?? false;

export function startSession(token: string): Session {
  sessionStorage.setItem(KEY, token);
  changed();
  return sessionFromToken(token);
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
  changed();
}

/** The token's claims, for the staff pages (staff/session.ts): which centre and windows a staff member has. */
export { claimsOf };
