// GET /openapi.json — the API described by its own route table and request schemas (shared/api/openapi.ts).
// Built once per cold start: it depends on nothing but the code deployed with it.

import { openApiDocument } from '../../shared/api/openapi.ts';
import * as api from '../../shared/api/platform.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

const document = openApiDocument();

export const handler = apiHandler(api.getOpenApi, async () => ok(document));
