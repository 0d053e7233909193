// POST /notices validation and roles, idempotent publishing, GET /notices (the notices that have not
// ended: active ones newest first, then upcoming ones soonest first, a page at a time) and ending a
// notice early.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as endNotice } from '../../functions/notices/end-notice.ts';
import { handler as listNotices } from '../../functions/notices/list-notices.ts';
import { migrateNoticesToEndOrder } from '../../infra/local/migrations.ts';
import { db, tableName } from '../../shared/data/client.ts';
import { noticeKeys } from '../../shared/data/keys.ts';
import { handler as publish } from '../../functions/notices/publish-notice.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { publishNotice } from '../../shared/data/notices.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import type { Notice } from '../../shared/domain/notices.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { centreOfCommunity } from '../../shared/domain/centres.ts';
import { invoke } from '../support/invoke.ts';

const STAFF = { sub: 'staff-notices', role: 'staff' as const };
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const valid = (overrides: Record<string, unknown> = {}) => ({
  community: 'sunshine-garden',
  kind: 'weather-alert',
  title: '暴雨蓝色预警',
  body: '今夜有大到暴雨，请关好门窗，地下车库车辆请及时挪移。',
  startsAt: hoursFromNow(-1),
  endsAt: hoursFromNow(12),
  ...overrides,
});
/** Staff publish to the communities of their own centre. */
const staffFor = (body: unknown) => ({ ...STAFF, centre: centreOfCommunity(String((body as { community?: unknown }).community))?.code });
const post = (body: unknown, headers: Record<string, string> = {}) => invoke(publish, 'POST /notices', { caller: staffFor(body), body, headers });
const list = (query: Record<string, string>) => invoke(listNotices, 'GET /notices', { query });

describe('POST /notices', () => {
  it('publishes a notice: 201 with the notice, times normalised to UTC', async () => {
    const day = addDays(shanghaiDate(new Date()), 30);
    const res = await post(valid({ community: 'zizhuyuan', startsAt: `${day}T08:00:00+08:00`, endsAt: `${day}T18:00:00+08:00` }));

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^N\d{8}-[0-9a-f]{8}$/),
      community: 'zizhuyuan',
      kind: 'weather-alert',
      title: '暴雨蓝色预警',
      body: '今夜有大到暴雨，请关好门窗，地下车库车辆请及时挪移。',
      startsAt: `${day}T00:00:00.000Z`,
      endsAt: `${day}T10:00:00.000Z`,
      publishedAt: expect.any(String),
      state: 'upcoming',
    });
  });

  it("refuses staff of another centre with 403, and texts nobody", async () => {
    const res = await invoke(publish, 'POST /notices', { caller: { ...STAFF, centre: 'huilongguan' }, body: valid({ community: 'sunshine-garden' }) });

    expect(res).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('refuses a bad kind, an unknown field and times that are not ISO timestamps with 400 at their paths', async () => {
    const res = await post({ ...valid({ kind: 'earthquake', startsAt: '2026-12-01 09:00' }), author: 'x' });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['author', 'kind', 'startsAt']);
  });

  it('refuses an end before the start with 400 at endsAt', async () => {
    const res = await post(valid({ startsAt: hoursFromNow(5), endsAt: hoursFromNow(4) }));

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'endsAt', message: 'must be after startsAt' }]);
  });

  it('refuses a notice that has already ended with 422 at endsAt', async () => {
    const res = await post(valid({ startsAt: hoursFromNow(-5), endsAt: hoursFromNow(-1) }));

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'business_rule', errors: [{ path: 'endsAt' }] });
  });

  it('refuses a body whose SMS would need three segments with 422 at body, and texts nobody', async () => {
    await saveResident({
      userId: 'long-notice-reader',
      name: '赵敏',
      idNumber: '440524188001010014',
      birthDate: '1880-01-01',
      sex: 'male',
      phone: '+8613700000001',
      community: 'sunshine-garden',
      updatedAt: new Date().toISOString(),
    });

    const res = await post(valid({ body: '请注意'.repeat(40) }));

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'business_rule', errors: [{ path: 'body' }] });
    expect(readOutbox(process.env.OUTBOX_FILE!, '+8613700000001')).toEqual([]);
    expect((await list({ community: 'sunshine-garden' })).body.items).toEqual([]);
  });

  it('refuses residents with 403 and callers without a token with 401', async () => {
    const byResident = await invoke(publish, 'POST /notices', { caller: { sub: 'long-notice-reader', role: 'resident' }, body: valid() });
    const anonymous = await invoke(publish, 'POST /notices', { body: valid() });

    expect(byResident.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });

  it('publishes once for a repeated Idempotency-Key, so a double click does not text the community twice', async () => {
    const body = valid({ community: 'balizhuang-north' });

    const [first, second] = await Promise.all([post(body, { 'idempotency-key': 'storm-1' }), post(body, { 'idempotency-key': 'storm-1' })]);
    const reused = await post({ ...body, title: '另一条' }, { 'idempotency-key': 'storm-1' });

    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(reused.status).toBe(409);
    expect((await list({ community: 'balizhuang-north' })).body.items).toHaveLength(1);
  });
});

