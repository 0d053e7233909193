// The staff side's pure parts: its page paths never shadow the API (they share the origin under npm start)
// and are told apart from the residents' pages, the hall's spoken call, and the dashboard's CSV.

import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/routes.ts';
import { announcement } from '../../shared/domain/display.ts';
import { matchPage } from '../../web/src/page-paths.ts';
import { isStaffPath, matchStaffPage, STAFF_PAGE_PATHS, staffHref, type StaffPageName } from '../../web/src/staff/paths.ts';
import { statsCsv } from '../../web/src/staff/csv.ts';

const apiPatterns = ROUTES.map((r) => new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`));

describe('staff page paths', () => {
  const sample = (page: StaffPageName) => staffHref(page, { id: 'C20261128-0007-R1S1', centre: 'zizhuyuan' });

  it('never take a path of the API or of the local platform, and are no resident page', () => {
    for (const page of Object.keys(STAFF_PAGE_PATHS) as StaffPageName[]) {
      const path = sample(page);
      expect(apiPatterns.some((pattern) => pattern.test(path)), path).toBe(false);
      expect(path.startsWith('/_local'), path).toBe(false);
      expect(matchPage(path), path).toBeUndefined();
      expect(isStaffPath(path), path).toBe(true);
    }
  });

  it('are matched back to their page and values, and resident pages are not staff pages', () => {
    expect(matchStaffPage('/display/zizhuyuan')).toEqual({ page: 'display', params: { centre: 'zizhuyuan' } });
    expect(matchStaffPage('/staff/tasks/C20261128-0007-R1S1')).toEqual({ page: 'task', params: { id: 'C20261128-0007-R1S1' } });
    expect(isStaffPath('/display')).toBe(true);
    for (const path of ['/', '/my-cases', '/staffing', '/displays/x', '/guide']) expect(isStaffPath(path), path).toBe(false);
  });
});

describe('the hall announcement', () => {
  it('reads the number without its hyphen and names the counter, in Mandarin', () => {
    expect(announcement('S-012', '3')).toBe('请S012号到3号窗口');
    expect(announcement('A-1000', '12')).toBe('请A1000号到12号窗口');
  });
});

describe('the dashboard CSV', () => {
  it('has one header and one row per centre and window, quotes what needs it and leaves missing figures empty', () => {
    const row = { centre: 'zizhuyuan', category: 'social-assistance', name: '社会救助', submitted: 2, approved: 1, rejected: 0, returned: 1, onTimeRate: 1, avgHandlingHours: 0.5, ratings: 0, avgRating: null, withdrawn: 0, ticketsIssued: 3, ticketsServed: 2, avgWaitMinutes: 4.5, avgServiceMinutes: null };
    const csv = statsCsv({ from: '2026-12-01', to: '2026-12-02', centre: 'zizhuyuan', categories: [row], centres: [], staff: [] }, () => 'Centre "A", east', () => '社会救助');
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFcentre,category,submitted,approved,rejected,returned,onTimeRate,avgHandlingHours,ratings,avgRating,ticketsIssued,ticketsServed,avgWaitMinutes,avgServiceMinutes',
      '"Centre ""A"", east",社会救助,2,1,0,1,1,0.5,0,,3,2,4.5,',
      '',
    ]);
  });
});
