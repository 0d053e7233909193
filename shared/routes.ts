// The route table: the single source of truth for the HTTP API. The CDK API stack creates one Lambda and
// one route per entry; the local server serves exactly these; each handler reads its own roles from here.
// `roles: []` marks a public route (no authorizer).

export type Role = 'resident' | 'staff' | 'supervisor';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type Route = {
  method: HttpMethod;
  path: string;
  /** Lambda entry file, relative to the repository root. */
  entry: string;
  roles: readonly Role[];
  /**
   * Public routes polled around the clock (the hall screens) are also served by the function's own URL:
   * a Lambda function URL has no per-request fee, API Gateway's is most of what a poll costs (README, "The
   * hall display").
   */
  functionUrl?: true;
};

const PUBLIC: readonly Role[] = [];
const RESIDENT: readonly Role[] = ['resident'];
const STAFF: readonly Role[] = ['staff'];
const STAFF_AND_SUPERVISOR: readonly Role[] = ['staff', 'supervisor'];
const RESIDENT_AND_STAFF: readonly Role[] = ['resident', 'staff'];
const SUPERVISOR: readonly Role[] = ['supervisor'];
const RESIDENT_STAFF_AND_SUPERVISOR: readonly Role[] = ['resident', 'staff', 'supervisor'];

