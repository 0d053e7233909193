// Upgrades a table written by an earlier version of the platform (a DATA_DIR kept across versions), each
// migration once, at start-up.
//
// Centres: a table written before service centres existed (the v1 platform) was one implicit centre, so
// every owned record moves to the demo centre.
// Items without a centre get one, and the keys that now include the centre are rewritten: pending tasks
// move to their centre's queue, appointments to their centre's day list, slot and ticket counters and the
// daily statistics to their centre's partitions. Each step is safe to repeat, so a start-up interrupted
// half-way simply runs it again; a marker item records that the migration has run to its end.
//
// Notices by end: the list of a community's notices reads them by end time (so ended ones are never read),
// and notices written before keep their place by start time until they are given it.
//
// Day claims per window: a resident may now hold one active booking per window and day instead of one per
// day, so a claim written before moves to the key of its appointment's window.
//
// CVs on the purge list: a CV bound to a job application before CVs had a retention is put on the purge list
// at the date a CV bound today would get (CV_RETENTION_DAYS after its posting's closing day).
//
// It reads the whole table with Scan. That is why it lives here and not on any request path: it runs once,
// before the server takes requests.

import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/data/client.ts';
import { applied } from '../../shared/data/conditional-writes.ts';
import { appointmentKeys, jobKeys, migrationKeys, noticeKeys, statsKeys, taskKeys, uploadKeys } from '../../shared/data/keys.ts';
import { DEMO_CENTRE } from '../../shared/domain/centres.ts';
import { cvPurgeAt } from '../../shared/domain/jobs.ts';

type Item = Record<string, unknown>;

const centre = DEMO_CENTRE;

/** Runs a migration over every item unless it has run before; answers how many items it changed. */
async function runOnce(name: string, migrate: (item: Item) => Promise<boolean>): Promise<number> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: migrationKeys.done(name), ConsistentRead: true }));
  if (Item) return 0;
  let changed = 0;
  let startKey: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) if (await migrate(item)) changed++;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await db.send(new PutCommand({ TableName: tableName, Item: { ...migrationKeys.done(name), at: new Date().toISOString(), changed } }));
  return changed;
}

export const migrateToCentres = () => runOnce('centres', migrateItem);

export const migrateNoticesToEndOrder = () => runOnce('notices-by-end', noticeInEndOrder);

export const migrateDayClaimsPerWindow = () => runOnce('day-claims-per-window', dayClaimPerWindow);

export const migrateCvsToPurgeList = () => runOnce('cvs-on-purge-list', cvOnPurgeList);

/** A CV bound to an application, and on no list, is given the deletion date of its posting's closing day. */
async function cvOnPurgeList(item: Item): Promise<boolean> {
  if (!String(item.pk).startsWith('UPLOAD#') || item.status !== 'attached' || typeof item.applicationId !== 'string' || item.gsi2pk !== undefined) return false;
  const { Item: application } = await db.send(new GetCommand({ TableName: tableName, Key: jobKeys.application(item.applicationId), ConsistentRead: true }));
  const closesOn = (application?.posting as { closesOn?: string } | undefined)?.closesOn;
  if (!closesOn) return false;
  return setInPlace(item, { gsi2pk: uploadKeys.purge, gsi2sk: uploadKeys.order(cvPurgeAt(closesOn), String(item.id)) }, 'attribute_not_exists(gsi2pk)');
}

/** A claim keyed by the day alone (`APPT-DAY#<date>`) moves to the day and window of its appointment. */
async function dayClaimPerWindow(item: Item): Promise<boolean> {
  const date = /^APPT-DAY#(\d{4}-\d{2}-\d{2})$/.exec(String(item.sk))?.[1];
  if (!String(item.pk).startsWith('RESIDENT#') || !date) return false;
  const { Item: appointment } = await db.send(
    new GetCommand({ TableName: tableName, Key: appointmentKeys.item(String(item.appointmentId)), ConsistentRead: true }),
  );
  if (!appointment) return false;
  return move(item, appointmentKeys.dayClaim(String(appointment.residentId), date, String(appointment.category)));
}

/** A notice keeps its place in its community's list by end time instead of start time. */
function noticeInEndOrder(item: Item): Promise<boolean> {
  if (!String(item.pk).startsWith('NOTICE#') || item.sk !== 'NOTICE' || item.gsi1pk === undefined) return Promise.resolve(false);
  const order = noticeKeys.communityOrder(item.endsAt as string | undefined, String(item.id));
  if (item.gsi1sk === order) return Promise.resolve(false);
  return setInPlace(item, { gsi1sk: order });
}

/** Sets attributes of an item where it is, if it still exists (and `condition` holds): false otherwise. */
function setInPlace(item: Item, values: Item, condition?: string): Promise<boolean> {
  const entries = Object.entries(values);
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
        ConditionExpression: condition ? `attribute_exists(pk) AND ${condition}` : 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
      }),
    ),
  );
}

async function migrateItem(item: Item): Promise<boolean> {
  const [kind, ...rest] = String(item.pk).split('#');
  const sk = String(item.sk);
  if (kind === 'CASE' && sk === 'CASE') return setCentre(item);
  if (kind === 'BILL' && sk === 'BILL') return setCentre(item);
  if (kind === 'TASK' && sk === 'TASK' && item.centre === undefined) return migrateTask(item);
  if (kind === 'APPT' && sk === 'APPT' && item.centre === undefined) {
    return setCentre(item, { gsi2pk: appointmentKeys.dayList(centre, String(item.category), String(item.date)) });
  }
  if (kind === 'SLOT' && rest.length === 2) return move(item, appointmentKeys.slot(centre, rest[0]!, rest[1]!, sk));
  if (kind === 'COUNTER' && rest[0] === 'TICKET' && rest.length === 3) return move(item, appointmentKeys.ticketSequence(centre, rest[1]!, rest[2]!));
  if (kind === 'STATS' && rest.length === 1) return move(item, { pk: statsKeys.day(centre, rest[0]!), sk });
  return false;
}

/** Gives a record the demo centre (and any re-keyed index attributes) unless it has a centre already. */
const setCentre = (item: Item, also: Item = {}) => setInPlace(item, { centre, ...also }, 'attribute_not_exists(centre)');

/** A pending task joins its centre's queue of its role and category; a decided one leaves every queue. */
async function migrateTask(item: Item): Promise<boolean> {
  if (item.status === 'pending') {
    return setCentre(item, { gsi1pk: taskKeys.queue(centre, String(item.role), String(item.category)) });
  }
  const updated = await setCentre(item);
  await db.send(new UpdateCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }));
  return updated;
}

/** Copies an item to its new key (unless an earlier, interrupted run did) and deletes the old one. */
async function move(item: Item, key: { pk: string; sk: string }): Promise<boolean> {
  const { pk, sk, ...attributes } = item;
  await applied(db.send(new PutCommand({ TableName: tableName, Item: { ...attributes, ...key }, ConditionExpression: 'attribute_not_exists(pk)' })));
  await db.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }));
  return true;
}
