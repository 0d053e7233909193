// Emergency facilities of a community: shelters (应急避难场所) and civil-defense works (人防工程).
// They live in one partition per community, sorted by kind, so "all of a community" and "one kind of a
// community" are both a single Query (the kind is a sort-key prefix):
//
//   facility  pk FACILITIES#<community>  sk <kind>#<id>

import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Facility, FacilityKind } from '../domain/facilities.ts';
import { db, tableName } from './client.ts';
import { applied } from './conditional-writes.ts';
import { facilityKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, type ListQuery, type Page } from './pagination.ts';



/** Adds a facility unless it exists: a facility edited by an operator is not overwritten. True if added. */
export async function addFacility(facility: Facility): Promise<boolean> {
  return applied(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...facilityKeys.item(facility.community, facility.kind, facility.id), ...facility },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/** A community's facilities, of one kind if given, grouped by kind (civil-defense before shelter), then by id. */
export async function listFacilities(community: string, kind: FacilityKind | undefined, limit: number, cursor?: string): Promise<Page<Facility>> {
  const list: ListQuery = { partition: facilityKeys.community(community), ...(kind ? { sort: { beginsWith: facilityKeys.kindPrefix(kind) } } : {}) };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map(toFacility), nextCursor: encodeCursor(LastEvaluatedKey) };
}

function toFacility(item: Record<string, unknown>): Facility {
  const { id, name, address, lat, lng, capacity, kind, community } = item as Facility;
  return { id, name, address, lat, lng, capacity, kind, community };
}
