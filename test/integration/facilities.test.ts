// GET /facilities: public, one community at a time, optionally one kind, paged; or the nearest to a point
// across communities, ordered as a direct haversine computation orders them; demo data added once.

import { beforeAll, describe, expect, it } from 'vitest';
import { handler as listFacilities } from '../../functions/facilities/list-facilities.ts';
import { demoFacilities, seedDemoFacilities } from '../../infra/local/demo-facilities.ts';
import { addFacility } from '../../shared/data/facilities.ts';
import { haversineMeters, type Facility } from '../../shared/domain/facilities.ts';
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

const TEST_FACILITIES = [
  facility('hm-s1', 'shelter', 'hongmiao'),
  facility('hm-s2', 'shelter', 'hongmiao'),
  facility('hm-c1', 'civil-defense', 'hongmiao'),
  facility('lz-s1', 'shelter', 'longze-garden'),
];

describe('GET /facilities', () => {
  beforeAll(async () => {
    for (const f of TEST_FACILITIES) await addFacility(f);
  });

  it('lists every facility of the community to anyone, with location and capacity', async () => {
    const res = await list({ community: 'hongmiao' });

    expect(res.status).toBe(200);
    expect(res.body.items.map((f: Facility) => f.id)).toEqual(['hm-c1', 'hm-s1', 'hm-s2']);
    expect(res.body.items[1]).toEqual(facility('hm-s1', 'shelter', 'hongmiao'));
    expect(res.body.nextCursor).toBeNull();
  });

  it('filters by kind', async () => {
    const shelters = await list({ community: 'hongmiao', kind: 'shelter' });
    const civilDefense = await list({ community: 'hongmiao', kind: 'civil-defense' });

    expect(shelters.body.items.map((f: Facility) => f.id)).toEqual(['hm-s1', 'hm-s2']);
    expect(civilDefense.body.items.map((f: Facility) => f.id)).toEqual(['hm-c1']);
  });

  it('pages through a community with a cursor', async () => {
    const first = await list({ community: 'hongmiao', kind: 'shelter', limit: '1' });
    const second = await list({ community: 'hongmiao', kind: 'shelter', limit: '1', cursor: first.body.nextCursor });

    expect(first.body.items.map((f: Facility) => f.id)).toEqual(['hm-s1']);
    expect(second.body.items.map((f: Facility) => f.id)).toEqual(['hm-s2']);
  });

  it('answers an empty list for a community without facilities, and 400 at query.community for one the catalog does not know', async () => {
    const res = await list({ community: 'huilongguan-east' });
    const mistyped = await list({ community: 'hongmiao-north' });

    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.errors[0]).toMatchObject({ path: 'query.community', message: expect.stringContaining('sunshine-garden') });
  });

  it('refuses an unknown kind, a missing community and a cursor of another community with 400 at their paths', async () => {
    const badKind = await list({ community: 'hongmiao', kind: 'hospital' });
    const noCommunity = await list({ kind: 'shelter' });
    const page = await list({ community: 'hongmiao', limit: '1' });
    const forged = await list({ community: 'longze-garden', cursor: page.body.nextCursor });

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

describe('GET /facilities?near=', () => {
  // Between the demo community's square and 八里庄北里, in Chaoyang.
  const point = { lat: 39.924, lng: 116.489 };
  const near = `${point.lat},${point.lng}`;
  beforeAll(async () => {
    await seedDemoFacilities();
  });

  it('orders the seeded facilities within 5 km by great-circle distance, as a direct haversine computation does', async () => {
    const res = await list({ near });
    const expected = [...demoFacilities(), ...TEST_FACILITIES]
      .map((f) => ({ id: f.id, d: haversineMeters(point, f) }))
      .filter((f) => f.d <= 5000)
      // Facilities at the very same place come by id.
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
      .map((f) => f.id);

    expect(res.status).toBe(200);
    expect(res.body.items.map((f: { id: string }) => f.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(res.body.items.map((f: { community: string }) => f.community)).toContain('balizhuang-north');
    for (const f of res.body.items) expect(f.distanceMeters).toBe(Math.round(haversineMeters(point, f)));
    expect(res.body.items.map((f: { id: string }) => f.id)).not.toContain('zzy-shelter-1');
  });

  it('finds the nearest shelter, widens to 20 km with radius, narrows to a community, and pages nearest first', async () => {
    const shelters = await list({ near, kind: 'shelter' });
    const wide = await list({ near, radius: '20000' });
    const one = await list({ near, community: 'balizhuang-north' });
    const first = await list({ near, limit: '2' });
    const second = await list({ near, limit: '2', cursor: first.body.nextCursor });

    const nearestShelter = [...demoFacilities(), ...TEST_FACILITIES]
      .filter((f) => f.kind === 'shelter')
      .sort((a, b) => haversineMeters(point, a) - haversineMeters(point, b))[0]!;
    expect(shelters.body.items[0].id).toBe(nearestShelter.id);
    expect(shelters.body.items.every((f: Facility) => f.kind === 'shelter')).toBe(true);
    expect(wide.body.items.map((f: { id: string }) => f.id)).toContain('zzy-shelter-1');
    expect(one.body.items.map((f: { id: string }) => f.id).sort()).toEqual(['blz-civil-defense-1', 'blz-shelter-1']);
    expect([...first.body.items, ...second.body.items].map((f: { id: string }) => f.id)).toEqual((await list({ near })).body.items.slice(0, 4).map((f: { id: string }) => f.id));
  });

  it('refuses a malformed point, a radius beyond 20 km or without a point, and a cursor of another search with 400 at their paths', async () => {
    const bad = await list({ near: '39.9,abc' });
    const offEarth = await list({ near: '99,116' });
    const tooWide = await list({ near, radius: '20001' });
    const noPoint = await list({ community: 'sunshine-garden', radius: '100' });
    const page = await list({ near, limit: '1' });
    const forged = await list({ near: '39.925,116.489', cursor: page.body.nextCursor });

    expect(bad.body.errors[0].path).toBe('query.near');
    expect(offEarth.body.errors[0].path).toBe('query.near');
    expect(tooWide.body.errors[0].path).toBe('query.radius');
    expect(noPoint.body.errors[0].path).toBe('query.radius');
    expect(forged.body.errors[0].path).toBe('cursor');
  });
});

