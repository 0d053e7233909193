// Community notices (停水、停电、天气预警、社区公告): which kinds exist, the SMS every resident of the
// community receives, the two-segment limit on that SMS, and when a notice is active. Pure rules, no I/O.

import { shanghaiDate } from './calendar.ts';
import { businessRule } from './errors.ts';
import { render, smsSegments, smsText, type TemplateName, type TemplateParams } from './messages.ts';

export const NOTICE_KINDS = ['water-outage', 'power-outage', 'weather-alert', 'general'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const KIND_NAMES_ZH: Record<NoticeKind, string> = {
  'water-outage': '停水通知',
  'power-outage': '停电通知',
  'weather-alert': '天气预警',
  general: '社区公告',
};

/** A notice costs one SMS per resident and segment: a community of thousands is not sent a letter. */
export const MAX_NOTICE_SMS_SEGMENTS = 2;

export type Notice = {
  id: string;
  community: string;
  kind: NoticeKind;
  title: string;
  body: string;
  /** ISO 8601 UTC. */
  startsAt: string;
  endsAt?: string;
  publishedAt: string;
  publishedBy: string;
};

export type NoticeContent = Pick<Notice, 'kind' | 'title' | 'body'>;

/** Outages and weather alerts are emergencies: always an SMS, at any hour. A general notice is the residents' choice. */
export const EMERGENCY_NOTICE_KINDS: readonly NoticeKind[] = ['water-outage', 'power-outage', 'weather-alert'];

export function noticeTemplate(kind: NoticeKind): TemplateName {
  return EMERGENCY_NOTICE_KINDS.includes(kind) ? 'emergency-notice' : 'notice-published';
}

export function noticeSmsParams(notice: NoticeContent): TemplateParams {
  return { kindName: KIND_NAMES_ZH[notice.kind], title: notice.title, body: notice.body };
}

/** The SMS exactly as residents receive it, signature included. */
export function noticeSmsText(notice: NoticeContent): string {
  return smsText(render(noticeTemplate(notice.kind), noticeSmsParams(notice)));
}

/** 422 at publish time when the SMS would need more than two segments, saying by how much. */
export function assertNoticeFitsSms(notice: NoticeContent): void {
  const text = noticeSmsText(notice);
  const segments = smsSegments(text);
  if (segments <= MAX_NOTICE_SMS_SEGMENTS) return;
  const length = [...text].length;
  const limit = maxCharactersIn(MAX_NOTICE_SMS_SEGMENTS);
  throw businessRule(`The notice SMS would be ${length} characters (${segments} segments); at most ${limit} fit in ${MAX_NOTICE_SMS_SEGMENTS}.`, [
    { path: 'body', message: `shorten the title and body by ${length - limit} characters: the SMS may use at most ${MAX_NOTICE_SMS_SEGMENTS} segments` },
  ]);
}

/** Characters that fit in `segments` SMS segments (70 for one, 67 each beyond). */
export function maxCharactersIn(segments: number): number {
  return segments === 1 ? 70 : 67 * segments;
}

/** How far a notice may start from the moment it is published, either way, and how long it may run. */
export const NOTICE_MAX_DAYS_FROM_NOW = 366;
export const NOTICE_MAX_DAYS_LONG = 366;
const DAY_MS = 24 * 3600 * 1000;

/** endsAt is at most NOTICE_MAX_DAYS_LONG after startsAt (both normalised UTC ISO strings). */
export const isNoticeLengthSane = (startsAt: string, endsAt: string) => Date.parse(endsAt) - Date.parse(startsAt) <= NOTICE_MAX_DAYS_LONG * DAY_MS;

/**
 * 422 when the notice is not news now: it has already ended (nobody would be warned in time), or it starts
 * more than a year ahead or began more than a year ago (a typo such as 9999 or 2062 would be texted to the
 * whole community at once). The refusal names the Shanghai date it compared with.
 */
export function assertNoticeNotOver(window: Pick<Notice, 'startsAt' | 'endsAt'>, now: Date): void {
  const compared = `today in Shanghai is ${shanghaiDate(now)}`;
  if (window.endsAt !== undefined && window.endsAt <= now.toISOString()) {
    throw businessRule(`The notice has already ended; nobody would be warned in time (${compared}).`, [{ path: 'endsAt', message: 'must be in the future' }]);
  }
  const fromNow = Date.parse(window.startsAt) - now.getTime();
  if (Math.abs(fromNow) > NOTICE_MAX_DAYS_FROM_NOW * DAY_MS) {
    const side = fromNow > 0 ? 'ahead' : 'ago';
    throw businessRule(`A notice starts at most ${NOTICE_MAX_DAYS_FROM_NOW} days ${side} of its publication (${compared}).`, [
      { path: 'startsAt', message: `more than ${NOTICE_MAX_DAYS_FROM_NOW} days ${side}` },
    ]);
  }
}

/** Active: started, and not yet ended. Timestamps are normalised UTC ISO strings, so they compare as text. */
export function isNoticeActive(notice: Pick<Notice, 'startsAt' | 'endsAt'>, now: Date): boolean {
  const at = now.toISOString();
  return notice.startsAt <= at && (notice.endsAt === undefined || notice.endsAt > at);
}

export type NoticeState = 'active' | 'upcoming' | 'ended';

/** Upcoming: published ahead (tomorrow's water outage is readable today); ended: its end has passed. */
export function noticeState(notice: Pick<Notice, 'startsAt' | 'endsAt'>, now: Date): NoticeState {
  if (notice.endsAt !== undefined && notice.endsAt <= now.toISOString()) return 'ended';
  return isNoticeActive(notice, now) ? 'active' : 'upcoming';
}

const FAR_FUTURE_MS = 9_999_999_999_999;
const padMs = (ms: number) => String(ms).padStart(13, '0');

/**
 * Where a notice stands in the list, as a key that sorts as the list does: active ones first, the most
 * recently started first; then upcoming ones, the soonest first; by id when they start together.
 */
export function listPosition(notice: Pick<Notice, 'id' | 'startsAt' | 'endsAt'>, now: Date): string {
  const start = Date.parse(notice.startsAt);
  return noticeState(notice, now) === 'active' ? `0#${padMs(FAR_FUTURE_MS - start)}#${notice.id}` : `1#${padMs(start)}#${notice.id}`;
}
