// The one API client of the web app. A call names a route of the route table and passes exactly what that
// endpoint's schemas accept (types.ts); it answers with the type of that route's view. Problems come back
// as ApiProblem (with the field paths of a 400), a request that got no answer as NetworkFailure.

import { currentSession, endSession } from '../auth/session.ts';
import { config } from '../config.ts';
import { methodOf, pathOf, type QueryValues } from './path.ts';
import { ApiProblem, NetworkFailure, type FieldError } from './problem.ts';
import type { BodyOf, ParamsOf, QueryOf, Responses, RouteKey } from './types.ts';

/** A part of a request: absent when the endpoint has no schema for it, optional when all its fields are, required otherwise. */
type Part<Name extends string, T> = [T] extends [undefined] ? { [P in Name]?: never } : {} extends T ? { [P in Name]?: T } : { [P in Name]: T };

type CallOptions<K extends RouteKey> = Part<'params', ParamsOf<K>> &
  Part<'query', QueryOf<K>> &
  Part<'body', BodyOf<K>> & {
    /** The same key for every retry of one submission: the API then acts once (see idempotency.ts). */
    idempotencyKey?: string;
  };

type Args<K extends RouteKey> = {} extends CallOptions<K> ? [options?: CallOptions<K>] : [options: CallOptions<K>];

type Answer<K extends RouteKey> = { status: number; body: Responses[K] };

/**
 * Where a route is called: the API, except that in AWS the hall screens poll GET /display at the display
 * function's own URL (config.json `displayUrl`, README "The hall display"), public and without a token.
 */
function originOf(route: RouteKey): { base: string; withToken: boolean } {
  const { apiUrl, displayUrl } = config();
  return route === 'GET /display' && displayUrl ? { base: displayUrl, withToken: false } : { base: apiUrl, withToken: true };
}

/** One request to the API with the caller's token; pages go through callForAnswer and call. */
async function request(
  route: RouteKey,
  path: string,
  { body, idempotencyKey }: { body?: unknown; idempotencyKey?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const method = methodOf(route);
  const { base, withToken } = originOf(route);
  const session = withToken ? currentSession() : undefined;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(session ? { authorization: `Bearer ${session.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new NetworkFailure(`${method} ${path}: no answer`);
  }
  const text = await res.text();
  if (res.ok) return { status: res.status, body: text ? JSON.parse(text) : undefined };
  // An expired or revoked token: the app shows the sign-in page instead of a page of errors.
  if (res.status === 401) endSession();
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    const problem = JSON.parse(text) as { code?: string; detail?: string; title?: string; errors?: FieldError[] };
    throw new ApiProblem(res.status, problem.code ?? 'unknown', problem.detail ?? problem.title ?? '', problem.errors ?? []);
  }
  throw new ApiProblem(res.status, 'unknown', text.slice(0, 200));
}

/** The answer with its status, for routes whose success comes in more than one form (201 or 202). */
export async function callForAnswer<K extends RouteKey>(route: K, ...[options]: Args<K>): Promise<Answer<K>> {
  const { params, query, body, idempotencyKey } = (options ?? {}) as { params?: Record<string, string>; query?: QueryValues; body?: unknown; idempotencyKey?: string };
  const answer = await request(route, pathOf(route, params, query), { body, idempotencyKey });
  return answer as Answer<K>;
}

export async function call<K extends RouteKey>(route: K, ...args: Args<K>): Promise<Responses[K]> {
  return (await callForAnswer(route, ...args)).body;
}
