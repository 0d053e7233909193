// Service centres (街道便民服务中心), the tenants of one city-wide deployment. Each community belongs to exactly
// one centre, which has its own windows, opening hours, staff, queue and figures. Data in code like the
// service catalog: a centre is opened by a release, reviewed like any other change.

import type { Category } from './catalog.ts';

export type Session = { opens: string; closes: string };

export type Community = { code: string; name: { zh: string; en: string } };

export type Centre = {
  code: string;
  /** Three letters, unique, in appointment and ticket ids read out on the phone: AP20261201-ZZY-S001. */
  shortCode: string;
  name: { zh: string; en: string };
  address: string;
  /** WGS-84 degrees. */
  lat: number;
  lng: number;
  communities: Community[];
  /** Opening hours, Asia/Shanghai, on working days. */
  sessions: Session[];
  /** Open windows per category code: how many residents one appointment slot of that window takes. */
  windows: Record<string, number>;
};

/** The code a city supervisor's `custom:centre` carries: every centre. */
export const CITY = '*';

export const CENTRES: Centre[] = [
  {
    code: 'zizhuyuan',
    shortCode: 'ZZY',
    name: { zh: '紫竹院街道便民服务中心', en: 'Zizhuyuan Subdistrict Service Centre' },
    address: '北京市海淀区紫竹院路45号',
    lat: 39.9432,
    lng: 116.3142,
    communities: [
      { code: 'sunshine-garden', name: { zh: '阳光花园社区', en: 'Sunshine Garden' } },
      { code: 'zizhuyuan', name: { zh: '紫竹院社区', en: 'Zizhuyuan' } },
    ],
    sessions: [
      { opens: '09:00', closes: '11:30' },
      { opens: '13:30', closes: '16:30' },
    ],
    windows: { 'social-insurance': 3, 'medical-insurance': 2, 'social-assistance': 2, 'family-health': 2, employment: 2, 'housing-civil': 2 },
  },
  {
    code: 'balizhuang',
    shortCode: 'BLZ',
    name: { zh: '八里庄街道便民服务中心', en: 'Balizhuang Subdistrict Service Centre' },
    address: '北京市朝阳区朝阳路八里庄东里1号',
    lat: 39.9186,
    lng: 116.4938,
    communities: [
      { code: 'balizhuang-north', name: { zh: '八里庄北里社区', en: 'Balizhuang North' } },
      { code: 'hongmiao', name: { zh: '红庙社区', en: 'Hongmiao' } },
    ],
    sessions: [
      { opens: '09:00', closes: '12:00' },
      { opens: '14:00', closes: '17:00' },
    ],
    // A smaller hall: one window for most categories.
    windows: { 'social-insurance': 2, 'medical-insurance': 1, 'social-assistance': 1, 'family-health': 1, employment: 1, 'housing-civil': 1 },
  },
  {
    code: 'huilongguan',
    shortCode: 'HLG',
    name: { zh: '回龙观街道便民服务中心', en: 'Huilongguan Subdistrict Service Centre' },
    address: '北京市昌平区回龙观西大街18号',
    lat: 40.0712,
    lng: 116.3298,
    communities: [
      { code: 'longze-garden', name: { zh: '龙泽苑社区', en: 'Longze Garden' } },
      { code: 'huilongguan-east', name: { zh: '回龙观东大街社区', en: 'Huilongguan East Street' } },
    ],
    sessions: [
      { opens: '08:30', closes: '11:30' },
      { opens: '13:30', closes: '16:30' },
    ],
    windows: { 'social-insurance': 3, 'medical-insurance': 3, 'social-assistance': 2, 'family-health': 2, employment: 2, 'housing-civil': 2 },
  },
];

/** The centre of the demo resident, and of every record a v1 table held (one implicit centre). */
export const DEMO_CENTRE = 'zizhuyuan';

export const CENTRE_CODES = CENTRES.map((c) => c.code) as [string, ...string[]];
export const COMMUNITY_CODES = CENTRES.flatMap((c) => c.communities.map((m) => m.code)) as [string, ...string[]];

export const findCentre = (code: string) => CENTRES.find((c) => c.code === code);

/** The centre a community belongs to; undefined for a community the catalog does not know. */
export const centreOfCommunity = (community: string) => CENTRES.find((c) => c.communities.some((m) => m.code === community));

/** How many windows of a category a centre has open (0: it does not offer that window). */
export const windowsOf = (centre: Centre, category: Category | string) => centre.windows[typeof category === 'string' ? category : category.code] ?? 0;

/** The public view (GET /catalog). */
export const publicCentres = () =>
  CENTRES.map(({ code, name, address, lat, lng, communities, sessions, windows }) => ({ code, name, address, lat, lng, communities, sessions, windows }));
