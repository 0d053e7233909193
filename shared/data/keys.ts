// Every key of the one table, built in one place: repositories write and read items only through these
// builders, and test/unit/table-keys.test.ts checks that the access-pattern table of table.ts names
// exactly the key prefixes built here and that no other module spells a key of its own.
//
// A value a caller controls (a user id, an Idempotency-Key) may contain `#`; `part()` escapes it, so
// `vic#k` + `1` and `vic` + `k#1` can never build the same key.

/** Escapes the key separator (and the escape character itself) inside one key component. */
export const part = (value: string) => value.replaceAll('%', '%25').replaceAll('#', '%23');

/** Zero-padded so that a string sort key sorts as the number. */
const padded = (sequence: number) => String(sequence).padStart(6, '0');

export const residentKeys = {
  profile: (userId: string) => ({ pk: `RESIDENT#${part(userId)}`, sk: 'PROFILE' }),
  /** The residents of a community (notice fan-out), on gsi1. */
  community: (community: string) => `COMMUNITY#${community}`,
  communityOrder: (userId: string) => `RESIDENT#${part(userId)}`,
  communityPrefix: 'RESIDENT#',
  /** The claim of an ID number by one account, under its keyed hash. */
  idNumber: (hash: string) => ({ pk: `IDNUMBER#${hash}`, sk: 'IDNUMBER' }),
};

export const identityCheckKeys = {
  /** An account's real-name checks of a Shanghai day (ADD), within the daily allowance. */
  quota: (userId: string, date: string) => ({ pk: `COUNTER#IDCHECK#${part(userId)}#${date}`, sk: 'COUNTER' }),
};

