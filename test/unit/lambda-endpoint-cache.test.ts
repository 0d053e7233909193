// The endpoint cache bundled into Lambdas in place of the SDK's (infra/bundling.ts) must behave as the SDK's:
// the same answers to the same calls, expiry and least-recently-used eviction included.

import { EndpointCache as SdkEndpointCache } from '@aws-sdk/endpoint-cache';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EndpointCache } from '../../infra/lambda-endpoint-cache.ts';

const endpoints = (address: string, minutes = 1) => [{ Address: address, CachePeriodInMinutes: minutes }];

describe('the Lambda endpoint cache', () => {
  afterEach(() => vi.useRealTimers());

  it('answers every call as the SDK cache does, through expiry and eviction', () => {
    vi.useFakeTimers();
    const ours = new EndpointCache(2);
    const sdk = new SdkEndpointCache(2);
    const both = <T>(call: (cache: EndpointCache | SdkEndpointCache) => T) => {
      const [a, b] = [call(ours), call(sdk)];
      expect(a).toEqual(b);
      return a;
    };
    both((c) => c.set('a', endpoints('a.example')));
    both((c) => c.set('b', endpoints('b.example', 5)));
    expect(both((c) => c.getEndpoint('a'))).toBe('a.example');
    both((c) => c.set('c', endpoints('c.example')));
    expect(both((c) => c.has('b'))).toBe(false);
    expect(both((c) => c.has('a'))).toBe(true);
    vi.advanceTimersByTime(61_000);
    expect(both((c) => c.get('a'))).toBeUndefined();
    expect(both((c) => c.has('a'))).toBe(false);
    both((c) => c.delete('c'));
    expect(both((c) => c.getEndpoint('c'))).toBeUndefined();
    both((c) => c.clear());
    expect(both((c) => c.has('c'))).toBe(false);
  });
});
