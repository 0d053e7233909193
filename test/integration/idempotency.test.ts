import { describe, expect, it } from 'vitest';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';

const request = (key: string | undefined, fingerprint: unknown = { amount: 100 }) => ({ scope: 'test', userId: 'u1', key, fingerprint });

describe('idempotent requests (DynamoDB Local)', () => {
  it('runs once per key and replays the first answer', async () => {
    let runs = 0;
    const action = async () => ({ status: 201, body: { run: ++runs } });

    const first = await idempotent(request('k-replay'), action);
    const second = await idempotent(request('k-replay'), action);

    expect(first).toEqual({ status: 201, body: { run: 1 } });
    expect(second).toEqual(first);
    expect(runs).toBe(1);
  });

  it('runs once when 20 identical requests arrive together, and all get the same answer', async () => {
    let runs = 0;
    const slowAction = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 300));
      return { status: 201, body: { id: 'p-1' } };
    };

    const answers = await Promise.all(Array.from({ length: 20 }, () => idempotent(request('k-concurrent'), slowAction)));

    expect(runs).toBe(1);
    for (const answer of answers) expect(answer).toEqual({ status: 201, body: { id: 'p-1' } });
  });

  it('refuses the same key with a different body with 409 idempotency_key_reused', async () => {
    await idempotent(request('k-reused'), async () => ({ status: 201, body: {} }));

    await expect(idempotent(request('k-reused', { amount: 999 }), async () => ({ status: 201 }))).rejects.toMatchObject({
      status: 409,
      code: 'idempotency_key_reused',
    });
  });

  it('releases the key when the first attempt fails, so a retry can succeed', async () => {
    await expect(idempotent(request('k-retry'), async () => Promise.reject(new Error('provider down')))).rejects.toThrow('provider down');

    const retry = await idempotent(request('k-retry'), async () => ({ status: 201, body: { ok: true } }));

    expect(retry).toEqual({ status: 201, body: { ok: true } });
  });

  it('runs every request without a key', async () => {
    let runs = 0;
    await idempotent(request(undefined), async () => ({ status: 201, body: ++runs }));
    await idempotent(request(undefined), async () => ({ status: 201, body: ++runs }));
    expect(runs).toBe(2);
  });

  it('validates the header', () => {
    expect(idempotencyKeyFrom({ 'idempotency-key': 'abc-123' }, true)).toBe('abc-123');
    expect(idempotencyKeyFrom({}, false)).toBeUndefined();
    expect(() => idempotencyKeyFrom({}, true)).toThrowError(expect.objectContaining({ status: 400 }));
    expect(() => idempotencyKeyFrom({ 'idempotency-key': 'x'.repeat(65) }, false)).toThrowError(expect.objectContaining({ status: 400 }));
  });
});
