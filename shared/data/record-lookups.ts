// The audit of record lookups: every read of a resident's government record (GET /me/records/{kind}, and the
// counter's GET /records/{kind}) leaves one item on the resident's partition saying who read which kind when,
// from where — never the ID number, never the record itself (the record stays in the government system).
//
// Items (keys.ts builds every key)
//   lookup   pk RESIDENT#<userId>  sk RECORD-LOOKUP#<at>#<id>   { residentId, kind, actor, actorRole, centre?, at, cached }

import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordKind } from '../domain/records.ts';
import { db, tableName } from './client.ts';
import { recordLookupKeys } from './keys.ts';

export type RecordLookup = {
  residentId: string;
  kind: RecordKind;
  /** Who read it: the resident themselves, or the clerk at the counter. */
  actor: string;
  actorRole: 'resident' | 'staff';
  /** The clerk's centre, for a counter lookup. */
  centre?: string;
  at: string;
  /** Answered from the short in-memory cache rather than the provider. */
  cached: boolean;
  /** The provider answered nothing usable: the lookup was tried, and refused with 503. */
  outcome: 'shown' | 'no_record' | 'unavailable';
};

export async function auditLookup(lookup: RecordLookup): Promise<void> {
  const id = randomBytes(6).toString('hex');
  await db.send(new PutCommand({ TableName: tableName, Item: { ...recordLookupKeys.audit(lookup.residentId, lookup.at, id), ...lookup } }));
}
