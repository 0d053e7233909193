import { describe, expect, it } from 'vitest';
import { cellsCovering, geohash, haversineMeters, MAX_RADIUS_METERS, nearestFirst, type Facility } from '../../shared/domain/facilities.ts';

const TIANANMEN = { lat: 39.9087, lng: 116.3975 };

describe('facilities near a point', () => {
  it('encodes the standard geohash of a point', () => {
    expect(geohash({ lat: 57.64911, lng: 10.40744 }, 11)).toBe('u4pruydqqvj');
    expect(geohash({ lat: -25.382708, lng: -49.265506 }, 8)).toBe('6gkzwgjz');
    expect(geohash(TIANANMEN, 5)).toBe('wx4g0');
  });

  it('measures great-circle distances (haversine)', () => {
    // Tiananmen to the Temple of Heaven, about 3 km; a degree of latitude, about 111.2 km.
    expect(haversineMeters(TIANANMEN, { lat: 39.8822, lng: 116.4066 })).toBeCloseTo(3050, -2);
    expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, 0);
  });

  it('covers the circle with a handful of cells, containing every point within the radius', () => {
    for (const radius of [500, 5_000, 5_001, MAX_RADIUS_METERS]) {
      const cells = cellsCovering(TIANANMEN, radius);
      expect(cells.length, `${radius} m`).toBeLessThanOrEqual(16);
      for (let bearing = 0; bearing < 360; bearing += 15) {
        const d = (radius * 0.999) / 111_195;
        const point = { lat: TIANANMEN.lat + d * Math.cos((bearing * Math.PI) / 180), lng: TIANANMEN.lng + (d * Math.sin((bearing * Math.PI) / 180)) / Math.cos((TIANANMEN.lat * Math.PI) / 180) };
        expect(cells, `${radius} m at ${bearing}°`).toContain(geohash(point, cells[0]!.length));
      }
    }
  });

  it('keeps those within the radius, nearest first, with whole metres', () => {
    const at = (id: string, lat: number, lng: number): Facility => ({ id, lat, lng, name: id, address: '', capacity: 1, kind: 'shelter', community: 'c' });
    const found = nearestFirst([at('far', 39.99, 116.3975), at('near', 39.9097, 116.3975), at('mid', 39.9187, 116.3975)], TIANANMEN, 5_000);

    expect(found.map((f) => [f.id, f.distanceMeters])).toEqual([
      ['near', 111],
      ['mid', 1112],
    ]);
  });
});
