// An endpoint of the HTTP API: its route (shared/routes.ts) and the zod schemas of its body, query and path.
// Handlers validate with exactly these (shared/http/api-handler.ts), and the OpenAPI document and the web
// client are derived from the same objects, so the three cannot drift apart.

import type * as z from 'zod/mini';
import type { RouteKey } from '../routes.ts';

export type Schema = z.core.$ZodType;

export type Endpoint = {
  route: RouteKey;
  /** One line for the OpenAPI document. */
  summary: string;
  body?: Schema;
  query?: Schema;
  params?: Schema;
};

/** Declares an endpoint; the literal types of its schemas are kept for the handler and the client. */
export const endpoint = <const E extends Endpoint>(spec: E): E => spec;
