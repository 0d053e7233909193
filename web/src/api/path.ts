// Turns a route key of the route table ('GET /cases/{id}') and its values into the request line the API
// expects. Pure, so the rules are unit-tested: path values are URL-encoded, a missing one is an error (a
// request to '/cases/undefined' must never leave the app), and query values that are not set are left out.

import type { RouteKey } from './types.ts';

export type QueryValues = Record<string, string | number | boolean | undefined>;

export const methodOf = (route: RouteKey) => route.slice(0, route.indexOf(' ')) as 'GET' | 'POST' | 'PUT' | 'DELETE';

export function pathOf(route: RouteKey, params: Record<string, string> = {}, query: QueryValues = {}): string {
  const template = route.slice(route.indexOf(' ') + 1);
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`${route} needs a value for {${name}}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.append(name, String(value));
  const queryString = search.toString();
  return queryString ? `${path}?${queryString}` : path;
}
