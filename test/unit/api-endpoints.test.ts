// shared/api is the one description of the API's shapes: every route of the route table has exactly one
// endpoint there, and every endpoint names a real route.

import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../shared/api/index.ts';
import { ROUTES } from '../../shared/routes.ts';

describe('shared/api endpoints', () => {
  it('declares exactly one endpoint per route of the route table', () => {
    const declared = ENDPOINTS.map((e) => e.route).sort();
    const routes = ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(declared).toEqual(routes);
  });

  it('gives every endpoint a one-line summary', () => {
    expect(ENDPOINTS.filter((e) => e.summary.trim() === '' || e.summary.includes('\n'))).toEqual([]);
  });
});
