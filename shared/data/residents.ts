// Resident profiles, read by user id. Writing a profile claims its ID number and so needs the keyed hash:
// that is id-numbers.ts, imported only by the few functions that hash ID numbers (and get ID_HASH_KEY).
//
// Items (keys.ts builds every key)
//   profile   pk RESIDENT#<userId>  sk PROFILE
//             gsi1 COMMUNITY#<community> / RESIDENT#<userId>      (a community's residents: notice fan-out)

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ResidentProfile } from '../domain/residents.ts';
import { db, tableName } from './client.ts';
import { residentKeys, withoutKeys } from './keys.ts';

export async function getResident(userId: string): Promise<ResidentProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: residentKeys.profile(userId) }));
  return Item ? withoutKeys<ResidentProfile>(Item) : undefined;
}

/** The profile as stored: its keys, including its place in its community's list. */
export const profileItem = (profile: ResidentProfile) => ({
  ...residentKeys.profile(profile.userId),
  ...profile,
  gsi1pk: residentKeys.community(profile.community),
  gsi1sk: residentKeys.communityOrder(profile.userId),
});
