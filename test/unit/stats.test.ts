import { describe, expect, it } from 'vitest';
import {
  caseStatsEvent,
  MAX_STATS_DAYS,
  periodDays,
  periodLength,
  ratingStatsEvent,
  staffDecisionEvent,
  statsReport,
} from '../../shared/domain/stats.ts';

const HOUR = 3_600_000;
const SUBMITTED_AT = '2026-11-30T02:00:00.000Z'; // 10:00 Shanghai, Monday
const base = { id: 'C20261130-0001', centre: 'zizhuyuan', category: 'social-insurance', submittedAt: SUBMITTED_AT, dueDate: '2026-12-03' };
const entry = (status: string, at: string) => ({ status: status as never, at, actor: 'system' });

describe('which event a case transition counts as', () => {
  it('counts the first submission on its Shanghai date', () => {
    const event = caseStatsEvent({ ...base, history: [entry('submitted', '2026-11-29T16:30:00.000Z')] });
    expect(event).toEqual({ id: 'C20261130-0001#submitted', date: '2026-11-30', centre: 'zizhuyuan', owner: { category: 'social-insurance' }, add: { submitted: 1 } });
  });

  it('does not count a resubmission, a review or a failure', () => {
    const history = [entry('submitted', SUBMITTED_AT), entry('returned', SUBMITTED_AT)];
    expect(caseStatsEvent({ ...base, history: [...history, entry('submitted', SUBMITTED_AT)] })).toBeUndefined();
    expect(caseStatsEvent({ ...base, history: [entry('submitted', SUBMITTED_AT), entry('in_review', SUBMITTED_AT)] })).toBeUndefined();
    expect(caseStatsEvent({ ...base, history: [entry('submitted', SUBMITTED_AT), entry('failed', SUBMITTED_AT)] })).toBeUndefined();
    expect(caseStatsEvent({ ...base, history: [] })).toBeUndefined();
  });

  it('counts each return as its own event, named by its place in the history', () => {
    const first = [entry('submitted', SUBMITTED_AT), entry('returned', SUBMITTED_AT)];
    const second = [...first, entry('submitted', SUBMITTED_AT), entry('in_review', SUBMITTED_AT), entry('returned', SUBMITTED_AT)];
    expect(caseStatsEvent({ ...base, history: first })?.id).toBe('C20261130-0001#returned#1');
    expect(caseStatsEvent({ ...base, history: second })).toMatchObject({ id: 'C20261130-0001#returned#4', add: { returned: 1 } });
  });

  it('passes over a staff member looking at a file: it is history, not a transition', () => {
    const view = (status: string) => ({ ...entry(status, '2026-12-05T01:00:00.000Z'), actor: 'cw-1', material: 'id-card' });
    const returned = [entry('submitted', SUBMITTED_AT), entry('returned', SUBMITTED_AT), view('returned')];
    expect(caseStatsEvent({ ...base, history: returned })?.id).toBe('C20261130-0001#returned#1');
    const decided = [entry('submitted', SUBMITTED_AT), entry('approved', SUBMITTED_AT), view('approved')];
    expect(caseStatsEvent({ ...base, history: decided })).toMatchObject({ id: 'C20261130-0001#decided', date: '2026-11-30' });
    expect(caseStatsEvent({ ...base, history: [entry('submitted', SUBMITTED_AT), view('submitted')] })?.id).toBe('C20261130-0001#submitted');
  });

  it('counts an approval on the due date as on time, with the hours from submission', () => {
    const decidedAt = '2026-12-03T15:59:59.000Z'; // 23:59:59 Shanghai on the due date
    const event = caseStatsEvent({ ...base, history: [entry('submitted', SUBMITTED_AT), entry('in_review', SUBMITTED_AT), entry('approved', decidedAt)] });
    expect(event).toEqual({
      id: 'C20261130-0001#decided',
      date: '2026-12-03',
      centre: 'zizhuyuan',
      owner: { category: 'social-insurance' },
      add: { approved: 1, onTime: 1, handlingMs: Date.parse(decidedAt) - Date.parse(SUBMITTED_AT) },
    });
  });

  it('counts a rejection after the due date in Shanghai as late, even when it is still the due date in UTC', () => {
    const decidedAt = '2026-12-03T16:00:00.000Z'; // 00:00 on 12-04 in Shanghai
    const event = caseStatsEvent({ ...base, history: [entry('submitted', SUBMITTED_AT), entry('rejected', decidedAt)] });
    expect(event).toMatchObject({ date: '2026-12-04', add: { rejected: 1, onTime: 0 } });
  });
});