describe('GET /notices', () => {
  const community = 'hongmiao';
  let n = 0;
  const write = (startsAt: string, endsAt?: string) => {
    const notice: Notice = {
      id: `N-list-${++n}`,
      community,
      kind: 'general',
      title: `公告${n}`,
      body: '内容',
      startsAt,
      ...(endsAt ? { endsAt } : {}),
      publishedAt: new Date().toISOString(),
      publishedBy: STAFF.sub,
    };
    return publishNotice(notice, new Date());
  };

  it('lists the notices of the community that have not ended, active ones newest first and then upcoming ones soonest first, in pages', async () => {
    await write(hoursFromNow(-30)); // N-list-1: active, no end
    await write(hoursFromNow(-20), hoursFromNow(-2)); // N-list-2: ended
    await write(hoursFromNow(-10), hoursFromNow(10)); // N-list-3: active
    await write(hoursFromNow(20)); // N-list-4: upcoming
    await write(hoursFromNow(-5)); // N-list-5: active
    await write(hoursFromNow(2), hoursFromNow(4)); // N-list-6: upcoming, soonest
    await post(valid({ community: 'longze-garden' }));

    const first = await list({ community, limit: '2' });
    const second = await list({ community, limit: '2', cursor: first.body.nextCursor });
    const third = await list({ community, limit: '2', cursor: second.body.nextCursor });
    const all = await list({ community });

    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(['N-list-5', 'N-list-3']);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual(['N-list-1', 'N-list-6']);
    expect(third.body).toMatchObject({ items: [{ id: 'N-list-4', state: 'upcoming' }], nextCursor: null });
    expect(all.body.items.map((i: { id: string; state: string }) => `${i.id} ${i.state}`)).toEqual([
      'N-list-5 active',
      'N-list-3 active',
      'N-list-1 active',
      'N-list-6 upcoming',
      'N-list-4 upcoming',
    ]);
    expect(all.body.items[0]).toMatchObject({ endsAt: null });
    expect(all.body.items[0]).not.toHaveProperty('publishedBy');
  });

  it('needs a community and refuses a cursor of another community', async () => {
    const missing = await list({});
    const page = await list({ community, limit: '1' });
    const forged = await list({ community: 'longze-garden', cursor: page.body.nextCursor });

    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('query.community');
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].path).toBe('cursor');
  });
});

describe('a notice over time, and ending one early', () => {
  const at = (iso: string) => vi.setSystemTime(new Date(iso));
  const states = async (community: string) => (await list({ community })).body.items.map((i: { id: string; state: string }) => [i.id, i.state]);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is listed as upcoming, then active, then gone after its end', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2030-06-01T02:00:00.000Z');
    const published = await post(valid({ community: 'zizhuyuan', startsAt: '2030-06-02T01:00:00.000Z', endsAt: '2030-06-02T09:00:00.000Z' }));
    const id = published.body.id as string;

    const stateOf = async () => (await states('zizhuyuan')).filter(([listed]: [string]) => listed === id);
    const dayBefore = await stateOf();
    at('2030-06-02T03:00:00.000Z');
    const during = await stateOf();
    at('2030-06-02T09:00:00.000Z');
    const afterwards = await stateOf();

    expect(published.body.state).toBe('upcoming');
    expect(dayBefore).toEqual([[id, 'upcoming']]);
    expect(during).toEqual([[id, 'active']]);
    expect(afterwards).toEqual([]);
  });

  it('leaves the list when staff of its centre end it early, once; another centre’s staff get 404', async () => {
    const published = await post(valid({ community: 'huilongguan-east', endsAt: hoursFromNow(48) }));
    const id = published.body.id as string;
    const end = (centre: string) => invoke(endNotice, 'POST /notices/{id}/end', { caller: { ...STAFF, centre }, params: { id } });

    const far = await end('zizhuyuan');
    const ended = await end('huilongguan');
    const again = await end('huilongguan');

    expect(far).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect(ended).toMatchObject({ status: 200, body: { id, state: 'ended', endsAt: expect.any(String) } });
    expect(Date.parse(ended.body.endsAt)).toBeLessThanOrEqual(Date.now());
    expect(again).toMatchObject({ status: 409, body: { code: 'invalid_state' } });
    expect(await states('huilongguan-east')).toEqual([]);
  });

  it('gives notices written before the end-time order their place in it, once, at start-up', async () => {
    const old: Notice = { id: 'N20260101-0ld0ld00', community: 'longze-garden', kind: 'general', title: '旧公告', body: '内容', startsAt: hoursFromNow(-3), publishedAt: hoursFromNow(-3), publishedBy: 'staff' };
    await publishNotice(old, new Date());
    // As the list index was keyed before: by start time.
    await db.send(new UpdateCommand({ TableName: tableName, Key: noticeKeys.item(old.id), UpdateExpression: 'SET gsi1sk = :start', ExpressionAttributeValues: { ':start': `${old.startsAt}#${old.id}` } }));
    const hidden = await states('longze-garden');

    const changed = await migrateNoticesToEndOrder();

    expect(hidden.map(([id]: [string]) => id)).not.toContain(old.id);
    expect(changed).toBeGreaterThanOrEqual(1);
    expect((await states('longze-garden')).map(([id]: [string]) => id)).toContain(old.id);
    expect(await migrateNoticesToEndOrder()).toBe(0);
  });
});
