// History-API navigation: links change the address without reloading, the back button works, and after
// each navigation focus moves to the new page's heading so screen-reader users hear where they are.

import { changed } from './changes.ts';

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  changed();
}

/** For <a onClick>: plain left clicks stay in the app; a modified click opens a tab as usual. */
export function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.currentTarget as HTMLAnchorElement;
  if (link.origin !== location.origin) return;
  event.preventDefault();
  navigate(link.pathname + link.search + link.hash);
}

export function listenToHistory(): void {
  window.addEventListener('popstate', () => changed());
}
