// Resident profiles. The ID number is personal data: it is stored on the profile (the owner sees it on
// GET /me, the retirement rule needs the birth date) but looked up only through a keyed hash, so the
// lookup item reveals nothing without the key. One ID number belongs to one account: the profile and
// its ID-number claim are written in one transaction.

import { createHmac } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../config.ts';
import { conflict } from '../domain/errors.ts';
import type { ResidentProfile } from '../domain/residents.ts';
import { db, tableName } from './client.ts';

const idHashKey = requiredEnv('ID_HASH_KEY');


const profileKey = (userId: string) => ({ pk: `RESIDENT#${userId}`, sk: 'PROFILE' });
const idNumberKey = (idNumber: string) => ({ pk: `IDNUMBER#${idNumberHash(idNumber)}`, sk: 'IDNUMBER' });

export function idNumberHash(idNumber: string): string {
  return createHmac('sha256', idHashKey).update(idNumber).digest('base64url');
}

export async function getResident(userId: string): Promise<ResidentProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: profileKey(userId) }));
  return Item ? toProfile(Item) : undefined;
}

export async function findResidentByIdNumber(idNumber: string): Promise<ResidentProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: idNumberKey(idNumber) }));
  return Item ? getResident(Item.userId as string) : undefined;
}

/**
 * Creates or replaces a profile. Claims the ID number for this user (409 `id_number_in_use` if another
 * account holds it) and releases the previous one if it changed, all or nothing.
 */
export async function saveResident(profile: ResidentProfile): Promise<void> {
  const previous = await getResident(profile.userId);
  const items: NonNullable<TransactWriteCommand['input']['TransactItems']> = [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...profileKey(profile.userId),
          ...profile,
          gsi1pk: `COMMUNITY#${profile.community}`,
          gsi1sk: `RESIDENT#${profile.userId}`,
        },
        // Guards against a concurrent PUT /me of the same user that changed the ID number meanwhile.
        ConditionExpression: previous ? 'idNumber = :previousId' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: previous ? { ':previousId': previous.idNumber } : undefined,
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...idNumberKey(profile.idNumber), userId: profile.userId },
        ConditionExpression: 'attribute_not_exists(pk) OR userId = :userId',
        ExpressionAttributeValues: { ':userId': profile.userId },
      },
    },
  ];
  if (previous && previous.idNumber !== profile.idNumber) {
    items.push({
      Delete: {
        TableName: tableName,
        Key: idNumberKey(previous.idNumber),
        ConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': profile.userId },
      },
    });
  }
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const [profileWrite, claim] = error.CancellationReasons ?? [];
      if (claim?.Code === 'ConditionalCheckFailed') {
        throw conflict('id_number_in_use', 'This ID number is registered to another account.');
      }
      if (profileWrite?.Code === 'ConditionalCheckFailed') {
        throw conflict('concurrent_update', 'The profile was changed at the same time; read it and try again.');
      }
    }
    throw error;
  }
}

function toProfile(item: Record<string, unknown>): ResidentProfile {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...profile } = item;
  return profile as ResidentProfile;
}
