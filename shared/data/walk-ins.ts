// Walk-in profiles (shared/domain/walk-ins.ts): registered by a clerk under a platform user id of their own,
// with the ID number claimed through its keyed hash like any profile (shared/data/id-numbers.ts), and taken
// over by the resident's own account later.
//
// Taking over moves the profile, its ID-number claim and everything the walk-in owns on the owner index
// (cases, appointments and tickets: OWNER#<userId> on gsi1) to the signed-in account. When that is at most
// one transaction's worth of items (DynamoDB takes 100), it is ONE transaction. A walk-in with more is moved
// in a resumable sequence: the owned records first, a batch per transaction, each record guarded by its
// owner, and the profile and its ID number last. If the sequence stops half-way, the walk-in profile is
// still there and the resident's next POST /me/claim carries on with what is left; once the profile has
// moved, nothing is left. Records the counter wrote for the walk-in while it was being taken over are moved
// after it.

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors.ts';
import type { ResidentProfile } from '../domain/residents.ts';
import { tableName } from './client.ts';
import { cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { idNumberHash, saveResident } from './id-numbers.ts';
import { caseKeys, residentKeys } from './keys.ts';
import { queryAll } from './pagination.ts';
import { profileItem } from './residents.ts';

/** DynamoDB's limit of items in one TransactWriteItems. */
const TRANSACTION_ITEMS = 100;
/** Owned records moved per transaction in the sequence. */
const BATCH = 25;

type Key = { pk: string; sk: string };

/** Registers the walk-in and claims the ID number for it: 409 id_number_in_use if someone holds it already. */
export const registerWalkIn = (profile: ResidentProfile) => saveResident(profile);

async function ownedBy(userId: string): Promise<Key[]> {
  const keys: Key[] = [];
  const items = queryAll({
    TableName: tableName,
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :owner',
    ExpressionAttributeValues: { ':owner': caseKeys.owner(userId) },
    ProjectionExpression: 'pk, sk',
  });
  for await (const item of items) keys.push({ pk: item.pk as string, sk: item.sk as string });
  return keys;
}

const moveRecord = (key: Key, from: string, to: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: key,
    UpdateExpression: 'SET residentId = :to, gsi1pk = :owner',
    ConditionExpression: 'residentId = :from',
    ExpressionAttributeValues: { ':to': to, ':from': from, ':owner': caseKeys.owner(to) },
  },
});

function moveProfile(walkIn: ResidentProfile, claimed: ResidentProfile): TransactItem[] {
  const from = { ':from': walkIn.userId };
  return [
    // The account has no profile yet: one made meanwhile with PUT /me is not overwritten.
    { Put: { TableName: tableName, Item: profileItem(claimed), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Delete: { TableName: tableName, Key: residentKeys.profile(walkIn.userId), ConditionExpression: 'userId = :from', ExpressionAttributeValues: from } },
    {
      Update: {
        TableName: tableName,
        Key: residentKeys.idNumber(idNumberHash(walkIn.idNumber)),
        UpdateExpression: 'SET userId = :to',
        ConditionExpression: 'userId = :from',
        ExpressionAttributeValues: { ...from, ':to': claimed.userId },
      },
    },
  ];
}

async function transact(items: TransactItem[]): Promise<void> {
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (cancellationCodes(error).includes('ConditionalCheckFailed')) {
      throw conflict('concurrent_update', 'The profile or one of its records changed while it was being taken over; try again.');
    }
    throw error;
  }
}

const batches = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Moves the walk-in profile and everything it owns to `userId` (see the module header); answers the new profile. */
export async function takeOverWalkIn(walkIn: ResidentProfile, userId: string, at: string): Promise<ResidentProfile> {
  const claimed: ResidentProfile = { ...walkIn, userId, updatedAt: at };
  const move = (keys: Key[]) => keys.map((key) => moveRecord(key, walkIn.userId, userId));
  const owned = await ownedBy(walkIn.userId);
  const profile = moveProfile(walkIn, claimed);
  if (owned.length + profile.length <= TRANSACTION_ITEMS) {
    await transact([...move(owned), ...profile]);
  } else {
    for (const batch of batches(owned, BATCH)) await transact(move(batch));
    await transact(profile);
  }
  for (const batch of batches(await ownedBy(walkIn.userId), BATCH)) await transact(move(batch));
  return claimed;
}
