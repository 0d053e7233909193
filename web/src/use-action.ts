// A form's submit or a button's action (one request or a few) with the two states every such control shows:
// busy while it runs (the button disabled, "sending …") and the problem once it failed, cleared at the next
// try. One hook, so that no form or button keeps its own copy of that bookkeeping and its try/catch/finally.
// The problem may also be the page's own message, set before anything is sent: a string (a choice not made
// yet; components/problem.tsx reads both). A tuple like useState's, so each page names the parts its own way.

import { useState } from 'preact/hooks';

/** A failure becomes the problem, or, given `onError`, goes there instead: to show it otherwise or react to it. */
type Run = (action: () => Promise<unknown>, onError?: (error: unknown) => void) => Promise<void>;

export function useAction(initialProblem?: unknown): [busy: boolean, problem: unknown, run: Run, setProblem: (problem: unknown) => void] {
  const [problem, setProblem] = useState<unknown>(initialProblem);
  const [busy, setBusy] = useState(false);
  const run: Run = async (action, onError = setProblem) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };
  return [busy, problem, run, setProblem];
}
