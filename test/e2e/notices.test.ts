// Notices and emergency facilities over HTTP on the real `npm start` entry: staff warn the demo
// community, every resident there finds the SMS in the outbox, anyone reads the notice and the seeded
// shelters without a token.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startServer, tokenFor, type RunningServer } from '../support/local-server.ts';

const DEMO_PHONE = '+8613800138000';
const NEIGHBOUR_PHONE = '+8613800138011';
const ELSEWHERE_PHONE = '+8613800138012';

describe('notices and facilities over HTTP', () => {
  let server: RunningServer;
  let staff: ReturnType<typeof client>;
  let anyone: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    staff = client(server.url, await tokenFor(server.url, 'staff-notices-e2e', 'staff', { categories: ['housing-civil'] }));
    anyone = client(server.url);
    const neighbour = client(server.url, await tokenFor(server.url, 'notice-neighbour', 'resident'));
    const elsewhere = client(server.url, await tokenFor(server.url, 'notice-elsewhere', 'resident'));
    const profiles = [
      await neighbour.put('/me', { name: '周杰', idNumber: '440524188001010014', phone: NEIGHBOUR_PHONE, community: 'sunshine-garden' }),
      await elsewhere.put('/me', { name: '吴芳', idNumber: '110105198503150027', phone: ELSEWHERE_PHONE, community: 'hongmiao' }),
    ];
    expect(profiles.map((p) => p.status)).toEqual([200, 200]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('texts every resident of the community when staff publish, and shows the notice to anyone', async () => {
    const published = await staff.post(
      '/notices',
      { community: 'sunshine-garden', kind: 'water-outage', title: '2栋停水', body: '今日14时至18时更换水表，请提前储水。', startsAt: new Date().toISOString() },
      { 'Idempotency-Key': 'water-e2e' },
    );
    const smsTo = async (phone: string) => (await anyone.get(`/_local/outbox?to=${encodeURIComponent(phone)}`)).body.filter((m: { template: string }) => m.template === 'emergency-notice');
    const listed = await anyone.get('/notices?community=sunshine-garden');

    expect(published.status).toBe(201);
    expect(await smsTo(DEMO_PHONE)).toEqual([expect.objectContaining({ body: '【智慧社区】停水通知「2栋停水」今日14时至18时更换水表，请提前储水。' })]);
    expect(await smsTo(NEIGHBOUR_PHONE)).toHaveLength(1);
    expect(await smsTo(ELSEWHERE_PHONE)).toEqual([]);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([published.body]);
  });

  it('refuses residents with 403 and a notice too long for two SMS with 422, as problem documents', async () => {
    const resident = client(server.url, await tokenFor(server.url, 'notice-neighbour', 'resident'));
    const notice = { community: 'sunshine-garden', kind: 'general', title: '通知', body: '内容', startsAt: new Date().toISOString() };

    const byResident = await resident.post('/notices', notice);
    const tooLong = await staff.post('/notices', { ...notice, body: '请注意'.repeat(45) });

    expect(byResident.status).toBe(403);
    expect(tooLong.status).toBe(422);
    expect(tooLong.headers.get('content-type')).toBe('application/problem+json');
    expect(tooLong.body).toMatchObject({ code: 'business_rule', errors: [{ path: 'body' }] });
  });

  it('lists the seeded shelters and civil-defense works of the demo community to anyone, by kind', async () => {
    const shelters = await anyone.get('/facilities?community=sunshine-garden&kind=shelter');
    const all = await anyone.get('/facilities?community=sunshine-garden');

    expect(shelters.status).toBe(200);
    expect(shelters.body.items.length).toBeGreaterThan(0);
    for (const f of shelters.body.items) {
      expect(f).toEqual({ id: expect.any(String), name: expect.any(String), address: expect.any(String), lat: expect.any(Number), lng: expect.any(Number), capacity: expect.any(Number), kind: 'shelter', community: 'sunshine-garden' });
    }
    expect(new Set(all.body.items.map((f: { kind: string }) => f.kind))).toEqual(new Set(['shelter', 'civil-defense']));
  });
});
