// Emergency facilities: shelters (应急避难场所) and civil-defense works (人防工程) of a community, and how to
// find the nearest ones to a point without reading every facility: each facility is also kept under the
// geohash cells that contain it, and a search reads only the cells that cover its circle, then orders by
// great-circle (haversine) distance. Pure rules, no I/O.

export const FACILITY_KINDS = ['shelter', 'civil-defense'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export type Facility = {
  id: string;
  name: string;
  address: string;
  /** WGS-84 degrees. */
  lat: number;
  lng: number;
  /** People it can hold. */
  capacity: number;
  kind: FacilityKind;
  community: string;
};

export type Point = { lat: number; lng: number };

/** The search radius without `radius=`, and the largest one allowed. */
export const DEFAULT_RADIUS_METERS = 5_000;
export const MAX_RADIUS_METERS = 20_000;

/** The mean Earth radius (IUGG), in metres. */
const EARTH_RADIUS_METERS = 6_371_008.8;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance between two points, in metres (haversine). */
export function haversineMeters(a: Point, b: Point): number {
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * The cell sizes of a geohash precision: 5 bits per character, longitude and latitude bits interleaved
 * (longitude first), so precision 4 cells are 0.18° × 0.35° (≈ 20 × 30 km in Beijing) and precision 5
 * cells 0.044° × 0.044° (≈ 4.9 × 3.7 km).
 */
function cellGrid(precision: number) {
  const bits = 5 * precision;
  const lngBits = Math.ceil(bits / 2);
  const latBits = Math.floor(bits / 2);
  return { latBits, lngBits, latStep: 180 / 2 ** latBits, lngStep: 360 / 2 ** lngBits };
}

/** The geohash of the cell at grid position (latIndex, lngIndex). */
function cellHash(latIndex: number, lngIndex: number, precision: number): string {
  const { latBits, lngBits } = cellGrid(precision);
  let hash = '';
  let value = 0;
  let lngBit = lngBits - 1;
  let latBit = latBits - 1;
  for (let i = 0; i < 5 * precision; i++) {
    const bit = i % 2 === 0 ? (lngIndex >> lngBit--) & 1 : (latIndex >> latBit--) & 1;
    value = (value << 1) | bit;
    if (i % 5 === 4) {
      hash += BASE32[value];
      value = 0;
    }
  }
  return hash;
}

const cellIndex = (degrees: number, offset: number, step: number, count: number) => Math.min(count - 1, Math.max(0, Math.floor((degrees + offset) / step)));

/** The geohash of the cell that contains a point. */
export function geohash(point: Point, precision: number): string {
  const { latBits, lngBits, latStep, lngStep } = cellGrid(precision);
  return cellHash(cellIndex(point.lat, 90, latStep, 2 ** latBits), cellIndex(point.lng, 180, lngStep, 2 ** lngBits), precision);
}

/** The precisions a facility is kept under, and which one a search of a radius reads. */
export const CELL_PRECISIONS = [4, 5] as const;
export const precisionFor = (radiusMeters: number) => (radiusMeters <= DEFAULT_RADIUS_METERS ? 5 : 4);

/**
 * Every cell of the search's precision that the circle around `center` can touch: the cells covering its
 * bounding box (at most 4 × 4 for the radii allowed). Longitude wraps around the date line.
 */
export function cellsCovering(center: Point, radiusMeters: number): string[] {
  const precision = precisionFor(radiusMeters);
  const { latBits, lngBits, latStep, lngStep } = cellGrid(precision);
  const dLat = (radiusMeters / EARTH_RADIUS_METERS) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos(radians(center.lat)), 0.01);
  const [latFrom, latTo] = [cellIndex(center.lat - dLat, 90, latStep, 2 ** latBits), cellIndex(center.lat + dLat, 90, latStep, 2 ** latBits)];
  const lngFrom = Math.floor((center.lng - dLng + 180) / lngStep);
  const lngTo = Math.floor((center.lng + dLng + 180) / lngStep);
  const cells = new Set<string>();
  for (let latIndex = latFrom; latIndex <= latTo; latIndex++) {
    for (let lngIndex = lngFrom; lngIndex <= lngTo; lngIndex++) {
      cells.add(cellHash(latIndex, ((lngIndex % 2 ** lngBits) + 2 ** lngBits) % 2 ** lngBits, precision));
    }
  }
  return [...cells];
}

export type NearbyFacility = Facility & { distanceMeters: number };

/** The facilities within the radius, nearest first (by id at the same distance), with their distance in whole metres. */
export function nearestFirst(facilities: Facility[], center: Point, radiusMeters: number): NearbyFacility[] {
  return facilities
    .map((f) => ({ ...f, distanceMeters: Math.round(haversineMeters(center, f)) }))
    .filter((f) => f.distanceMeters <= radiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters || a.id.localeCompare(b.id));
}
