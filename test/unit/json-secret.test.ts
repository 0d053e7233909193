// A JSON secret that cannot be used stops the cold start naming the secret and the paths at fault, and never
// quotes the secret: JSON.parse's own message would show the text it choked on.

import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { millisecondsEnv } from '../../shared/config.ts';
import { parseJsonSecret } from '../../shared/ports/json-secret.ts';

const shape = z.strictObject({ appId: z.string().check(z.minLength(1)), appSecret: z.string().check(z.minLength(1)) });

describe('JSON secrets', () => {
  it('gives the checked value', () => {
    expect(parseJsonSecret('{"appId":"a","appSecret":"s3cr3t"}', shape, 'RECORDS_PROVIDER_KEY')).toEqual({ appId: 'a', appSecret: 's3cr3t' });
  });

  it('names the secret and never quotes it when it is not JSON', () => {
    const broken = '{"appId":"a","appSecret":"s3cr3t-value"';
    expect(() => JSON.parse(broken)).toThrow();
    let message = '';
    try {
      parseJsonSecret(broken, shape, 'RECORDS_PROVIDER_KEY');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('RECORDS_PROVIDER_KEY is not JSON');
  });

  it('names the paths at fault, not their values', () => {
    expect(() => parseJsonSecret('{"appId":"a","appSecret":""}', shape, 'RECORDS_PROVIDER_KEY')).toThrow(/^RECORDS_PROVIDER_KEY is not usable: appSecret: /);
    expect(() => parseJsonSecret('[]', shape, 'RECORDS_PROVIDER_KEY')).toThrow(/\(secret\)/);
  });

  it('reads an optional timeout in whole milliseconds, and refuses anything else', () => {
    process.env.SOME_TIMEOUT_MS = '1500';
    expect(millisecondsEnv('SOME_TIMEOUT_MS')).toBe(1500);
    process.env.SOME_TIMEOUT_MS = 'soon';
    expect(() => millisecondsEnv('SOME_TIMEOUT_MS')).toThrow(/whole number of milliseconds/);
    delete process.env.SOME_TIMEOUT_MS;
    expect(millisecondsEnv('SOME_TIMEOUT_MS')).toBeUndefined();
  });
});
