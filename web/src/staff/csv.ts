// The dashboard's report as CSV (RFC 4180, CRLF, UTF-8 with a BOM so spreadsheet programs read the Chinese
// names): one row per centre and window with the figures of GET /stats, a missing figure left empty. Pure,
// so it is unit-tested.

import type { StatsAnswer } from '../api/types.ts';

/** The columns of the dashboard's table and of the CSV, in order. */
export const COLUMNS = ['submitted', 'approved', 'rejected', 'returned', 'onTimeRate', 'avgHandlingHours', 'ratings', 'avgRating', 'ticketsIssued', 'ticketsServed', 'avgWaitMinutes', 'avgServiceMinutes'] as const;

export function statsCsv(stats: StatsAnswer, centreName: (code: string) => string, categoryName: (code: string) => string): string {
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const header = ['centre', 'category', ...COLUMNS];
  const rows = stats.categories.map((r) => [centreName(r.centre), categoryName(r.category), ...COLUMNS.map((c) => (r[c] === null ? '' : String(r[c])))]);
  return `\uFEFF${[header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}
