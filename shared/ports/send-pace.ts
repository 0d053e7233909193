// The pace at which a sender hands messages to the provider: its rate limit (SMS_RATE_PER_SECOND). Each
// call waits for its own slot, 1/rate seconds after the previous one, however many callers wait at once, so
// a burst never goes faster than the rate. The monotonic clock is used: a test that moves Date moves no slot.

/** Aliyun's SendSms allows far more per second; this keeps a notice fan-out from reaching that in a burst. */
export const DEFAULT_SMS_RATE_PER_SECOND = 500;

export function pacer(perSecond: number): () => Promise<void> {
  if (!(perSecond > 0)) throw new Error(`A sending rate must be above 0 per second, not ${perSecond}`);
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const slot = Math.max(now, next);
    next = slot + interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  };
}
