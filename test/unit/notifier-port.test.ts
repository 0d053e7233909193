// The Notifier port's rules shared by every adapter: which failures a later attempt can mend, and the pace
// that keeps a sender within the provider's rate limit.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageTemplateError } from '../../shared/domain/messages.ts';
import { SmsTemplateParamError } from '../../shared/domain/sms-templates.ts';
import { AliyunSmsError } from '../../shared/ports/aliyun-sms-client.ts';
import { failureReason, isRetryable } from '../../shared/ports/notifier.ts';
import { pacer } from '../../shared/ports/send-pace.ts';

const sdkError = (name: string, fault: 'client' | 'server', retryable?: object) => Object.assign(new Error(name), { name, $fault: fault, ...(retryable ? { $retryable: retryable } : {}) });

describe('which failures are retried', () => {
  it("takes an adapter's own word: Aliyun's flow control passes, an empty balance does not", () => {
    expect(isRetryable(new AliyunSmsError('isv.BUSINESS_LIMIT_CONTROL', 'flow control'))).toBe(true);
    expect(isRetryable(new AliyunSmsError('isp.SYSTEM_ERROR', 'busy'))).toBe(true);
    expect(isRetryable(new AliyunSmsError('isv.AMOUNT_NOT_ENOUGH', 'no balance'))).toBe(false);
    expect(isRetryable(new SmsTemplateParamError('case-approved', 'matter', 'too-long'))).toBe(false);
    expect(isRetryable(new MessageTemplateError('missing caseId'))).toBe(false);
  });

  it('retries an AWS error that is throttling or the service’s own fault, not a request the service refused', () => {
    expect(isRetryable(sdkError('ThrottledException', 'client'))).toBe(true);
    expect(isRetryable(sdkError('InternalErrorException', 'server'))).toBe(true);
    expect(isRetryable(sdkError('KMSThrottlingException', 'client'))).toBe(true);
    expect(isRetryable(sdkError('InvalidParameterException', 'client'))).toBe(false);
    expect(isRetryable(sdkError('AuthorizationErrorException', 'client'))).toBe(false);
  });

  it('retries what may have been the network: a timeout, a reset connection, anything unnamed', () => {
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(new DOMException('The operation timed out', 'TimeoutError'))).toBe(true);
    expect(isRetryable('down')).toBe(true);
  });

  it('keeps the name and words of the failure as the reason, short', () => {
    expect(failureReason(new AliyunSmsError('isv.DAY_LIMIT_CONTROL', '触发日发送限额'))).toBe('AliyunSmsError: isv.DAY_LIMIT_CONTROL: 触发日发送限额');
    expect(failureReason(new Error('x'.repeat(1000))).length).toBe(300);
  });
});

describe('the sending pace', () => {
  afterEach(() => vi.useRealTimers());

  it('gives every caller its own slot, 1/rate seconds apart, however many wait at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const pace = pacer(100);
    const times: number[] = [];
    const start = performance.now();
    const waits = Array.from({ length: 5 }, () => pace().then(() => times.push(performance.now() - start)));
    await vi.runAllTimersAsync();
    await Promise.all(waits);
    expect(times).toEqual([0, 10, 20, 30, 40]);
  });

  it('does not save up slots while idle: after a pause the next call goes at once, then the pace again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const pace = pacer(10);
    await pace();
    vi.advanceTimersByTime(5_000);
    const start = performance.now();
    const times: number[] = [];
    const waits = [pace(), pace()].map((p) => p.then(() => times.push(performance.now() - start)));
    await vi.runAllTimersAsync();
    await Promise.all(waits);
    expect(times).toEqual([0, 100]);
  });

  it('refuses a rate that is not above zero', () => {
    expect(() => pacer(0)).toThrow(/above 0/);
    expect(() => pacer(Number.NaN)).toThrow(/above 0/);
  });
});
