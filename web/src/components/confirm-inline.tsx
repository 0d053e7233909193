// An action that asks again before it acts (cancelling a booking, withdrawing a case), inline on the page
// instead of with confirm(): the age-friendly rules allow no pop-ups.

import { useState } from 'preact/hooks';

type ConfirmInlineProps = { id: string; action: string; question: string; yes: string; no: string; busy: boolean; onConfirm: () => void };

export function ConfirmInline({ id, action, question, yes, no, busy, onConfirm }: ConfirmInlineProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <p>
        <button type="button" class="button" onClick={() => setConfirming(true)}>
          {action}
        </button>
      </p>
    );
  }
  return (
    <div class="callout" role="group" aria-labelledby={id}>
      <p id={id}>{question}</p>
      <p class="actions">
        <button type="button" class="button danger" disabled={busy} onClick={onConfirm}>
          {yes}
        </button>
        <button type="button" class="button" onClick={() => setConfirming(false)}>
          {no}
        </button>
      </p>
    </div>
  );
}
