// GET /catalog — the six service categories and the matters residents can declare.

import { publicCatalog } from '../../shared/domain/catalog.ts';
import * as api from '../../shared/api/platform.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

const catalog = publicCatalog();

export const handler = apiHandler(api.getCatalog, async () => ok(catalog));
