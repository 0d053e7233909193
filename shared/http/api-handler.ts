// The middy stack every HTTP handler uses, in this order:
//   problemDetails → every thrown error becomes problem+json (named domain errors keep their status and
//                    code; anything else is a 500 with a correlation id, logged, no stack trace to the client)
//   roleGuard      → the route's roles from the route table: 401 without a caller, 403 for the wrong role
//   jsonBody       → 415 unless JSON, 413 above MAX_BODY_BYTES, 400 when malformed
//   validation     → zod schemas for body, query and path: 400 validation_failed with field paths
// A handler is then a plain async function from a typed request to { status, body }.

import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer as ApiEvent,
  APIGatewayProxyStructuredResultV2 as ApiResponse,
  Context,
} from 'aws-lambda';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DomainError, forbidden, unauthenticated, validationFailed, type FieldError } from '../domain/errors.ts';
import { log } from '../log.ts';
import { findRoute, isPublic, type RouteKey } from '../routes.ts';
import { callerFromClaims, type Caller } from './auth.ts';
import { internalError, problemFromError, problemResponse } from './problem.ts';

export const MAX_BODY_BYTES = 256 * 1024;

// zod/mini keeps every bundle small (the classic API alone is ~450 KB minified); English messages on.
z.config(en());

export type ApiRequest<B, Q, P> = {
  body: B;
  query: Q;
  params: P;
  /** The verified caller; on public routes an anonymous caller with no roles. */
  caller: Caller;
  /** Lower-case header names, as API Gateway delivers them. */
  headers: Record<string, string | undefined>;
  /** The client's address as API Gateway saw it (WeChat Pay's H5 orders must name it). */
  sourceIp: string;
  correlationId: string;
};

export type ApiResult = { status: number; body?: unknown; headers?: Record<string, string> };

type Schema = z.core.$ZodType;
type Spec<B extends Schema, Q extends Schema, P extends Schema> = { route: RouteKey; body?: B; query?: Q; params?: P };
type Infer<S> = S extends Schema ? z.output<S> : undefined;

// The middlewares hand their results to the handler on the event, as middy's own body parser does.
type State = { caller?: Caller; body?: unknown; parsed?: { body: unknown; query: unknown; params: unknown } };
type Request = middy.Request<ApiEvent & { state?: State }, ApiResponse, Error, Context>;

const ANONYMOUS: Caller = { userId: '', roles: [], categories: [] };

const correlationIdOf = (request: Request) =>
  request.event.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';

export function problemDetails(route: RouteKey): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    onError: async (request) => {
      const correlationId = correlationIdOf(request as Request);
      const error = request.error;
      if (error instanceof DomainError) {
        request.response = problemResponse(problemFromError(error, correlationId), error.headers);
        return;
      }
      log.error('unhandled error', {
        route,
        correlationId,
        errorName: error?.name,
        errorMessage: error?.message,
        stack: error?.stack,
      });
      request.response = problemResponse(internalError(correlationId));
    },
  };
}

function roleGuard(route: RouteKey): MiddlewareObj<ApiEvent, ApiResponse> {
  const definition = findRoute(route);
  const { roles } = definition;
  const open = isPublic(definition);
  return {
    before: async (request) => {
      const state = ((request.event as ApiEvent & { state?: State }).state ??= {});
      if (open) {
        state.caller = ANONYMOUS;
        return;
      }
      const caller = callerFromClaims(request.event.requestContext?.authorizer?.jwt?.claims);
      if (!caller) throw unauthenticated();
      if (!caller.roles.some((role) => roles.includes(role))) throw forbidden();
      state.caller = caller;
    },
  };
}

function jsonBody(): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    before: async (request) => {
      const { event } = request;
      const state = (event as ApiEvent & { state: State }).state;
      if (event.body === undefined || event.body === null || event.body === '') return;
      const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
      if (raw.byteLength > MAX_BODY_BYTES) {
        throw new DomainError(413, 'payload_too_large', 'Payload too large', `The body is limited to ${MAX_BODY_BYTES} bytes.`);
      }
      const contentType = event.headers?.['content-type'] ?? '';
      if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
        throw new DomainError(415, 'unsupported_media_type', 'Unsupported media type', 'Send the body as application/json.');
      }
      try {
        state.body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw validationFailed([{ path: '', message: 'the body is not valid JSON' }], 'The body is not valid JSON.');
      }
    },
  };
}

function fieldErrors(error: z.core.$ZodError, prefix: string): FieldError[] {
  const pathOf = (segments: PropertyKey[]) => [prefix, ...segments.map(String)].filter(Boolean).join('.');
  return error.issues.flatMap((issue) =>
    // An unknown field is reported at its own path, so the client sees which one to remove.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

function validation(spec: Spec<Schema, Schema, Schema>): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    before: async (request) => {
      const { event } = request;
      const state = (event as ApiEvent & { state: State }).state;
      const errors: FieldError[] = [];
      const check = (schema: Schema | undefined, input: unknown, prefix: string) => {
        if (!schema) return undefined;
        const result = z.safeParse(schema, input);
        if (!result.success) errors.push(...fieldErrors(result.error, prefix));
        return result.data;
      };
      const body = check(spec.body, state.body, '');
      const query = check(spec.query, event.queryStringParameters ?? {}, 'query');
      const params = check(spec.params, event.pathParameters ?? {}, 'path');
      if (errors.length > 0) throw validationFailed(errors);
      state.parsed = { body, query, params };
    },
  };
}

export function apiHandler<B extends Schema, Q extends Schema, P extends Schema>(
  spec: Spec<B, Q, P>,
  handle: (request: ApiRequest<Infer<B>, Infer<Q>, Infer<P>>) => Promise<ApiResult>,
) {
  return middy<ApiEvent, ApiResponse>()
    .use(problemDetails(spec.route))
    .use(roleGuard(spec.route))
    .use(jsonBody())
    .use(validation(spec as Spec<Schema, Schema, Schema>))
    .handler(async (event, context) => {
      const state = (event as ApiEvent & { state: State }).state;
      const correlationId = event.requestContext?.requestId ?? context.awsRequestId;
      const result = await handle({
        body: state.parsed!.body as Infer<B>,
        query: state.parsed!.query as Infer<Q>,
        params: state.parsed!.params as Infer<P>,
        caller: state.caller!,
        headers: (event.headers ?? {}) as Record<string, string | undefined>,
        sourceIp: event.requestContext?.http?.sourceIp ?? '',
        correlationId,
      });
      return {
        statusCode: result.status,
        headers: { ...(result.body === undefined ? {} : { 'content-type': 'application/json' }), ...result.headers },
        body: result.body === undefined ? '' : JSON.stringify(result.body),
      };
    });
}

export const ok = (body: unknown): ApiResult => ({ status: 200, body });
export const created = (body: unknown): ApiResult => ({ status: 201, body });
export const noContent = (): ApiResult => ({ status: 204 });
