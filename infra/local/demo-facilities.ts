// Demo emergency facilities, added by `npm start` unless they exist. Fictitious places: those of the demo
// community around Beijing Chaoyang (where the demo resident's ID number is registered), and a few of other
// communities, so a search near a point finds facilities of several communities.

import { addFacility } from '../../shared/data/facilities.ts';
import { type Facility } from '../../shared/domain/facilities.ts';

type DemoFacility = Omit<Facility, 'community'>;

const DEMO_FACILITIES: Record<string, DemoFacility[]> = {
  'sunshine-garden': [
    { id: 'sg-shelter-1', kind: 'shelter', name: '阳光花园中心广场应急避难场所', address: '北京市朝阳区阳光花园中心广场', lat: 39.9219, lng: 116.4833, capacity: 1200 },
    { id: 'sg-shelter-2', kind: 'shelter', name: '阳光小学操场应急避难点', address: '北京市朝阳区阳光路18号阳光小学', lat: 39.9247, lng: 116.4871, capacity: 800 },
    { id: 'sg-shelter-3', kind: 'shelter', name: '朝阳公园应急避难场所（南门）', address: '北京市朝阳区朝阳公园南路1号', lat: 39.9362, lng: 116.4789, capacity: 5000 },
    { id: 'sg-civil-defense-1', kind: 'civil-defense', name: '阳光花园3号楼地下人防工程', address: '北京市朝阳区阳光花园3号楼地下一层', lat: 39.9223, lng: 116.4841, capacity: 600 },
    { id: 'sg-civil-defense-2', kind: 'civil-defense', name: '阳光路地下人防疏散通道', address: '北京市朝阳区阳光路与光华路交口西北角入口', lat: 39.9208, lng: 116.4859, capacity: 1500 },
  ],
  'balizhuang-north': [
    { id: 'blz-shelter-1', kind: 'shelter', name: '八里庄北里小区绿地应急避难点', address: '北京市朝阳区八里庄北里小区中心绿地', lat: 39.9271, lng: 116.4952, capacity: 900 },
    { id: 'blz-civil-defense-1', kind: 'civil-defense', name: '八里庄北里12号楼地下人防工程', address: '北京市朝阳区八里庄北里12号楼地下二层', lat: 39.9256, lng: 116.4917, capacity: 400 },
  ],
  zizhuyuan: [
    { id: 'zzy-shelter-1', kind: 'shelter', name: '紫竹院公园应急避难场所', address: '北京市海淀区紫竹院公园东门', lat: 39.9446, lng: 116.3163, capacity: 8000 },
    { id: 'zzy-civil-defense-1', kind: 'civil-defense', name: '紫竹院路地下人防疏散通道', address: '北京市海淀区紫竹院路与中关村南大街交口', lat: 39.9421, lng: 116.3235, capacity: 1200 },
  ],
};

/** The demo facilities of one community, or of every community that has some. */
export const demoFacilities = (community?: string): Facility[] =>
  Object.entries(DEMO_FACILITIES)
    .filter(([code]) => community === undefined || code === community)
    .flatMap(([code, facilities]) => facilities.map((f) => ({ ...f, community: code })));

export async function seedDemoFacilities(community?: string): Promise<void> {
  await Promise.all(demoFacilities(community).map(addFacility));
}
