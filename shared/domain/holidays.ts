// Public holidays and make-up working days (调休) of the State Council's yearly notice, Asia/Shanghai dates.
// The one file to update each year when the notice for the next year is published (usually in November).
//
// 2026: the full published arrangement.
// 2027: only the statutory days themselves are known yet; the bridge days and 调休 Saturdays/Sundays
// will be added when the 2027 notice is out.

export const PUBLIC_HOLIDAYS: readonly string[] = [
  // 2026
  '2026-01-01', '2026-01-02', '2026-01-03', // 元旦
  '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', // 春节
  '2026-04-04', '2026-04-05', '2026-04-06', // 清明节
  '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', // 劳动节
  '2026-06-19', '2026-06-20', '2026-06-21', // 端午节
  '2026-09-25', '2026-09-26', '2026-09-27', // 中秋节
  '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', // 国庆节
  // 2027 (statutory days only, see above)
  '2027-01-01', // 元旦
  '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', // 春节 (除夕 to 初三)
  '2027-04-05', // 清明节
  '2027-05-01', '2027-05-02', // 劳动节
  '2027-06-09', // 端午节
  '2027-09-15', // 中秋节
  '2027-10-01', '2027-10-02', '2027-10-03', // 国庆节
];

/** Weekend days that are working days because a holiday was bridged (调休上班). */
export const MAKE_UP_WORKING_DAYS: readonly string[] = [
  '2026-01-04',
  '2026-02-14', '2026-02-28',
  '2026-05-09',
  '2026-09-20', '2026-10-10',
];
