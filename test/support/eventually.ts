// Polls until a condition holds or the time is up, for what arrives asynchronously over HTTP (a provider's
// pushed report, a workflow's next step); the caller's expectation then says what was wrong, not a timeout.

export async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