describe('staff decisions and ratings', () => {
  it('counts a decision for the staff member on the decision day, with the hours since the step opened', () => {
    const event = staffDecisionEvent({ id: 'C1-R1S1', centre: 'balizhuang', openedAt: '2026-11-30T01:00:00.000Z', decidedBy: 'cw-1', decidedAt: '2026-11-30T04:30:00.000Z' });
    expect(event).toEqual({ id: 'C1-R1S1#decision', date: '2026-11-30', centre: 'balizhuang', owner: { staff: 'cw-1' }, add: { decisions: 1, decisionMs: 3.5 * HOUR } });
  });

  it('counts a rating for the case category on the day it was given', () => {
    expect(ratingStatsEvent({ id: 'C1', centre: 'zizhuyuan', category: 'employment' }, 4, '2026-12-01T20:00:00.000Z')).toEqual({
      id: 'C1#rating',
      date: '2026-12-02',
      centre: 'zizhuyuan',
      owner: { category: 'employment' },
      add: { ratings: 1, ratingSum: 4 },
    });
  });
});

describe('a report from daily counters', () => {
  it('merges the days, computes rates and averages, and lists every category', () => {
    const report = statsReport([
      { owner: { category: 'social-insurance' }, counts: { submitted: 2, approved: 1, onTime: 1, handlingMs: 10 * HOUR, ratings: 1, ratingSum: 5 } },
      { owner: { category: 'social-insurance' }, counts: { submitted: 1, rejected: 2, returned: 1, onTime: 1, handlingMs: 20 * HOUR, ratings: 2, ratingSum: 3 } },
      { owner: { staff: 'cw-b' }, counts: { decisions: 2, decisionMs: 3 * HOUR } },
      { owner: { staff: 'cw-a' }, counts: { decisions: 2, decisionMs: HOUR } },
      { owner: { staff: 'sup-1' }, counts: { decisions: 3, decisionMs: HOUR } },
    ]);

    expect(report.categories.map((c) => c.category)).toEqual([
      'social-insurance',
      'medical-insurance',
      'social-assistance',
      'family-health',
      'employment',
      'housing-civil',
    ]);
    expect(report.categories[0]).toEqual({
      category: 'social-insurance',
      name: '社会保险',
      submitted: 3,
      approved: 1,
      rejected: 2,
      returned: 1,
      onTimeRate: 0.6667,
      avgHandlingHours: 10,
      ratings: 3,
      avgRating: 2.67,
      withdrawn: 0,
      ticketsIssued: 0,
      ticketsServed: 0,
      avgWaitMinutes: null,
      avgServiceMinutes: null,
    });
    expect(report.staff).toEqual([
      { userId: 'sup-1', decisions: 3, avgDecisionHours: 0.33 },
      { userId: 'cw-a', decisions: 2, avgDecisionHours: 0.5 },
      { userId: 'cw-b', decisions: 2, avgDecisionHours: 1.5 },
    ]);
  });

  it('gives null, not 0, for rates and averages with nothing to average', () => {
    const report = statsReport([{ owner: { category: 'employment' }, counts: { submitted: 4, returned: 1 } }]);
    expect(report.categories.find((c) => c.category === 'employment')).toMatchObject({
      submitted: 4,
      approved: 0,
      onTimeRate: null,
      avgHandlingHours: null,
      ratings: 0,
      avgRating: null,
    });
    expect(report.categories.find((c) => c.category === 'housing-civil')).toMatchObject({ submitted: 0, onTimeRate: null });
    expect(report.staff).toEqual([]);
  });
});

describe('a report period', () => {
  it('lists every day, both ends included, across a month end', () => {
    expect(periodDays('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(periodDays('2026-12-01', '2026-12-01')).toEqual(['2026-12-01']);
  });

  it('counts a leap year as the longest period allowed', () => {
    expect(periodLength('2028-01-01', '2028-12-31')).toBe(MAX_STATS_DAYS);
    expect(periodLength('2028-01-01', '2029-01-01')).toBe(MAX_STATS_DAYS + 1);
    expect(periodDays('2028-01-01', '2028-12-31')).toHaveLength(366);
    expect(periodLength('2026-12-02', '2026-12-01')).toBe(0);
  });
});
