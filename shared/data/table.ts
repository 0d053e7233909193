// The one DynamoDB table (single-table design). CDK (infra/stacks/data-stack.ts) and the local set-up
// (infra/local/table-setup.ts) both build it from TABLE_DEFINITION, so they cannot drift apart.
//
// Access patterns — keep this table true when adding one. No request path ever Scans; every staff list is
// one exact Query on a partition that includes the centre, never a filter over other centres' items.
//
// | pattern                                   | key condition                                                       | index |
// |-------------------------------------------|---------------------------------------------------------------------|-------|
// | resident profile by user id               | pk = RESIDENT#<userId>, sk = PROFILE                                | table |
// | resident by ID number (card swipe)        | pk = IDNUMBER#<hmac>, sk = IDNUMBER → userId                        | table |
// | an account's real-name checks of a day    | pk = COUNTER#IDCHECK#<userId>#<date>, sk = COUNTER (ADD)            | table |
// | residents of a community (notice fan-out) | gsi1pk = COMMUNITY#<community>, gsi1sk begins RESIDENT#             | gsi1  |
// | idempotent request replay                 | pk = IDEMPOTENCY#<scope>#<userId>#<key>, sk = IDEMPOTENCY           | table |
// | case by id (with its history)             | pk = CASE#<caseId>, sk = CASE                                       | table |
// | a resident's cases, newest first          | gsi1pk = OWNER#<residentId>, gsi1sk begins CASE#                    | gsi1  |
// | cases whose review run is not started     | gsi2pk = WORKFLOW#PENDING (sparse)                                  | gsi2  |
// | withdrawn cases whose run is not stopped  | gsi2pk = WORKFLOW#STOP (sparse)                                     | gsi2  |
// | the day's case number (city-wide)         | pk = COUNTER#CASE#<date>, sk = COUNTER (ADD)                        | table |
// | approval task by id (token inside)        | pk = TASK#<taskId>, sk = TASK                                       | table |
// | a centre's queue of a role and category   | gsi1pk = TASKS#pending#<centre>#<role>#<category>, gsi1sk <dueDate>#<taskId> | gsi1 |
// | decisions not yet handed to the workflow  | gsi2pk = TASKS#RESUME (sparse)                                      | gsi2  |
// | supervisors' follow-up of a low rating    | pk = TASK#<caseId>-F1 (in the supervisor queue of its centre, gsi1) | table |
// | a resident's messages, newest first       | pk = RESIDENT#<userId>, sk begins MESSAGE# (desc)                   | table |
// | a case's messages (staff of its centre)   | gsi1pk = CASE-MESSAGES#<caseId>, gsi1sk <createdAt>#<id>            | gsi1  |
// | messages due for an attempt               | gsi2pk = MESSAGES#QUEUED, gsi2sk <= <now> (sparse: held, retrying, in flight) | gsi2 |
// | messages given up on (operators)          | gsi2pk = MESSAGES#FAILED, gsi2sk <failedAt>#<id> (sparse)           | gsi2  |
// | SMS whose delivery report is overdue      | gsi2pk = MESSAGES#AWAITING-REPORT, gsi2sk <= <now> (sparse)         | gsi2  |
// | a staff message kept for its retry        | pk = NOTIFICATION#<id>, sk = NOTIFICATION                           | table |
// | the message an SMS delivery report names  | pk = SMSRECEIPT#<providerId>, sk = SMSRECEIPT                       | table |
// | a resident's channel per kind of message  | pk = RESIDENT#<userId>, sk = PREFERENCES                            | table |
// | bill with its payment (pay, replay)       | pk = BILL#<billId> (sk BILL, sk PAYMENT)                            | table |
// | a resident's bills by status, due order   | gsi1pk = BILLS#<residentId>#<status>, gsi1sk <dueDate>#<billId>     | gsi1  |
// | unpaid, unreminded bills due on a date    | gsi2pk = BILL-DUE#<dueDate> (sparse)                                | gsi2  |
// | payment (order) with refunds and alarms  | pk = PAYMENT#<paymentId> (sk PAYMENT, REFUND#<refundId>, ALARM#<kind>) | table |
// | pending orders due for a provider query   | gsi2pk = PAYMENTS#PENDING, gsi2sk <= <now> (sparse)                 | gsi2  |
// | a centre's payment alarms, newest first   | gsi1pk = PAYMENT-ALARMS#<centre>, gsi1sk <raisedAt>#<paymentId>, desc | gsi1 |
// | notice by id                              | pk = NOTICE#<id>, sk = NOTICE                                       | table |
// | a community's notices not yet ended       | gsi1pk = NOTICES#<community>, gsi1sk > <now> (<endsAt or ~>#<id>)   | gsi1  |
// | a notice's SMS fan-out job (cursor)       | pk = NOTICE#<id>, sk = FANOUT                                       | table |
// | a posting's job-seeker fan-out (cursor)   | pk = JOB#<id>, sk = FANOUT                                          | table |
// | unfinished fan-outs due for a run         | gsi2pk = FANOUT#PENDING, gsi2sk <= <now> (sparse)                   | gsi2  |
// | a community's facilities (of a kind)      | pk = FACILITIES#<community>, sk begins <kind>#                      | table |
// | facilities near a point (of a kind)       | pk = FACILITY-CELL#<geohash>, sk begins <kind>#, per covering cell  | table |
// | places taken in a window's slots of a day | pk = SLOT#<centre>#<category>#<date> (sk <time>, ADD booked)        | table |
// | the day's ticket number of a window       | pk = COUNTER#TICKET#<centre>#<category>#<date>, sk = COUNTER (ADD)  | table |
// | a resident's one active appointment a day at a window | pk = RESIDENT#<userId>, sk = APPT-DAY#<date>#<category> | table |
// | appointment by id                         | pk = APPT#<id>, sk = APPT                                           | table |
// | a resident's appointments, latest first   | gsi1pk = OWNER#<residentId>, gsi1sk begins APPT#[<date>#]           | gsi1  |
// | a window's day list by ticket; reminders  | gsi2pk = APPTS#<centre>#<category>#<date>, gsi2sk <ticket seq>      | gsi2  |
// | queue ticket by id                        | pk = TICKET#<id>, sk = TICKET                                       | table |
// | a resident's tickets of a day             | gsi1pk = OWNER#<residentId>, gsi1sk begins TICKET#<date>#           | gsi1  |
// | a window's day queue in call order        | pk = QUEUE#<centre>#<category>#<date>, sk begins WAIT# (<priority>#<position>) | table |
// | who a window's day queue is serving       | pk = QUEUE#<centre>#<category>#<date>, sk begins SERVING#[<window>#] | table |
// | a centre's hall display (precomputed)     | pk = DISPLAY#<centre>, sk = DISPLAY (one GetItem per poll)          | table |
// | a centre's statistics counters of a day   | pk = STATS#<centre>#<date> (sk CATEGORY#<code> / STAFF#<userId>, ADD) | table |
// | a statistics event already counted        | pk = STATSEVENT#<eventId>, sk = STATSEVENT (marker)                 | table |
// | a data migration that has run             | pk = MIGRATION#<name>, sk = MIGRATION                               | table |
// | upload by id (owner, declared file, case) | pk = UPLOAD#<uploadId>, sk = UPLOAD                                 | table |
// | uploads never attached, oldest first      | gsi2pk = UPLOADS#UNATTACHED, gsi2sk < <cutoff> (sparse)             | gsi2  |
// | files due for deletion (decided cases, CVs) | gsi2pk = UPLOADS#PURGE, gsi2sk <= <now> (sparse)                  | gsi2  |
// | a resident's record lookups (audit)      | pk = RESIDENT#<userId>, sk begins RECORD-LOOKUP#<at>#<id>           | table |
// | job posting by id                         | pk = JOB#<id>, sk = JOB                                             | table |
// | a centre's postings of a status           | gsi1pk = JOBS#<centre>#<status>, gsi1sk <closesOn>#<id>             | gsi1  |
// | open postings past their closing date     | gsi2pk = JOBS#OPEN, gsi2sk < <today> (sparse)                       | gsi2  |
// | one application per resident and posting  | pk = JOB#<postingId>, sk = APPLICANT#<residentId> (claim)           | table |
// | application by id                         | pk = APPLICATION#<id>, sk = APPLICATION                             | table |
// | a resident's applications, newest first   | gsi1pk = OWNER#<residentId>, gsi1sk begins APPLICATION#             | gsi1  |
// | a posting's applications (its centre)     | gsi2pk = JOB-APPLICATIONS#<postingId>, gsi2sk <appliedAt>#<id>      | gsi2  |
// | a centre's registered job seekers         | pk = JOBSEEKERS#<centre>, sk begins RESIDENT# (page by page)        | table |
//
// Every key is built by shared/data/keys.ts; test/unit/table-keys.test.ts keeps this table and it equal.

export const TABLE_DEFINITION = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Epoch seconds after which DynamoDB deletes the item (idempotency records, delivered reminders). */
  timeToLiveAttribute: 'expiresAt',
} as const;

export type IndexName = (typeof TABLE_DEFINITION.globalSecondaryIndexes)[number]['indexName'];