export const idempotencyKeys = {
  record: (scope: string, userId: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${part(userId)}#${part(key)}`, sk: 'IDEMPOTENCY' }),
};

export const caseKeys = {
  item: (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' }),
  /** A resident's cases and appointments, on gsi1. */
  owner: (residentId: string) => `OWNER#${part(residentId)}`,
  ownerOrder: (submittedAt: string, id: string) => `CASE#${submittedAt}#${id}`,
  ownerPrefix: 'CASE#',
  /** Cases whose review run is not confirmed started (sparse, gsi2). */
  awaitingWorkflow: 'WORKFLOW#PENDING',
  /** Withdrawn cases whose review run is not confirmed stopped (sparse, gsi2). */
  awaitingStop: 'WORKFLOW#STOP',
  /** The day's case numbers, city-wide: a case id is unique in the whole deployment. */
  sequence: (date: string) => ({ pk: `COUNTER#CASE#${date}`, sk: 'COUNTER' }),
};

export const taskKeys = {
  item: (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' }),
  /** One pending queue per centre, approval role and category (gsi1): a staff list never reads another's. */
  queue: (centre: string, role: string, category: string) => `TASKS#pending#${centre}#${role}#${category}`,
  queueOrder: (dueDate: string, id: string) => `${dueDate}#${id}`,
  /** Decisions not yet handed to their workflow (sparse, gsi2). */
  awaitingResume: 'TASKS#RESUME',
};

export const appointmentKeys = {
  item: (id: string) => ({ pk: `APPT#${id}`, sk: 'APPT' }),
  ownerOrder: (date: string, time: string, id: string) => `APPT#${date}#${time}#${id}`,
  ownerPrefix: 'APPT#',
  ownerDayPrefix: (date: string) => `APPT#${date}#`,
  /** Places taken in the slots of a centre's window on a day: sk is the slot time. */
  slots: (centre: string, category: string, date: string) => `SLOT#${centre}#${category}#${date}`,
  slot: (centre: string, category: string, date: string, time: string) => ({ pk: `SLOT#${centre}#${category}#${date}`, sk: time }),
  /** The day's ticket numbers of a centre's window. */
  ticketSequence: (centre: string, category: string, date: string) => ({ pk: `COUNTER#TICKET#${centre}#${category}#${date}`, sk: 'COUNTER' }),
  /** A resident's one active appointment of a day at a window: two windows in one visit are fine. */
  dayClaim: (residentId: string, date: string, category: string) => ({ pk: `RESIDENT#${part(residentId)}`, sk: `APPT-DAY#${date}#${part(category)}` }),
  /** A centre's window's appointments of a day in ticket order (gsi2). */
  dayList: (centre: string, category: string, date: string) => `APPTS#${centre}#${category}#${date}`,
  dayOrder: padded,
};

export const ticketKeys = {
  item: (id: string) => ({ pk: `TICKET#${id}`, sk: 'TICKET' }),
  /** A resident's tickets by day, on gsi1 beside their cases and appointments (OWNER#<residentId>). */
  ownerOrder: (date: string, id: string) => `TICKET#${date}#${id}`,
  ownerDayPrefix: (date: string) => `TICKET#${date}#`,
  /** The day's queue of a centre's window: its waiting tickets in call order and who is being served. */
  queue: (centre: string, category: string, date: string) => `QUEUE#${centre}#${category}#${date}`,
  waiting: (priority: number, position: string) => `WAIT#${priority}#${position}`,
  waitingPrefix: 'WAIT#',
  serving: (window: string, ticketId: string) => `SERVING#${part(window)}#${ticketId}`,
  servingAtWindow: (window: string) => `SERVING#${part(window)}#`,
  servingPrefix: 'SERVING#',
};

export const displayKeys = {
  /** What a centre's hall screens show, precomputed: one item per centre, read with one GetItem per poll. */
  hall: (centre: string) => ({ pk: `DISPLAY#${centre}`, sk: 'DISPLAY' }),
};

export const billKeys = {
  item: (id: string) => ({ pk: `BILL#${id}`, sk: 'BILL' }),
  payment: (billId: string) => ({ pk: `BILL#${billId}`, sk: 'PAYMENT' }),
  partition: (id: string) => `BILL#${id}`,
  /** A resident's bills of one status (gsi1). */
  ofResident: (residentId: string, status: string) => `BILLS#${part(residentId)}#${status}`,
  residentOrder: (dueDate: string, id: string) => `${dueDate}#${id}`,
  /** Unpaid, unreminded bills due on a date (sparse, gsi2). */
  due: (dueDate: string) => `BILL-DUE#${dueDate}`,
};

export const paymentKeys = {
  /** A payment (one order at the provider) with its refunds and alarms in one item collection. */
  item: (paymentId: string) => ({ pk: `PAYMENT#${paymentId}`, sk: 'PAYMENT' }),
  partition: (paymentId: string) => `PAYMENT#${paymentId}`,
  refund: (paymentId: string, refundId: string) => ({ pk: `PAYMENT#${paymentId}`, sk: `REFUND#${refundId}` }),
  refundPrefix: 'REFUND#',
  alarm: (paymentId: string, kind: string) => ({ pk: `PAYMENT#${paymentId}`, sk: `ALARM#${kind}` }),
  alarmPrefix: 'ALARM#',
  /** Pending orders by the time they are to be asked about (sparse, gsi2). */
  pending: 'PAYMENTS#PENDING',
  pendingOrder: (checkAt: string, paymentId: string) => `${checkAt}#${paymentId}`,
  /** A centre's payment alarms, newest first (gsi1). */
  alarms: (centre: string) => `PAYMENT-ALARMS#${centre}`,
  alarmOrder: (raisedAt: string, paymentId: string, kind: string) => `${raisedAt}#${paymentId}#${kind}`,
};

export const noticeKeys = {
  item: (id: string) => ({ pk: `NOTICE#${id}`, sk: 'NOTICE' }),
  /**
   * A community's notices by end time (gsi1): those that have not ended are one key condition (> now) away,
   * without reading the ended ones. A notice without an end sorts after every time ('~').
   */
  community: (community: string) => `NOTICES#${community}`,
  communityOrder: (endsAt: string | undefined, id: string) => `${endsAt ?? '~'}#${id}`,
};

export const fanOutKeys = {
  /** A fan-out job sits beside what it tells of: its notice, or its job posting. */
  job: (of: { noticeId: string } | { postingId: string }) => ('noticeId' in of ? { pk: `NOTICE#${of.noticeId}`, sk: 'FANOUT' } : { pk: `JOB#${of.postingId}`, sk: 'FANOUT' }),
  /** Fan-outs with recipients left (sparse, gsi2). */
  pending: 'FANOUT#PENDING',
};

export const facilityKeys = {
  community: (community: string) => `FACILITIES#${community}`,
  item: (community: string, kind: string, id: string) => ({ pk: `FACILITIES#${community}`, sk: `${kind}#${id}` }),
  /** The same facility again under each geohash cell that contains it (precision 4 and 5): a search near a point reads the covering cells. */
  cell: (geohash: string) => `FACILITY-CELL#${geohash}`,
  inCell: (geohash: string, kind: string, id: string) => ({ pk: `FACILITY-CELL#${geohash}`, sk: `${kind}#${id}` }),
  kindPrefix: (kind: string) => `${kind}#`,
};

export const messageKeys = {
  /** A message to a resident, in the resident's partition, in order of creation. */
  item: (residentId: string, createdAt: string, id: string) => ({ pk: `RESIDENT#${part(residentId)}`, sk: `MESSAGE#${createdAt}#${id}` }),
  ofResident: (residentId: string) => `RESIDENT#${part(residentId)}`,
  ofResidentPrefix: 'MESSAGE#',
  /** The messages about a case (gsi1), for staff of its centre. */
  aboutCase: (caseId: string) => `CASE-MESSAGES#${caseId}`,
  order: (createdAt: string, id: string) => `${createdAt}#${id}`,
  /** Messages waiting for an attempt: held through the night, retrying, or in flight (sparse, gsi2). */
  queued: 'MESSAGES#QUEUED',
  /** Messages given up on, for an operator (sparse, gsi2). */
  failed: 'MESSAGES#FAILED',
  /** SMS sent whose delivery report has not come, by when to ask the provider (sparse, gsi2). */
  awaitingReport: 'MESSAGES#AWAITING-REPORT',
  /** A staff message that could not go out at once, kept for its retry. */
  staff: (id: string) => ({ pk: `NOTIFICATION#${id}`, sk: 'NOTIFICATION' }),
  /** The message a provider's id belongs to (Aliyun's BizId), found again when its delivery report comes. */
  receipt: (providerId: string) => ({ pk: `SMSRECEIPT#${part(providerId)}`, sk: 'SMSRECEIPT' }),
  /** The channel a resident chose per kind of message. */
  preferences: (residentId: string) => ({ pk: `RESIDENT#${part(residentId)}`, sk: 'PREFERENCES' }),
};

export const statsKeys = {
  /** One partition per centre and Shanghai business day: sk CATEGORY#<code> or STAFF#<userId>. */
  day: (centre: string, date: string) => `STATS#${centre}#${date}`,
  categoryPrefix: 'CATEGORY#',
  staffPrefix: 'STAFF#',
  category: (code: string) => `CATEGORY#${code}`,
  staff: (userId: string) => `STAFF#${part(userId)}`,
  /** The marker that an event has been counted. */
  event: (eventId: string) => ({ pk: `STATSEVENT#${eventId}`, sk: 'STATSEVENT' }),
};

export const uploadKeys = {
  item: (id: string) => ({ pk: `UPLOAD#${id}`, sk: 'UPLOAD' }),
  /** Uploads not attached to a case, oldest first (sparse, gsi2): what the sweep deletes after 24 h. */
  unattached: 'UPLOADS#UNATTACHED',
  /** Files of decided cases by the time they are to be deleted (sparse, gsi2). */
  purge: 'UPLOADS#PURGE',
  order: (at: string, id: string) => `${at}#${id}`,
};

export const recordLookupKeys = {
  /** One lookup of a resident's government record (who, when, which kind), on the resident's partition. */
  audit: (residentId: string, at: string, id: string) => ({ pk: `RESIDENT#${part(residentId)}`, sk: `RECORD-LOOKUP#${at}#${id}` }),
};

export const jobKeys = {
  posting: (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' }),
  /** A centre's postings of one status by closing date (gsi1): the public list and the staff's. */
  ofCentre: (centre: string, status: string) => `JOBS#${centre}#${status}`,
  centreOrder: (closesOn: string, id: string) => `${closesOn}#${id}`,
  /** Open postings by closing date (sparse, gsi2): what the closing job reads. */
  open: 'JOBS#OPEN',
  /** The one application of a resident to a posting: its claim, written with the application. */
  applicant: (postingId: string, residentId: string) => ({ pk: `JOB#${postingId}`, sk: `APPLICANT#${part(residentId)}` }),
  application: (id: string) => ({ pk: `APPLICATION#${id}`, sk: 'APPLICATION' }),
  /** A resident's applications, on gsi1 beside their cases (OWNER#<residentId>). */
  ownerOrder: (appliedAt: string, id: string) => `APPLICATION#${appliedAt}#${id}`,
  ownerPrefix: 'APPLICATION#',
  /** A posting's applications in the order they came (gsi2). */
  ofPosting: (postingId: string) => `JOB-APPLICATIONS#${postingId}`,
  postingOrder: (appliedAt: string, id: string) => `${appliedAt}#${id}`,
  /** Residents registered as unemployed (an approved 失业登记) at a centre: told of its new postings. */
  jobSeekers: (centre: string) => `JOBSEEKERS#${centre}`,
  jobSeeker: (centre: string, residentId: string) => ({ pk: `JOBSEEKERS#${centre}`, sk: `RESIDENT#${part(residentId)}` }),
};

export const migrationKeys = {
  /** Written once a data migration of the table has run to its end. */
  done: (name: string) => ({ pk: `MIGRATION#${name}`, sk: 'MIGRATION' }),
};

/** Reads back a component written with `part()`. */
export const unpart = (value: string) => value.replaceAll('%23', '#').replaceAll('%25', '%');

/** An item as its entity: the table's key attributes removed. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...entity } = item;
  return entity as T;
}
