// GET /catalog — the six service categories and the matters residents can declare.

import { publicCatalog } from '../../shared/domain/catalog.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

const catalog = publicCatalog();

export const handler = apiHandler({ route: 'GET /catalog' }, async () => ok(catalog));
