// Configuration comes from environment variables, read once at module scope by whoever needs them.
// A missing variable stops the cold start with its name, instead of failing later on a request.

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
}

/** A comma-separated list variable (PAYMENT_PROVIDER=wechatpay,alipay): its trimmed, non-empty entries. */
export function requiredList(name: string): string[] {
  return requiredEnv(name)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A whole number of seconds with a default (order lifetimes and delays a deployment may tune). */
export function secondsEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`${name} must be a whole number of seconds, not ${value}`);
  return seconds;
}

/** An optional whole number of milliseconds (how long to wait for a provider, which a test may shorten). */
export function millisecondsEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new Error(`${name} must be a whole number of milliseconds, not ${value}`);
  return ms;
}
