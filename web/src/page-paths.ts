// The pages of the app and their paths. The local server serves the app beside the API on one origin, so a
// page path must never be an API path: pages live under names the API does not use (a test holds every
// page path against the route table). Pure, so that test and the router share it. The pay page's pattern is
// the API's too (shared/web-pages.ts): the wallets send residents back to it.

import { PAY_PAGE } from '../../shared/web-pages.ts';

export const PAGE_PATHS = {
  home: '/',
  signIn: '/sign-in',
  authCallback: '/auth/callback',
  profile: '/profile',
  guide: '/guide',
  declare: '/declare/:matter',
  cases: '/my-cases',
  case: '/my-cases/:id',
  book: '/book',
  appointments: '/my-appointments',
  ticket: '/my-appointments/:id',
  bills: '/my-bills',
  pay: PAY_PAGE,
  community: '/community',
  records: '/my-records',
  jobs: '/find-jobs',
  messages: '/my-messages',
  preferences: '/my-messages/settings',
} as const;

export type PageName = keyof typeof PAGE_PATHS;
export type PageMatch = { page: PageName; params: Record<string, string> };

export const matchPage = (pathname: string): PageMatch | undefined => matchPath(PAGE_PATHS, pathname);

/** The page of `paths` (a table of name → pattern such as PAGE_PATHS) that `pathname` is, with its values. */
export function matchPath<P extends string>(paths: Record<P, string>, pathname: string): { page: P; params: Record<string, string> } | undefined {
  for (const [page, pattern] of Object.entries(paths) as [P, string][]) {
    const names: string[] = [];
    const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}/?$`);
    const found = regex.exec(pathname);
    if (found) return { page, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) };
  }
  return undefined;
}

export const hrefOf = (page: PageName, params: Record<string, string> = {}, query: Record<string, string> = {}) => hrefOfPath(PAGE_PATHS[page], params, query);

/** The address of a page pattern with its values and query. */
export function hrefOfPath(pattern: string, params: Record<string, string> = {}, query: Record<string, string> = {}): string {
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}
