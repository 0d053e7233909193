// The types of the HTTP API as the web app sees them, derived from the server's own sources so the app
// cannot drift from the API: route keys from the route table (shared/routes.ts), request types from each
// endpoint's zod schemas (their input side, what a client sends), response types from the view functions
// the handlers answer with. Type imports only: none of this code enters the browser bundle.

import type * as z from 'zod/mini';
import type * as appointments from '../../../shared/api/appointments.ts';
import type * as bills from '../../../shared/api/bills.ts';
import type * as cases from '../../../shared/api/cases.ts';
import type * as jobs from '../../../shared/api/jobs.ts';
import type * as messages from '../../../shared/api/messages.ts';
import type * as notices from '../../../shared/api/notices.ts';
import type * as payments from '../../../shared/api/payments.ts';
import type { openApiDocument } from '../../../shared/api/openapi.ts';
import type * as platform from '../../../shared/api/platform.ts';
import type * as records from '../../../shared/api/records.ts';
import type * as residents from '../../../shared/api/residents.ts';
import type * as stats from '../../../shared/api/stats.ts';
import type * as tasks from '../../../shared/api/tasks.ts';
import type * as tickets from '../../../shared/api/tickets.ts';
import type * as uploads from '../../../shared/api/uploads.ts';
import type { Page } from '../../../shared/data/pagination.ts';
import type { displayView } from '../../../shared/domain/display.ts';
import type { Facility, NearbyFacility } from '../../../shared/domain/facilities.ts';
import type { RecordAnswer } from '../../../shared/domain/records.ts';
import type { RouteKey } from '../../../shared/routes.ts';

export type { RouteKey };

type Area = typeof appointments | typeof bills | typeof cases | typeof messages | typeof notices | typeof payments | typeof platform | typeof residents | typeof stats | typeof tasks | typeof tickets | typeof uploads | typeof records | typeof jobs;
type Exports<M> = M extends unknown ? M[keyof M] : never;
type AnyEndpoint = Extract<Exports<Area>, { route: RouteKey }>;
type EndpointOf<K extends RouteKey> = Extract<AnyEndpoint, { route: K }>;

/** Fails to compile when a route of the route table has no endpoint in the areas above. */
type MustBeEmpty<T extends never> = T;
export type RoutesWithoutEndpoint = MustBeEmpty<Exclude<RouteKey, AnyEndpoint['route']>>;

type InputOf<E, Part extends 'body' | 'query' | 'params'> = E extends { [P in Part]: infer S extends z.core.$ZodType } ? z.input<S> : undefined;

export type BodyOf<K extends RouteKey> = InputOf<EndpointOf<K>, 'body'>;
export type QueryOf<K extends RouteKey> = InputOf<EndpointOf<K>, 'query'>;
export type ParamsOf<K extends RouteKey> = InputOf<EndpointOf<K>, 'params'>;

export type CaseView = ReturnType<typeof cases.caseView>;
type ProfileView = ReturnType<typeof residents.profileView>;
type AppointmentView = ReturnType<typeof appointments.appointmentView>;
type BillView = ReturnType<typeof bills.billView>;
export type PaymentView = ReturnType<typeof bills.paymentView>;
export type PendingPaymentView = ReturnType<typeof bills.pendingPaymentView>;
export type PaymentRecordView = ReturnType<typeof payments.paymentRecordView>;
type NoticeView = ReturnType<typeof notices.noticeView>;
export type Catalog = ReturnType<typeof platform.catalogView>;
export type Matter = Catalog['matters'][number];
export type { Facility, RecordAnswer };
export type PostingView = ReturnType<typeof jobs.postingView>;
export type ApplicationView = ReturnType<typeof jobs.applicationView>;

// The few answers that handlers build inline rather than with a view function, spelled out once here.
export type Slot = { time: string; capacity: number; available: number };
export type RatingAnswer = { caseId: string; score: number; comment?: string; at: string; label: string };

export type TaskView = ReturnType<typeof tasks.taskView>;
export type TicketAnswer = ReturnType<typeof tickets.ticketView>;
export type ResidentAtCounter = ReturnType<typeof residents.residentAtCounterView>;
export type StatsAnswer = ReturnType<typeof stats.statsView>;
export type DisplayAnswer = ReturnType<typeof displayView>;
type TicketView = ReturnType<typeof tickets.ticketView>;
type StaffAppointmentView = ReturnType<typeof appointments.staffAppointmentView>;

