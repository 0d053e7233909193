// One Idempotency-Key per submission: made at the first attempt and reused by every retry of the same
// entries until one succeeds, so a submit that failed or timed out (offline, a dropped connection) can be
// retried without booking, declaring or paying twice. Changed entries are a new submission with a new
// key (the API refuses a known key with another body: 409 idempotency_key_reused).

export type SubmissionKeys = { keyFor: (entries: unknown) => string; succeeded: () => void };

export function submissionKeys(): SubmissionKeys {
  let current: { entries: string; key: string } | undefined;
  return {
    keyFor(entries) {
      const fingerprint = JSON.stringify(entries);
      if (current?.entries !== fingerprint) current = { entries: fingerprint, key: crypto.randomUUID() };
      return current.key;
    },
    succeeded() {
      current = undefined;
    },
  };
}
