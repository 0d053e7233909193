// Notices. A notice is written with its fan-out job (shared/data/fan-outs.ts), which walks the community's
// residents (gsi1, COMMUNITY#<community>) a page at a time; each resident's message is a record of its own in
// the resident's partition (shared/data/messages.ts), so a notice to thousands of residents spreads over
// thousands of partitions.
//
//   notice        pk NOTICE#<id>  sk NOTICE
//                 gsi1 NOTICES#<community> / <endsAt or ~>#<id>     (a community's notices by end time)

import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notice } from '../domain/notices.ts';
import { db, tableName } from './client.ts';
import { transactWrite, whenApplied } from './conditional-writes.ts';
import { newFanOutJob, type FanOutJob } from './fan-outs.ts';
import { noticeKeys, residentKeys } from './keys.ts';
import { queryAll, queryPage } from './pagination.ts';

/** Notices stay readable (and listable) this long after they end; then DynamoDB deletes them. */
const NOTICE_KEEP_DAYS = 180;

export type Recipient = { userId: string; phone: string };

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
const daysAfter = (iso: string, days: number) => new Date(new Date(iso).getTime() + days * 24 * 3600_000);

/** Writes the notice and its fan-out job together, the job due at once: a notice is never left unsent. */
export async function publishNotice(notice: Notice, now: Date): Promise<FanOutJob<{ noticeId: string; community: string }>> {
  const fanOut = newFanOutJob({ noticeId: notice.id, community: notice.community }, now);
  await transactWrite(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...noticeKeys.item(notice.id),
              ...notice,
              gsi1pk: noticeKeys.community(notice.community),
              gsi1sk: noticeKeys.communityOrder(notice.endsAt, notice.id),
              ...(notice.endsAt ? { expiresAt: epochSeconds(daysAfter(notice.endsAt, NOTICE_KEEP_DAYS)) } : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        fanOut.put,
      ],
    }),
  );
  return fanOut.job;
}

export async function getNotice(id: string): Promise<Notice | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: noticeKeys.item(id) }));
  return Item ? toNotice(Item) : undefined;
}

/**
 * A community's notices that have not ended — active and upcoming — in end-time order: one key condition
 * on the index (end > now), so ended notices are never read, however many a community has had. A
 * community has a handful live at a time; the caller orders and pages them.
 */
export async function listLiveNotices(community: string, now: Date): Promise<Notice[]> {
  const notices: Notice[] = [];
  const items = queryAll({
    TableName: tableName,
    IndexName: 'gsi1',
    // '~' sorts after every notice id: a notice ending exactly now has ended.
    KeyConditionExpression: 'gsi1pk = :list AND gsi1sk > :now',
    ExpressionAttributeValues: { ':list': noticeKeys.community(community), ':now': `${now.toISOString()}#~` },
  });
  for await (const item of items) notices.push(toNotice(item));
  return notices;
}

/** Ends a notice now (an outage repaired sooner), once: undefined when it has ended already or does not exist. */
export async function endNotice(id: string, now: Date, by: string): Promise<Notice | undefined> {
  const at = now.toISOString();
  const ended = await whenApplied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: noticeKeys.item(id),
        UpdateExpression: 'SET endsAt = :at, endedBy = :by, gsi1sk = :order, expiresAt = :expires',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(endsAt) OR endsAt > :at)',
        ExpressionAttributeValues: { ':at': at, ':by': by, ':order': noticeKeys.communityOrder(at, id), ':expires': epochSeconds(daysAfter(at, NOTICE_KEEP_DAYS)) },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return ended && toNotice(ended.Attributes!);
}

/** One page of a community's residents, in user-id order, with only what an SMS needs. */
export async function communityResidentsPage(
  community: string,
  limit: number,
  startKey?: Record<string, string>,
): Promise<{ recipients: Recipient[]; nextKey?: Record<string, string> }> {
  const { items, nextKey } = await queryPage(
    {
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :community AND begins_with(gsi1sk, :resident)',
      ExpressionAttributeValues: { ':community': residentKeys.community(community), ':resident': residentKeys.communityPrefix },
      ProjectionExpression: 'userId, phone',
    },
    limit,
    startKey,
  );
  return { recipients: items.map((item) => ({ userId: item.userId as string, phone: item.phone as string })), ...(nextKey ? { nextKey } : {}) };
}

function toNotice(item: Record<string, unknown>): Notice {
  const { id, community, kind, title, body, startsAt, endsAt, publishedAt, publishedBy } = item as Notice;
  return { id, community, kind, title, body, startsAt, ...(endsAt ? { endsAt } : {}), publishedAt, publishedBy };
}