/** What each route answers with on success; `undefined` for 204. */
export type Responses = {
  'GET /health': { status: 'ok' };
  'GET /catalog': Catalog;
  'GET /openapi.json': ReturnType<typeof openApiDocument>;
  'GET /me': ProfileView;
  'PUT /me': ProfileView;
  'POST /cases': CaseView;
  'GET /cases': Page<CaseView>;
  'GET /cases/{id}': CaseView;
  'POST /cases/{id}/materials': CaseView;
  'POST /cases/{id}/rating': RatingAnswer;
  'GET /tasks': Page<TaskView>;
  'POST /tasks/{id}/decision': TaskView;
  'GET /bills': Page<BillView>;
  /** 201 with the receipt (simulated), 202 with the pending order (a wallet). */
  'POST /bills/{id}/pay': PaymentView | PendingPaymentView;
  'POST /bills/import': { imported: number; duplicates: number };
  'POST /notices': NoticeView;
  'GET /notices': Page<NoticeView>;
  /** With `near=`: nearest first, each with `distanceMeters`. */
  'GET /facilities': Page<Facility | NearbyFacility>;
  'GET /slots': Slot[];
  'POST /appointments': AppointmentView;
  'GET /appointments': Page<AppointmentView>;
  'DELETE /appointments/{id}': undefined;
  'POST /appointments/{id}/reschedule': AppointmentView;
  'POST /appointments/{id}/check-in': StaffAppointmentView;
  'GET /residents': ReturnType<typeof residents.residentAtCounterView>;
  'GET /stats': ReturnType<typeof stats.statsView>;
  'GET /payments/{id}': PaymentRecordView;
  'POST /payments/{id}/refund': ReturnType<typeof payments.refundView>;
  'GET /payment-alarms': Page<ReturnType<typeof payments.alarmView>>;
  /** The providers' own answer formats (a body of their protocol, not JSON of ours). */
  'POST /payments/notify/wechatpay': unknown;
  'POST /payments/notify/alipay': unknown;
  'POST /uploads': ReturnType<typeof uploads.uploadSlotView>;
  'POST /me/claim': ProfileView;
  'POST /cases/{id}/withdraw': CaseView;
  'POST /cases/{id}/collect': CaseView;
  'POST /notices/{id}/end': NoticeView;
  'POST /residents': ReturnType<typeof residents.staffProfileView>;
  'POST /residents/{userId}/cases': CaseView;
  'POST /tickets': TicketView;
  'POST /windows/{category}/call-next': { id: string; ticket: string; window: string; status: 'called'; name?: string };
  'POST /tickets/{id}/recall': TicketView;
  'POST /tickets/{id}/skip': TicketView;
  'POST /tickets/{id}/done': TicketView;
  'GET /display': ReturnType<typeof displayView>;
  'GET /me/messages': Page<ReturnType<typeof messages.messageView>>;
  'GET /me/preferences': ReturnType<typeof messages.preferencesView>;
  'PUT /me/preferences': ReturnType<typeof messages.preferencesView>;
  'GET /cases/{id}/messages': Page<ReturnType<typeof messages.messageView>>;
  /** Aliyun's own answer format. */
  'POST /sms-receipts/{token}': unknown;
  /** 302 to a short-lived download URL: the browser follows it to the file. */
  'GET /cases/{id}/materials/{type}': Blob;
  'GET /me/records/{kind}': RecordAnswer;
  'GET /records/{kind}': RecordAnswer;
  'POST /jobs': PostingView;
  'GET /jobs': Page<PostingView> & { centres: string[] };
  'POST /jobs/{id}/applications': ApplicationView;
  'GET /jobs/{id}/applications': Page<ReturnType<typeof jobs.staffApplicationView>> & { posting: PostingView };
  'GET /me/applications': Page<ApplicationView>;
  'POST /applications/{id}/status': ApplicationView;
  /** 302 to a short-lived download URL of the CV. */
  'GET /applications/{id}/cv': Blob;
};

/** Fails to compile when the route table and the answers above disagree on which routes exist. */
export type RoutesWithoutAnswer = MustBeEmpty<Exclude<RouteKey, keyof Responses>>;
export type AnswersWithoutRoute = MustBeEmpty<Exclude<keyof Responses, RouteKey>>;
