// Signing in and out, whichever way this deployment does it (config.json `auth`): locally a demo token from
// the local platform's POST /_local/token; in AWS Cognito managed login (cognito.ts).

import { config } from '../config.ts';
import { navigate } from '../router.ts';
import { authorizeUrl, exchangeCode, logoutUrl } from './cognito.ts';
import { endSession, startSession } from './session.ts';

export type DemoPersona = { sub: string; role: 'resident' | 'staff' | 'supervisor'; name?: string; phone?: string; categories?: string[]; centre?: string };

/** Local platform only: a token for a demo person, as Cognito would issue it. */
export async function signInLocally(persona: DemoPersona, returnTo: string): Promise<void> {
  const res = await fetch('/_local/token', { method: 'POST', body: JSON.stringify(persona) });
  if (!res.ok) throw new Error(`/_local/token answered ${res.status}`);
  startSession(((await res.json()) as { token: string }).token);
  navigate(returnTo, { replace: true });
}

export async function signInWithCognito(returnTo: string): Promise<void> {
  const c = config();
  if (c.auth !== 'cognito') throw new Error('this deployment signs in locally');
  location.assign(await authorizeUrl(c.cognito, returnTo));
}

export async function completeCognitoSignIn(): Promise<void> {
  const c = config();
  if (c.auth !== 'cognito') throw new Error('this deployment signs in locally');
  const { idToken, returnTo } = await exchangeCode(c.cognito, new URL(location.href));
  startSession(idToken);
  navigate(returnTo, { replace: true });
}

export function signOut(): void {
  const c = config();
  endSession();
  if (c.auth === 'cognito') location.assign(logoutUrl(c.cognito));
  else navigate('/');
}
