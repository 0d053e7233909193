// Demo emergency facilities of the demo community, added by `npm start` unless they exist. Fictitious
// places around Beijing Chaoyang, where the demo resident's ID number is registered.

import { addFacility } from '../../shared/data/facilities.ts';
import { type Facility } from '../../shared/domain/facilities.ts';

const DEMO_FACILITIES: Omit<Facility, 'community'>[] = [
  { id: 'sg-shelter-1', kind: 'shelter', name: '阳光花园中心广场应急避难场所', address: '北京市朝阳区阳光花园中心广场', lat: 39.9219, lng: 116.4833, capacity: 1200 },
  { id: 'sg-shelter-2', kind: 'shelter', name: '阳光小学操场应急避难点', address: '北京市朝阳区阳光路18号阳光小学', lat: 39.9247, lng: 116.4871, capacity: 800 },
  { id: 'sg-shelter-3', kind: 'shelter', name: '朝阳公园应急避难场所（南门）', address: '北京市朝阳区朝阳公园南路1号', lat: 39.9362, lng: 116.4789, capacity: 5000 },
  { id: 'sg-civil-defense-1', kind: 'civil-defense', name: '阳光花园3号楼地下人防工程', address: '北京市朝阳区阳光花园3号楼地下一层', lat: 39.9223, lng: 116.4841, capacity: 600 },
  { id: 'sg-civil-defense-2', kind: 'civil-defense', name: '阳光路地下人防疏散通道', address: '北京市朝阳区阳光路与光华路交口西北角入口', lat: 39.9208, lng: 116.4859, capacity: 1500 },
];

export const demoFacilities = (community: string): Facility[] => DEMO_FACILITIES.map((f) => ({ ...f, community }));

export async function seedDemoFacilities(community: string): Promise<void> {
  for (const facility of demoFacilities(community)) await addFacility(facility);
}