export const ROUTES = [
  { method: 'GET', path: '/health', entry: 'functions/platform/get-health.ts', roles: PUBLIC },
  { method: 'GET', path: '/catalog', entry: 'functions/platform/get-catalog.ts', roles: PUBLIC },
  { method: 'GET', path: '/openapi.json', entry: 'functions/platform/get-openapi.ts', roles: PUBLIC },
  { method: 'GET', path: '/me', entry: 'functions/residents/get-me.ts', roles: RESIDENT },
  { method: 'PUT', path: '/me', entry: 'functions/residents/put-me.ts', roles: RESIDENT },
  { method: 'POST', path: '/me/claim', entry: 'functions/residents/claim-profile.ts', roles: RESIDENT },
  { method: 'POST', path: '/cases', entry: 'functions/cases/submit-case.ts', roles: RESIDENT },
  { method: 'GET', path: '/cases', entry: 'functions/cases/list-cases.ts', roles: RESIDENT },
  { method: 'GET', path: '/cases/{id}', entry: 'functions/cases/get-case.ts', roles: RESIDENT },
  { method: 'POST', path: '/cases/{id}/materials', entry: 'functions/cases/add-materials.ts', roles: RESIDENT },
  { method: 'POST', path: '/cases/{id}/rating', entry: 'functions/cases/rate-case.ts', roles: RESIDENT },
  { method: 'POST', path: '/cases/{id}/withdraw', entry: 'functions/cases/withdraw-case.ts', roles: RESIDENT },
  { method: 'POST', path: '/cases/{id}/collect', entry: 'functions/cases/collect-case.ts', roles: STAFF },
  { method: 'GET', path: '/tasks', entry: 'functions/tasks/list-tasks.ts', roles: STAFF_AND_SUPERVISOR },
  { method: 'POST', path: '/tasks/{id}/decision', entry: 'functions/tasks/decide-task.ts', roles: STAFF_AND_SUPERVISOR },
  { method: 'GET', path: '/bills', entry: 'functions/bills/list-bills.ts', roles: RESIDENT },
  { method: 'POST', path: '/bills/{id}/pay', entry: 'functions/bills/pay-bill.ts', roles: RESIDENT },
  { method: 'POST', path: '/bills/import', entry: 'functions/bills/import-bills.ts', roles: STAFF },
  { method: 'GET', path: '/payments/{id}', entry: 'functions/payments/get-payment.ts', roles: RESIDENT },
  { method: 'POST', path: '/payments/{id}/refund', entry: 'functions/payments/refund-payment.ts', roles: STAFF },
  { method: 'GET', path: '/payment-alarms', entry: 'functions/payments/list-payment-alarms.ts', roles: STAFF },
  // The wallet providers' signed notifications: public (no JWT), the signature is checked first.
  { method: 'POST', path: '/payments/notify/wechatpay', entry: 'functions/payments/notify-wechatpay.ts', roles: PUBLIC },
  { method: 'POST', path: '/payments/notify/alipay', entry: 'functions/payments/notify-alipay.ts', roles: PUBLIC },
  { method: 'POST', path: '/notices', entry: 'functions/notices/publish-notice.ts', roles: STAFF },
  { method: 'GET', path: '/notices', entry: 'functions/notices/list-notices.ts', roles: PUBLIC },
  { method: 'POST', path: '/notices/{id}/end', entry: 'functions/notices/end-notice.ts', roles: STAFF },
  { method: 'GET', path: '/facilities', entry: 'functions/facilities/list-facilities.ts', roles: PUBLIC },
  { method: 'GET', path: '/slots', entry: 'functions/appointments/list-slots.ts', roles: RESIDENT },
  { method: 'POST', path: '/appointments', entry: 'functions/appointments/book-appointment.ts', roles: RESIDENT },
  // One GET for both: a resident's own appointments, or for staff a window's day list (the handler branches on role).
  { method: 'GET', path: '/appointments', entry: 'functions/appointments/list-appointments.ts', roles: RESIDENT_AND_STAFF },
  { method: 'DELETE', path: '/appointments/{id}', entry: 'functions/appointments/cancel-appointment.ts', roles: RESIDENT },
  { method: 'POST', path: '/appointments/{id}/reschedule', entry: 'functions/appointments/reschedule-appointment.ts', roles: RESIDENT },
  { method: 'POST', path: '/appointments/{id}/check-in', entry: 'functions/appointments/check-in-appointment.ts', roles: STAFF },
  { method: 'GET', path: '/residents', entry: 'functions/residents/find-resident.ts', roles: STAFF },
  { method: 'POST', path: '/residents', entry: 'functions/residents/register-walk-in.ts', roles: STAFF },
  { method: 'POST', path: '/residents/{userId}/cases', entry: 'functions/cases/declare-for-resident.ts', roles: STAFF },
  { method: 'GET', path: '/stats', entry: 'functions/stats/get-stats.ts', roles: SUPERVISOR },
  // Residents upload their own files; a clerk at the counter uploads for the resident served.
  { method: 'POST', path: '/uploads', entry: 'functions/uploads/create-upload.ts', roles: RESIDENT_AND_STAFF },
  // The owner, and staff and supervisors of the case's centre (the handler checks which).
  { method: 'GET', path: '/cases/{id}/materials/{type}', entry: 'functions/cases/view-material.ts', roles: RESIDENT_STAFF_AND_SUPERVISOR },
  // The counter's queue (a hall kiosk issues tickets with a staff token) and the hall display.
  { method: 'POST', path: '/tickets', entry: 'functions/tickets/issue-ticket.ts', roles: STAFF },
  { method: 'POST', path: '/windows/{category}/call-next', entry: 'functions/tickets/call-next.ts', roles: STAFF },
  { method: 'POST', path: '/tickets/{id}/recall', entry: 'functions/tickets/recall-ticket.ts', roles: STAFF },
  { method: 'POST', path: '/tickets/{id}/skip', entry: 'functions/tickets/skip-ticket.ts', roles: STAFF },
  { method: 'POST', path: '/tickets/{id}/done', entry: 'functions/tickets/finish-ticket.ts', roles: STAFF },
  { method: 'GET', path: '/display', entry: 'functions/tickets/get-display.ts', roles: PUBLIC, functionUrl: true },
  { method: 'GET', path: '/me/messages', entry: 'functions/messages/list-my-messages.ts', roles: RESIDENT },
  { method: 'GET', path: '/me/preferences', entry: 'functions/messages/get-my-preferences.ts', roles: RESIDENT },
  { method: 'PUT', path: '/me/preferences', entry: 'functions/messages/put-my-preferences.ts', roles: RESIDENT },
  { method: 'GET', path: '/cases/{id}/messages', entry: 'functions/messages/list-case-messages.ts', roles: STAFF_AND_SUPERVISOR },
  // Aliyun pushes delivery reports without a JWT; the secret token in the path and QuerySendDetails guard it.
  { method: 'POST', path: '/sms-receipts/{token}', entry: 'functions/messages/receive-sms-receipts.ts', roles: PUBLIC },
  // Records in the government systems: the resident's own, or at the counter the swiped resident's (audited).
  { method: 'GET', path: '/me/records/{kind}', entry: 'functions/records/get-my-record.ts', roles: RESIDENT },
  { method: 'GET', path: '/records/{kind}', entry: 'functions/records/get-resident-record.ts', roles: STAFF },
  // Employment service: the employment window publishes and handles, residents apply, anyone reads open postings.
  { method: 'POST', path: '/jobs', entry: 'functions/jobs/publish-job.ts', roles: STAFF },
  { method: 'GET', path: '/jobs', entry: 'functions/jobs/list-jobs.ts', roles: PUBLIC },
  { method: 'POST', path: '/jobs/{id}/applications', entry: 'functions/jobs/apply-to-job.ts', roles: RESIDENT },
  { method: 'GET', path: '/jobs/{id}/applications', entry: 'functions/jobs/list-job-applications.ts', roles: STAFF },
  { method: 'GET', path: '/me/applications', entry: 'functions/jobs/list-my-applications.ts', roles: RESIDENT },
  { method: 'POST', path: '/applications/{id}/status', entry: 'functions/jobs/set-application-status.ts', roles: STAFF },
  // The applicant, and the employment window of the posting's centre (the handler checks which).
  { method: 'GET', path: '/applications/{id}/cv', entry: 'functions/jobs/view-application-cv.ts', roles: RESIDENT_AND_STAFF },
] as const satisfies readonly Route[];

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
export type RouteKey = KeyOf<(typeof ROUTES)[number]>;

export function findRoute(key: RouteKey): Route {
  const route = ROUTES.find((r) => `${r.method} ${r.path}` === key);
  if (!route) throw new Error(`No route ${key} in the route table`);
  return route;
}

export const isPublic = (route: Route) => route.roles.length === 0;

