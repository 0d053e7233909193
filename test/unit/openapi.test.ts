// The OpenAPI document of GET /openapi.json: every route of the route table is in it with its roles, and it
// has the shape OpenAPI 3.1 requires (checked structurally: no validator package is needed for that).

import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { isPublic, ROUTES } from '../../shared/routes.ts';
import { handler } from '../../functions/platform/get-openapi.ts';

const doc = openApiDocument();
type Operation = {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string }>;
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })),
);

describe('OpenAPI document', () => {
  it('describes every route of the route table once, and nothing else', () => {
    const described = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort();
    expect(described).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('turns each route’s roles into its security: none for public routes, the bearer token with the roles otherwise', () => {
    for (const route of ROUTES) {
      const { op } = operations.find((o) => o.path === route.path && o.method === route.method.toLowerCase())!;
      expect(op.security, `${route.method} ${route.path}`).toEqual(isPublic(route) ? [] : [{ bearer: [...route.roles] }]);
    }
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer']);
  });

  it('has the shape of OpenAPI 3.1: version, info, paths, unique operation ids, path parameters, responses, resolvable refs', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const where = `${method} ${path}`;
      expect(path, where).toMatch(/^\//);
      expect(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']).toContain(method);
      expect(op.operationId, where).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(status, where).toMatch(/^([1-5](\d\d|XX)|default)$/);
        expect(response.description, where).toBeTruthy();
      }
      // Every {name} of the template is a required path parameter, and no path parameter is not in it.
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const inPath = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(inPath.map((p) => p.name).sort(), where).toEqual(templated.sort());
      for (const p of inPath) expect(p.required, where).toBe(true);
      for (const p of op.parameters ?? []) expect(['path', 'query', 'header', 'cookie'], where).toContain(p.in);
      // JSON bodies are objects; Aliyun's delivery reports arrive as a JSON array.
      if (op.requestBody) expect(['object', 'array'], where).toContain(op.requestBody.content['application/json']!.schema.type);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('describes what a client sends, not what the handler makes of it (zod input side)', () => {
    const putMe = operations.find((o) => o.method === 'put' && o.path === '/me')!.op;
    const body = putMe.requestBody!.content['application/json']!.schema as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    // The ID number as sent (bounded before it is parsed), not the birth date and sex the handler makes of it.
    expect(body.properties.idNumber).toEqual({ type: 'string', maxLength: 32 });
    expect(body.required).toEqual(['name', 'idNumber', 'phone', 'community']);
    expect(body.additionalProperties).toBe(false);

    const bills = operations.find((o) => o.method === 'get' && o.path === '/bills')!.op;
    expect(bills.parameters).toContainEqual({ name: 'status', in: 'query', required: false, schema: { default: 'unpaid', type: 'string', enum: ['unpaid', 'paid'] } });
  });

  it('is served publicly at GET /openapi.json', async () => {
    const res = await handler({ headers: {}, requestContext: { requestId: 'openapi' } } as never, { awsRequestId: 'openapi' } as never);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
