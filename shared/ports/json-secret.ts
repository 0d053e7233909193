// A secret kept as JSON (a Secrets Manager value, or its local stand-in in an environment variable), parsed and
// checked against its shape once, at cold start. A broken one stops the start naming the secret and the paths at
// fault, never its text: JSON.parse quotes what it choked on, which would carry the secret into a log.

import * as z from 'zod/mini';

export function parseJsonSecret<T>(text: string, shape: z.ZodMiniType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  const parsed = z.safeParse(shape, json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(secret)'}: ${issue.message}`).join('; ');
    throw new Error(`${what} is not usable: ${where}`);
  }
  return parsed.data;
}
