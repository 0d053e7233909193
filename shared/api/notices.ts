// Community notices (outages, weather alerts) and emergency facilities.

import * as z from 'zod/mini';
import { FACILITY_KINDS, MAX_RADIUS_METERS } from '../domain/facilities.ts';
import { isNoticeLengthSane, NOTICE_KINDS, NOTICE_MAX_DAYS_LONG, noticeState, type Notice } from '../domain/notices.ts';
import { endpoint } from './endpoint.ts';
import { communitySchema, pageQuery, text } from './fields.ts';

/** Any ISO 8601 timestamp with a zone, kept as UTC so notices sort and compare as text. */
const timestamp = z.pipe(
  z.iso.datetime({ offset: true, error: 'an ISO 8601 timestamp with a time zone, e.g. 2026-12-01T01:30:00.000Z' }),
  z.transform((value) => new Date(value).toISOString()),
);

export const publishNotice = endpoint({
  route: 'POST /notices',
  summary: 'Publish a notice; every resident of the community gets an SMS',
  body: z
    .strictObject({
      community: communitySchema,
      kind: z.enum(NOTICE_KINDS),
      title: text(40),
      body: text(500, { multiline: true }),
      startsAt: timestamp,
      endsAt: z.optional(timestamp),
    })
    .check(
      z.refine((n) => n.endsAt === undefined || n.endsAt > n.startsAt, { path: ['endsAt'], message: 'must be after startsAt' }),
      z.refine((n) => n.endsAt === undefined || isNoticeLengthSane(n.startsAt, n.endsAt), {
        path: ['endsAt'],
        message: `at most ${NOTICE_MAX_DAYS_LONG} days after startsAt`,
      }),
    ),
});

export const listNotices = endpoint({
  route: 'GET /notices',
  summary: "A community's notices that have not ended: active ones first, then upcoming ones",
  query: z.object({ ...pageQuery, community: communitySchema }),
});

export const endNotice = endpoint({
  route: 'POST /notices/{id}/end',
  summary: 'End a notice early (an outage repaired sooner): it leaves the list',
  params: z.object({ id: z.string().check(z.regex(/^N\d{8}-[0-9a-f]{8}$/, 'a notice id such as N20261203-9f2c41d0')) }),
});

/** `near=39.9219,116.4833`: WGS-84 latitude and longitude in degrees. */
const pointSchema = z.pipe(
  z.string().check(z.regex(/^-?\d{1,3}(\.\d{1,10})?,-?\d{1,3}(\.\d{1,10})?$/, 'a point "lat,lng" in degrees, e.g. 39.9219,116.4833')),
  z.transform((value, ctx) => {
    const [lat, lng] = value.split(',').map(Number) as [number, number];
    if (Math.abs(lat) <= 90 && Math.abs(lng) <= 180) return { lat, lng };
    ctx.issues.push({ code: 'custom', message: 'latitude within ±90 and longitude within ±180 degrees', input: value });
    return z.NEVER;
  }),
);

export const listFacilities = endpoint({
  route: 'GET /facilities',
  summary: 'Emergency shelters and civil-defense facilities of a community, or the nearest to a point',
  query: z.object({
    ...pageQuery,
    community: z.optional(communitySchema),
    kind: z.optional(z.enum(FACILITY_KINDS)),
    near: z.optional(pointSchema),
    radius: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_RADIUS_METERS))),
  }),
});

/** A notice as clients see it at `now`. Who published it stays internal: the list is public. */
export const noticeView = (n: Notice, now: Date) => ({
  id: n.id,
  community: n.community,
  kind: n.kind,
  title: n.title,
  body: n.body,
  startsAt: n.startsAt,
  endsAt: n.endsAt ?? null,
  publishedAt: n.publishedAt,
  state: noticeState(n, now),
});
