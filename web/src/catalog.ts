// The service catalog (GET /catalog), fetched once per visit: it changes with a deployment, not during one.

import { call } from './api/client.ts';
import type { Catalog } from './api/types.ts';

let catalog: Promise<Catalog> | undefined;

export function loadCatalog(): Promise<Catalog> {
  catalog ??= call('GET /catalog').catch((error: unknown) => {
    catalog = undefined;
    throw error;
  });
  return catalog;
}

export const categoryOf = (c: Catalog, code: string) => c.categories.find((category) => category.code === code);
export const matterOf = (c: Catalog, code: string) => c.matters.find((matter) => matter.code === code);
export const materialName = (c: Catalog, matter: string, code: string) =>
  matterOf(c, matter)?.materials.find((material) => material.code === code)?.name;
export const centreOf = (c: Catalog, code: string) => c.centres.find((centre) => centre.code === code);
/** The service centre a community belongs to (the one that handles its residents' cases and visits). */
export const centreOfCommunity = (c: Catalog, community: string) => c.centres.find((centre) => centre.communities.some((m) => m.code === community));
