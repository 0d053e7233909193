// Community notices (outages, weather alerts) and emergency facilities.

import * as z from 'zod/mini';
import { FACILITY_KINDS } from '../domain/facilities.ts';
import { isNoticeLengthSane, NOTICE_KINDS, NOTICE_MAX_DAYS_LONG, type Notice } from '../domain/notices.ts';
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
  summary: "A community's notices that have not ended",
  query: z.object({ ...pageQuery, community: communitySchema }),
});

export const listFacilities = endpoint({
  route: 'GET /facilities',
  summary: 'Emergency shelters and civil-defense facilities',
  query: z.object({ ...pageQuery, community: communitySchema, kind: z.optional(z.enum(FACILITY_KINDS)) }),
});

/** A notice as clients see it. Who published it stays internal: the list is public. */
export const noticeView = (n: Notice) => ({
  id: n.id,
  community: n.community,
  kind: n.kind,
  title: n.title,
  body: n.body,
  startsAt: n.startsAt,
  endsAt: n.endsAt ?? null,
  publishedAt: n.publishedAt,
});
