import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { smsSegments } from '../../shared/domain/messages.ts';
import { assertNoticeFitsSms, assertNoticeNotOver, isNoticeActive, listPosition, maxCharactersIn, noticeSmsText, noticeState } from '../../shared/domain/notices.ts';

const outage = { kind: 'water-outage' as const, title: '3栋停水', body: '12月3日9时至17时管道检修，请提前储水。' };

function thrown(act: () => void): DomainError {
  try {
    act();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
}

describe('notice SMS', () => {
  it('signs the SMS and names the kind, the title and the body', () => {
    expect(noticeSmsText(outage)).toBe('【智慧社区】停水通知「3栋停水」12月3日9时至17时管道检修，请提前储水。');
  });

  it('accepts an SMS of exactly two segments (134 characters)', () => {
    const overhead = [...noticeSmsText({ ...outage, body: '字' })].length - 1;
    const body = '字'.repeat(maxCharactersIn(2) - overhead);

    expect(smsSegments(noticeSmsText({ ...outage, body }))).toBe(2);
    expect(() => assertNoticeFitsSms({ ...outage, body })).not.toThrow();
  });

  it('refuses one character more with 422 business_rule at body, saying how much to cut', () => {
    const overhead = [...noticeSmsText({ ...outage, body: '字' })].length - 1;
    const body = '字'.repeat(maxCharactersIn(2) - overhead + 1);

    const error = thrown(() => assertNoticeFitsSms({ ...outage, body }));

    expect(error).toMatchObject({ status: 422, code: 'business_rule' });
    expect(error.message).toContain('135 characters (3 segments)');
    expect(error.errors).toEqual([{ path: 'body', message: expect.stringContaining('by 1 characters') }]);
  });

  it('counts what fits in one segment and in several by the 70/67 rule', () => {
    expect([maxCharactersIn(1), maxCharactersIn(2), maxCharactersIn(3)]).toEqual([70, 134, 201]);
  });
});

describe('notice window', () => {
  const now = new Date('2026-12-01T02:00:00.000Z');

  it('is active from its start, until its end, or for good without one', () => {
    expect(isNoticeActive({ startsAt: '2026-12-01T02:00:00.000Z' }, now)).toBe(true);
    expect(isNoticeActive({ startsAt: '2026-12-01T01:00:00.000Z', endsAt: '2026-12-01T02:00:00.001Z' }, now)).toBe(true);
  });

  it('is not active before it starts or once it has ended', () => {
    expect(isNoticeActive({ startsAt: '2026-12-01T02:00:00.001Z' }, now)).toBe(false);
    expect(isNoticeActive({ startsAt: '2026-12-01T01:00:00.000Z', endsAt: '2026-12-01T02:00:00.000Z' }, now)).toBe(false);
  });

  it('refuses to publish a notice that has already ended, at endsAt', () => {
    const error = thrown(() => assertNoticeNotOver({ startsAt: '2026-12-01T01:00:00.000Z', endsAt: '2026-12-01T01:59:59.000Z' }, now));

    expect(error).toMatchObject({ status: 422, code: 'business_rule', errors: [{ path: 'endsAt', message: 'must be in the future' }] });
    expect(error.message).toContain('today in Shanghai is 2026-12-01');
    expect(() => assertNoticeNotOver({ startsAt: '2026-12-01T01:00:00.000Z' }, now)).not.toThrow();
  });

  it('refuses a notice starting more than a year ahead or more than a year ago, at startsAt, naming today in Shanghai', () => {
    for (const startsAt of ['9999-01-01T00:00:00.000Z', '2027-12-03T00:00:00.000Z', '1900-01-01T00:00:00.000Z']) {
      const error = thrown(() => assertNoticeNotOver({ startsAt }, now));
      expect(error).toMatchObject({ status: 422, errors: [{ path: 'startsAt' }] });
      expect(error.message).toContain('today in Shanghai is 2026-12-01');
    }
    expect(() => assertNoticeNotOver({ startsAt: '2027-11-30T00:00:00.000Z' }, now)).not.toThrow();
  });

  it('is upcoming before its start, active until its end, ended from then on', () => {
    expect(noticeState({ startsAt: '2026-12-02T01:00:00.000Z', endsAt: '2026-12-02T09:00:00.000Z' }, now)).toBe('upcoming');
    expect(noticeState({ startsAt: '2026-12-01T01:00:00.000Z' }, now)).toBe('active');
    expect(noticeState({ startsAt: '2026-11-30T01:00:00.000Z', endsAt: '2026-12-01T02:00:00.000Z' }, now)).toBe('ended');
  });

  it('lists active notices first, the most recently started first, then upcoming ones, the soonest first', () => {
    const notices = [
      { id: 'N20261201-00000001', startsAt: '2026-11-01T00:00:00.000Z' },
      { id: 'N20261201-00000002', startsAt: '2026-12-03T00:00:00.000Z' },
      { id: 'N20261201-00000003', startsAt: '2026-12-01T01:00:00.000Z' },
      { id: 'N20261201-00000004', startsAt: '2026-12-02T00:00:00.000Z' },
    ];
    const order = [...notices].sort((a, b) => listPosition(a, now).localeCompare(listPosition(b, now))).map((n) => n.id.slice(-1));
    expect(order).toEqual(['3', '1', '4', '2']);
  });
});
