// GET /facilities: public, one community at a time, optionally one kind, paged; demo data added once.

import { beforeAll, describe, expect, it } from 'vitest';
import { handler as listFacilities } from '../../functions/facilities/list-facilities.ts';
import { demoFacilities, seedDemoFacilities } from '../../infra/local/demo-facilities.ts';
import { addFacility } from '../../shared/data/facilities.ts';
import { type Facility } from '../../shared/domain/facilities.ts';
import { invoke } from '../support/invoke.ts';

const list = (query: Record<string, string>) => invoke(listFacilities, 'GET /facilities', { query });
const facility = (id: string, kind: Facility['kind'], community: string): Facility => ({
  id,
  kind,
  community,
  name: `${id}避难点`,
  address: '北京市朝阳区测试路1号',
  lat: 39.92,
  lng: 116.48,
  capacity: 300,
});

describe('GET /facilities', () => {
  beforeAll(async () => {
    for (const f of [
      facility('birch-s1', 'shelter', 'birch-row'),
      facility('birch-s2', 'shelter', 'birch-row'),
      facility('birch-c1', 'civil-defense', 'birch-row'),
      facility('cedar-s1', 'shelter', 'cedar-row'),
    ]) {
      await addFacility(f);
    }
  });

  it('lists every facility of the community to anyone, with location and capacity', async () => {
    const res = await list({ community: 'birch-row' });

    expect(res.status).toBe(200);
    expect(res.body.items.map((f: Facility) => f.id)).toEqual(['birch-c1', 'birch-s1', 'birch-s2']);
    expect(res.body.items[1]).toEqual(facility('birch-s1', 'shelter', 'birch-row'));
    expect(res.body.nextCursor).toBeNull();
  });

  it('filters by kind', async () => {
    const shelters = await list({ community: 'birch-row', kind: 'shelter' });
    const civilDefense = await list({ community: 'birch-row', kind: 'civil-defense' });

    expect(shelters.body.items.map((f: Facility) => f.id)).toEqual(['birch-s1', 'birch-s2']);
    expect(civilDefense.body.items.map((f: Facility) => f.id)).toEqual(['birch-c1']);
  });

  it('pages through a community with a cursor', async () => {
    const first = await list({ community: 'birch-row', kind: 'shelter', limit: '1' });
    const second = await list({ community: 'birch-row', kind: 'shelter', limit: '1', cursor: first.body.nextCursor });

    expect(first.body.items.map((f: Facility) => f.id)).toEqual(['birch-s1']);
    expect(second.body.items.map((f: Facility) => f.id)).toEqual(['birch-s2']);
  });

  it('answers an empty list for a community without facilities', async () => {
    const res = await list({ community: 'no-such-row' });

    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses an unknown kind, a missing community and a cursor of another community with 400 at their paths', async () => {
    const badKind = await list({ community: 'birch-row', kind: 'hospital' });
    const noCommunity = await list({ kind: 'shelter' });
    const page = await list({ community: 'birch-row', limit: '1' });
    const forged = await list({ community: 'cedar-row', cursor: page.body.nextCursor });

    expect(badKind.status).toBe(400);
    expect(badKind.body.errors[0].path).toBe('query.kind');
    expect(noCommunity.body.errors[0].path).toBe('query.community');
    expect(forged.body.errors[0].path).toBe('cursor');
  });

  it('seeds the demo facilities once however often the platform starts, and keeps an existing one as it is', async () => {
    await addFacility({ ...demoFacilities('sunshine-garden')[0]!, capacity: 999 });

    await seedDemoFacilities('sunshine-garden');
    await seedDemoFacilities('sunshine-garden');
    const all = await list({ community: 'sunshine-garden' });

    expect(all.body.items).toHaveLength(demoFacilities('sunshine-garden').length);
    expect(all.body.items.filter((f: Facility) => f.kind === 'shelter').length).toBeGreaterThanOrEqual(2);
    expect(all.body.items.filter((f: Facility) => f.kind === 'civil-defense').length).toBeGreaterThanOrEqual(2);
    expect(all.body.items.find((f: Facility) => f.id === 'sg-shelter-1').capacity).toBe(999);
  });
});
