// The deployment's settings, read from /config.json once at start: where the API is and how residents
// sign in. Under `npm start` the local server answers it (auth "local": the demo sign-in page); in AWS
// the web stack writes it at deploy time with the API URL and the Cognito managed-login details.

/** `displayUrl`: where the hall screens poll GET /display in AWS (a function URL); the API otherwise. */
export type WebConfig =
  | { auth: 'local'; apiUrl: string; displayUrl?: string }
  | { auth: 'cognito'; apiUrl: string; displayUrl?: string; cognito: { domain: string; clientId: string; userPoolId: string } };

let loaded: WebConfig | undefined;

export async function loadConfig(): Promise<WebConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json answered ${res.status}`);
  loaded = (await res.json()) as WebConfig;
  return loaded;
}

export function config(): WebConfig {
  if (!loaded) throw new Error('config() before loadConfig()');
  return loaded;
}
