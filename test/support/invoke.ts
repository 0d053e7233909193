// Calls a handler module in-process with the API Gateway payload v2 event the local server would build,
// for tests that need many quick requests (races) without HTTP in between.

import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { claimsAsApiGatewayPassesThem, lambdaContext } from '../../infra/local/api-gateway.ts';
import { DEMO_CENTRE } from '../../shared/domain/centres.ts';

/**
 * Staff and supervisors work at the demo centre unless `centre` says otherwise (`*`: a city supervisor).
 * `groups` replaces the one group of `role` (an account in several groups); `claims` adds or overrides any
 * claim as the token would carry it (claims at their limits).
 */
export type TestCaller = {
  sub: string;
  role: 'resident' | 'staff' | 'supervisor';
  categories?: string[];
  centre?: string;
  phone?: string;
  name?: string;
  groups?: string[];
  claims?: Record<string, unknown>;
};

export type InvokeOptions = {
  caller?: TestCaller;
  body?: unknown;
  query?: Record<string, string>;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** Hand the body over base64-encoded, as API Gateway does for a non-JSON content type. */
  base64?: boolean;
  /** The event a Lambda function URL sends instead: the same payload v2, but route `$default` and no authorizer. */
  functionUrl?: boolean;
};

// Any Lambda handler: middy's carry a third, optional-at-runtime parameter.
type Handler = (...args: any[]) => Promise<APIGatewayProxyStructuredResultV2 | undefined>;

const encodeBody = (text: string, base64: boolean | undefined) => (base64 ? Buffer.from(text, 'utf8').toString('base64') : text);

export async function invoke(handler: Handler, routeKey: string, options: InvokeOptions = {}) {
  const [method, path] = routeKey.split(' ') as [string, string];
  const requestId = randomUUID();
  const claims = options.caller
    ? claimsAsApiGatewayPassesThem({
        sub: options.caller.sub,
        'cognito:groups': options.caller.groups ?? [options.caller.role],
        ...(options.caller.categories ? { 'custom:categories': options.caller.categories.join(',') } : {}),
        ...(options.caller.role === 'resident' && !options.caller.groups ? {} : { 'custom:centre': options.caller.centre ?? DEMO_CENTRE }),
        ...(options.caller.phone ? { phone_number: options.caller.phone } : {}),
        ...(options.caller.name ? { name: options.caller.name } : {}),
        ...options.caller.claims,
      })
    : undefined;
  const eventRouteKey = options.functionUrl ? '$default' : routeKey;
  const event = {
    version: '2.0',
    routeKey: eventRouteKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId,
      routeKey: eventRouteKey,
      stage: '$default',
      ...(options.functionUrl ? {} : { authorizer: { jwt: { claims: claims ?? {}, scopes: [] } } }),
    },
    ...(options.body === undefined ? {} : { body: encodeBody(typeof options.body === 'string' ? options.body : JSON.stringify(options.body), options.base64) }),
    isBase64Encoded: options.base64 === true,
  };
  const result = (await handler(event, lambdaContext('test', requestId)))!;
  // JSON answers parsed; the providers' notify routes answer in their own formats (Alipay's plain `success`).
  const json = /json/.test(String(result.headers?.['content-type'] ?? 'application/json'));
  return { status: result.statusCode!, body: result.body ? (json ? JSON.parse(result.body) : result.body) : undefined, headers: result.headers ?? {} };
}
