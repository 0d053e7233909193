// ID numbers (居民身份证号) are personal data: stored on the profile (the owner sees it on GET /me, the
// retirement rule needs the birth date) but looked up only through a keyed hash, so the lookup item
// reveals nothing without the key. Only functions that import this module receive ID_HASH_KEY.
//
// One ID number is held by one account, the one the ID-card swipe finds. Who holds it follows how each
// claim is backed (verificationRank): a verified claim takes the number from an unverified holder (whose
// profile is marked idNumberLost and who is listed on the claim as displaced, for staff); between claims
// backed alike, whoever holds it keeps it. An unverified claim of a number someone holds is saved WITHOUT
// the claim and answered exactly like one that took it, so the answer never tells whether a number is
// registered; a verified claim against an equally verified holder is 409 (README "Identity").
//
// Items (keys.ts builds every key)
//   claim     pk IDNUMBER#<hmac>  sk IDNUMBER   userId, rank (0 claimed, 1 real-name, 2 counter), displaced [{ userId, at }]

import { createHmac } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '../config.ts';
import { conflict } from '../domain/errors.ts';
import { verificationRank, type ResidentProfile } from '../domain/residents.ts';
import { db, tableName } from './client.ts';
import { cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { residentKeys, withoutKeys } from './keys.ts';
import { getResident, profileItem } from './residents.ts';

const idHashKey = requiredEnv('ID_HASH_KEY');

export function idNumberHash(idNumber: string): string {
  return createHmac('sha256', idHashKey).update(idNumber).digest('base64url');
}

const idNumberKey = (idNumber: string) => residentKeys.idNumber(idNumberHash(idNumber));

export type DisplacedAccount = { userId: string; at: string };
/** Claims written before ranks existed have none: they count as bare claims. */
type Claim = { userId: string; rank?: number; displaced?: DisplacedAccount[] };

async function readClaim(idNumber: string): Promise<Claim | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: idNumberKey(idNumber), ConsistentRead: true }));
  return Item as Claim | undefined;
}

async function readProfile(userId: string): Promise<ResidentProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: residentKeys.profile(userId), ConsistentRead: true }));
  return Item ? withoutKeys<ResidentProfile>(Item) : undefined;
}

/** The holder of an ID number and the accounts a verified claim took it from (the swipe shows staff both). */
export async function findIdNumberHolder(idNumber: string): Promise<{ profile: ResidentProfile; displaced: DisplacedAccount[] } | undefined> {
  const claim = await readClaim(idNumber);
  const profile = claim ? await getResident(claim.userId) : undefined;
  return profile ? { profile, displaced: claim!.displaced ?? [] } : undefined;
}

export async function findResidentByIdNumber(idNumber: string): Promise<ResidentProfile | undefined> {
  return (await findIdNumberHolder(idNumber))?.profile;
}

/** Another write to one of the items read changed it meanwhile: reading again settles it. */
class ClaimChanged extends Error {}
const ATTEMPTS = 3;

/**
 * Creates or replaces a profile and settles who holds its ID number (see the module header), all or nothing;
 * the previous number is released if it changed. `profile.verification` is how the claim is backed. Returns
 * the profile as stored. 409 id_number_in_use only for a verified claim of a number an account verified as
 * strongly holds; 409 concurrent_update when the same profile was changed at the same time.
 */
export async function saveResident(profile: ResidentProfile): Promise<ResidentProfile> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settleAndSave(profile);
    } catch (error) {
      if (!(error instanceof ClaimChanged)) throw error;
      if (attempt >= ATTEMPTS) throw conflict('concurrent_update', 'The ID number was claimed at the same time; try again.');
    }
  }
}

async function settleAndSave(profile: ResidentProfile): Promise<ResidentProfile> {
  const rank = verificationRank(profile.verification);
  const now = new Date().toISOString();
  const [previous, claim] = await Promise.all([readProfile(profile.userId), readClaim(profile.idNumber)]);
  const released = previous !== undefined && previous.idNumber !== profile.idNumber ? previous.idNumber : undefined;
  const mine = claim === undefined || claim.userId === profile.userId;
  const takesOver = !mine && rank > (claim.rank ?? 0);
  if (!mine && !takesOver && rank > 0) {
    throw conflict('id_number_in_use', 'This ID number is verified for another account. Bring your ID card to a service centre: a clerk resolves it.');
  }
  const [previousClaim, loser] = await Promise.all([
    released === undefined ? undefined : readClaim(released),
    takesOver ? readProfile(claim!.userId) : undefined,
  ]);
  const holds = mine || takesOver;
  // A profile that lost its number keeps the mark while it still names that number without holding it.
  const { idNumberLost: _lost, ...fresh } = profile;
  const stored: ResidentProfile = !holds && released === undefined && previous?.idNumberLost ? { ...fresh, idNumberLost: previous.idNumberLost } : fresh;

  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: profileItem(stored),
        // Guards against a concurrent PUT /me of the same user that changed the ID number meanwhile.
        ConditionExpression: previous ? 'idNumber = :previousId' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: previous ? { ':previousId': previous.idNumber } : undefined,
      },
    },
  ];
  if (holds) {
    const displaced = takesOver ? [...(claim!.displaced ?? []), { userId: claim!.userId, at: now }] : claim?.displaced;
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...idNumberKey(profile.idNumber), userId: profile.userId, rank, ...(displaced ? { displaced } : {}) },
        // Exactly the claim that was read: a holder who verified meanwhile is not displaced by a stale decision.
        ConditionExpression: claim ? `userId = :holder AND ${claim.rank === undefined ? 'attribute_not_exists(#rank)' : '#rank = :holderRank'}` : 'attribute_not_exists(pk)',
        ...(claim ? { ExpressionAttributeNames: { '#rank': 'rank' }, ExpressionAttributeValues: { ':holder': claim.userId, ...(claim.rank === undefined ? {} : { ':holderRank': claim.rank }) } } : {}),
      },
    });
  }
  if (takesOver && loser?.idNumber === profile.idNumber) {
    items.push({
      Update: {
        TableName: tableName,
        Key: residentKeys.profile(loser.userId),
        UpdateExpression: 'SET idNumberLost = :lost REMOVE verification',
        ConditionExpression: 'idNumber = :idNumber',
        ExpressionAttributeValues: { ':lost': { at: now }, ':idNumber': profile.idNumber },
      },
    });
  }
  if (released !== undefined && previousClaim?.userId === profile.userId) {
    items.push({
      Delete: {
        TableName: tableName,
        Key: idNumberKey(released),
        ConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': profile.userId },
      },
    });
  }
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const [profileWrite, ...others] = cancellationCodes(error);
    if (profileWrite === 'ConditionalCheckFailed') throw conflict('concurrent_update', 'The profile was changed at the same time; read it and try again.');
    if (others.includes('ConditionalCheckFailed')) throw new ClaimChanged();
    throw error;
  }
  return stored;
}
