// One signal for "something the whole app shows has changed" (signed in or out, language, elderly mode):
// the app re-renders on it. Pages keep their own state; only these few app-wide settings go through here.

const listeners = new Set<() => void>();

export function onChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function changed(): void {
  for (const listener of listeners) listener();
}
