// A status in words (never by colour alone), for cases, appointments and bills.

import { textOf } from '../i18n.ts';

export function StatusBadge({ kind, status }: { kind: 'case' | 'appointment' | 'bill'; status: string }) {
  return <span class={`badge badge-${status}`}>{textOf(`status.${kind}.${status}`)}</span>;
}
