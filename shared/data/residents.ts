// Resident profiles, read by user id. Writing a profile claims its ID number and so needs the keyed hash:
// that is id-numbers.ts, imported only by the few functions that hash ID numbers (and get ID_HASH_KEY).
//
// Items (keys.ts builds every key)
//   profile   pk RESIDENT#<userId>  sk PROFILE
//             gsi1 COMMUNITY#<community> / RESIDENT#<userId>      (a community's residents: notice fan-out)

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ResidentProfile } from '../domain/residents.ts';
import { batchGet, db, tableName } from './client.ts';
import { residentKeys, withoutKeys } from './keys.ts';

export async function getResident(userId: string): Promise<ResidentProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: residentKeys.profile(userId) }));
  return Item ? withoutKeys<ResidentProfile>(Item) : undefined;
}

/** Several profiles by user id (a page of applicants), keyed by user id; missing ones are absent. */
export async function getResidents(userIds: string[]): Promise<Map<string, ResidentProfile>> {
  if (userIds.length === 0) return new Map();
  const items = await batchGet([...new Set(userIds)].map((id) => residentKeys.profile(id)));
  return new Map(items.map((item) => withoutKeys<ResidentProfile>(item)).map((p) => [p.userId, p]));
}

/** The profile as stored: its keys, including its place in its community's list. */
export const profileItem = (profile: ResidentProfile) => ({
  ...residentKeys.profile(profile.userId),
  ...profile,
  gsi1pk: residentKeys.community(profile.community),
  gsi1sk: residentKeys.communityOrder(profile.userId),
});
