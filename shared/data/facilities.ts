// Emergency facilities of a community: shelters (应急避难场所) and civil-defense works (人防工程). They live in
// one partition per community, sorted by kind, so "all of a community" and "one kind of a community" are
// both a single Query (the kind is a sort-key prefix). Each facility is also copied under the geohash cells
// that contain it (shared/domain/facilities.ts), so "near a point" reads only the few cells covering the
// circle — never a Scan, however many facilities the city has.
//
//   facility   pk FACILITIES#<community>  sk <kind>#<id>
//   cell copy  pk FACILITY-CELL#<geohash>  sk <kind>#<id>      (precision 4 and 5; rewritten from the facility)

import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CELL_PRECISIONS, cellsCovering, geohash, type Facility, type FacilityKind, type Point } from '../domain/facilities.ts';
import { db, tableName } from './client.ts';
import { applied } from './conditional-writes.ts';
import { facilityKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, queryAll, type ListQuery, type Page } from './pagination.ts';

/**
 * Adds a facility unless it exists: a facility edited by an operator is not overwritten. Either way its
 * cell copies are written from the facility as stored. True if added.
 */
export async function addFacility(facility: Facility): Promise<boolean> {
  const key = facilityKeys.item(facility.community, facility.kind, facility.id);
  const added = await applied(db.send(new PutCommand({ TableName: tableName, Item: { ...key, ...facility }, ConditionExpression: 'attribute_not_exists(pk)' })));
  const stored = added ? facility : toFacility((await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item!);
  await Promise.all(
    CELL_PRECISIONS.map((precision) =>
      db.send(new PutCommand({ TableName: tableName, Item: { ...facilityKeys.inCell(geohash(stored, precision), stored.kind, stored.id), ...stored } })),
    ),
  );
  return added;
}

/** A community's facilities, of one kind if given, grouped by kind (civil-defense before shelter), then by id. */
export async function listFacilities(community: string, kind: FacilityKind | undefined, limit: number, cursor?: string): Promise<Page<Facility>> {
  const list: ListQuery = { partition: facilityKeys.community(community), ...(kind ? { sort: { beginsWith: facilityKeys.kindPrefix(kind) } } : {}) };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map(toFacility), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** Every facility (of a kind) in the cells covering the circle: a superset of those within it, unordered. */
export async function facilitiesAround(center: Point, radiusMeters: number, kind: FacilityKind | undefined): Promise<Facility[]> {
  const cells = await Promise.all(
    cellsCovering(center, radiusMeters).map(async (cell) => {
      const found: Facility[] = [];
      const items = queryAll({
        TableName: tableName,
        KeyConditionExpression: kind ? 'pk = :cell AND begins_with(sk, :kind)' : 'pk = :cell',
        ExpressionAttributeValues: { ':cell': facilityKeys.cell(cell), ...(kind ? { ':kind': `${kind}#` } : {}) },
      });
      for await (const item of items) found.push(toFacility(item));
      return found;
    }),
  );
  return cells.flat();
}

function toFacility(item: Record<string, unknown>): Facility {
  const { id, name, address, lat, lng, capacity, kind, community } = item as Facility;
  return { id, name, address, lat, lng, capacity, kind, community };
}
