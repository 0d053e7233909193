// The staff side's pages and their paths: the counter console, the window, the approval queue, the
// dashboard and notices under /staff, and the hall's screens (the display and the kiosk) at their own
// short addresses a TV or a ticket machine is set up with. Like PAGE_PATHS, none is an API path (a unit
// test holds them against the route table). Tiny and static, so the resident app's router can tell a staff
// address without loading the staff side.

import { hrefOfPath, matchPath } from '../page-paths.ts';

export const STAFF_PAGE_PATHS = {
  staffHome: '/staff',
  counter: '/staff/counter',
  window: '/staff/window',
  tasks: '/staff/tasks',
  task: '/staff/tasks/:id',
  dashboard: '/staff/dashboard',
  notices: '/staff/notices',
  display: '/display/:centre',
  kiosk: '/kiosk/:centre',
} as const;

export type StaffPageName = keyof typeof STAFF_PAGE_PATHS;

export const matchStaffPage = (pathname: string) => matchPath(STAFF_PAGE_PATHS, pathname);

export const staffHref = (page: StaffPageName, params: Record<string, string> = {}, query: Record<string, string> = {}) =>
  hrefOfPath(STAFF_PAGE_PATHS[page], params, query);

/** Whether the address belongs to the staff side (loaded on demand, never in a resident's first page). */
export const isStaffPath = (pathname: string) => /^\/(staff|display|kiosk)(\/|$)/.test(pathname);
