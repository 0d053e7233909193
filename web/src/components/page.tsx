// The frame of every page: the document title and the one <h1>, which takes focus after an in-app
// navigation so a screen reader announces the new page (single-page apps otherwise stay silent). The first
// page of a visit keeps the browser's own start at the top, where the skip link is.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.ts';

let firstPageOfVisit = true;

export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title]);
  // Once per page: a title that changes when data arrives (a greeting with the name) must not move focus.
  useEffect(() => {
    if (firstPageOfVisit) firstPageOfVisit = false;
    else heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
