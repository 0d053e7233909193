// An in-app link: a real <a href> (it works for keyboards, screen readers and "open in new tab"),
// navigated without a reload.

import type { ComponentChildren } from 'preact';
import { followLink } from '../router.ts';

type LinkProps = { href: string; class?: string; current?: boolean; children: ComponentChildren };

export function Link({ href, class: className, current, children }: LinkProps) {
  return (
    <a href={href} class={className} aria-current={current ? 'page' : undefined} onClick={followLink}>
      {children}
    </a>
  );
}
