// Community notices (停水、停电、天气预警、社区公告): which kinds exist, the SMS every resident of the
// community receives, the two-segment limit on that SMS, and when a notice is active. Pure rules, no I/O.

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

/** 422 when the notice has already ended: warning residents of something that is over helps nobody. */
export function assertNoticeNotOver(window: Pick<Notice, 'endsAt'>, now: Date): void {
  if (window.endsAt !== undefined && window.endsAt <= now.toISOString()) {
    throw businessRule('The notice has already ended; nobody would be warned in time.', [{ path: 'endsAt', message: 'must be in the future' }]);
  }
}

/** Active: started, and not yet ended. Timestamps are normalised UTC ISO strings, so they compare as text. */
export function isNoticeActive(notice: Pick<Notice, 'startsAt' | 'endsAt'>, now: Date): boolean {
  const at = now.toISOString();
  return notice.startsAt <= at && (notice.endsAt === undefined || notice.endsAt > at);
}
