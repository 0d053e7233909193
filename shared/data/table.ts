// The one DynamoDB table (single-table design). CDK (infra/stacks/data-stack.ts) and the local set-up
// (infra/local/table-setup.ts) both build it from TABLE_DEFINITION, so they cannot drift apart.
//
// Access patterns — keep this table true when adding one. No request path ever Scans.
//
// | pattern                                  | key condition                                          | index |
// |------------------------------------------|--------------------------------------------------------|-------|
// | resident profile by user id              | pk = RESIDENT#<userId>, sk = PROFILE                   | table |
// | resident by ID number (card swipe)       | pk = IDNUMBER#<hmac>, sk = IDNUMBER → userId           | table |
// | residents of a community (notice fan-out)| gsi1pk = COMMUNITY#<community>, gsi1sk begins RESIDENT#| gsi1  |
// | idempotent request replay                | pk = IDEMPOTENCY#<scope>#<userId>#<key>, sk = IDEMPOTENCY | table |
// | bill with its payment (pay, replay)      | pk = BILL#<billId> (sk BILL, sk PAYMENT)               | table |
// | a resident's bills by status, due order  | gsi1pk = BILLS#<residentId>#<status>, gsi1sk <dueDate>#<billId> | gsi1 |
// | unpaid, unreminded bills due on a date   | gsi2pk = BILL-DUE#<dueDate> (sparse)                   | gsi2  |

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
