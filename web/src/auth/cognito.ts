// Sign-in with Cognito managed login: the OAuth 2.0 authorization code flow with PKCE (RFC 7636), the one
// a public client in a browser should use. The app keeps the verifier and state in sessionStorage across
// the redirect, exchanges the code at the token endpoint, and sends the ID token to the API (it carries the
// groups and categories the handlers read; see README "Sign-in").

import { language } from '../prefs.ts';

export type CognitoConfig = { domain: string; clientId: string };

const PENDING_KEY = 'sc.signIn';
const SCOPES = 'openid phone profile';

const redirectUri = () => `${location.origin}/auth/callback`;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

export async function authorizeUrl(cognito: CognitoConfig, returnTo: string): Promise<string> {
  const verifier = randomText();
  const state = randomText();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: redirectUri(),
    scope: SCOPES,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    lang: language() === 'en' ? 'en' : 'zh-CN',
  });
  return `${cognito.domain}/oauth2/authorize?${query}`;
}

/** The ID token for the code in the callback address, and where the resident was going. */
export async function exchangeCode(cognito: CognitoConfig, callback: URL): Promise<{ idToken: string; returnTo: string }> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  const code = callback.searchParams.get('code');
  // A callback without the state this tab sent is someone else's redirect (login CSRF): refuse it.
  if (!pending || !code || callback.searchParams.get('state') !== pending.state) throw new Error('sign-in callback does not match this tab');
  const res = await fetch(`${cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: cognito.clientId, code, redirect_uri: redirectUri(), code_verifier: pending.verifier }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const tokens = (await res.json()) as { id_token: string };
  return { idToken: tokens.id_token, returnTo: pending.returnTo };
}

export function logoutUrl(cognito: CognitoConfig): string {
  return `${cognito.domain}/logout?${new URLSearchParams({ client_id: cognito.clientId, logout_uri: `${location.origin}/` })}`;
}
