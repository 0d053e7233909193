// Configuration comes from environment variables, read once at module scope by whoever needs them.
// A missing variable stops the cold start with its name, instead of failing later on a request.

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
}
