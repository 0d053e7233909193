// ID numbers (居民身份证号) are personal data: stored on the profile (the owner sees it on GET /me, the
// retirement rule needs the birth date) but looked up only through a keyed hash, so the lookup item
// reveals nothing without the key. One ID number belongs to one account: the profile and its ID-number
// claim are written in one transaction. Only functions that import this module receive ID_HASH_KEY.
//
// Items (keys.ts builds every key)
//   claim     pk IDNUMBER#<hmac>  sk IDNUMBER   userId

import { createHmac } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../config.ts';
import { conflict } from '../domain/errors.ts';
import type { ResidentProfile } from '../domain/residents.ts';
import { db, tableName } from './client.ts';
import { cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { residentKeys } from './keys.ts';
import { getResident, profileItem } from './residents.ts';

const idHashKey = requiredEnv('ID_HASH_KEY');

export function idNumberHash(idNumber: string): string {
  return createHmac('sha256', idHashKey).update(idNumber).digest('base64url');
}

const idNumberKey = (idNumber: string) => residentKeys.idNumber(idNumberHash(idNumber));

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
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: profileItem(profile),
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
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const [profileWrite, claim] = cancellationCodes(error);
    if (claim === 'ConditionalCheckFailed') throw conflict('id_number_in_use', 'This ID number is registered to another account.');
    if (profileWrite === 'ConditionalCheckFailed') throw conflict('concurrent_update', 'The profile was changed at the same time; read it and try again.');
    throw error;
  }
}
