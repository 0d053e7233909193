// The OpenAPI 3.1 document of the HTTP API (GET /openapi.json), built from the same endpoint objects the
// handlers validate with and the route table the gateway serves, so the document cannot describe an API
// that does not exist. Request schemas are zod's JSON-schema conversion of the input side: a transform
// (an ID number that is parsed, a timestamp kept as UTC) is described by what a client sends.

import * as z from 'zod/mini';
import { findRoute, isPublic, type Route } from '../routes.ts';
import type { Endpoint, Schema } from './endpoint.ts';
import { ENDPOINTS } from './index.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

export const OPENAPI_VERSION = '3.1.1';

/** The input side of a schema; refinements that JSON Schema cannot say (a check character) become `{}` there. */
function jsonSchemaOf(schema: Schema): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

function parametersOf(route: Route, endpoint: Endpoint) {
  const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params = endpoint.params ? jsonSchemaOf(endpoint.params) : { properties: {} };
  const query = endpoint.query ? jsonSchemaOf(endpoint.query) : { properties: {}, required: [] };
  return [
    // A path template's every name must be a parameter, whether or not the endpoint checks it further.
    ...inPath.map((name) => ({ name, in: 'path', required: true, schema: params.properties?.[name] ?? { type: 'string' } })),
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required?.includes(name) ?? false,
      schema,
    })),
  ];
}

const problem = { description: 'An RFC 9457 problem document', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

function operationOf(endpoint: Endpoint) {
  const route = findRoute(endpoint.route);
  const [, area] = route.entry.split('/');
  const parameters = parametersOf(route, endpoint);
  return {
    operationId: route.entry.split('/').pop()!.replace(/\.ts$/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    summary: endpoint.summary,
    tags: [area!],
    // A public route needs no token; otherwise the bearer token of one of the route's roles.
    security: isPublic(route) ? [] : [{ bearer: [...route.roles] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(endpoint.body) } } } } : {}),
    responses: {
      '2XX': { description: 'Success: the shapes are those of API.md', content: { 'application/json': { schema: {} } } },
      '4XX': problem,
      '5XX': problem,
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, ReturnType<typeof operationOf>>> = {};
  for (const endpoint of ENDPOINTS) {
    const route = findRoute(endpoint.route);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(endpoint);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Smart Community API',
      version: '1',
      description:
        'Community public services: appointments, cases, bills, notices, ratings. Money is integer fen; errors are problem+json. ' +
        'Creating or paying takes an Idempotency-Key header (1–64 characters): required on POST /bills/{id}/pay, optional on POST /cases, POST /appointments and POST /notices.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The Cognito ID token (locally: POST /_local/token). The scopes listed on an operation are the roles that may call it.',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
            correlationId: { type: 'string' },
          },
        },
      },
    },
  };
}
