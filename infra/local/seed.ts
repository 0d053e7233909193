// Demo data for `npm start`, written idempotently: running it on every start changes nothing that exists.

import { getResident, saveResident } from '../../shared/data/residents.ts';

export const DEMO_COMMUNITY = 'sunshine-garden';
export const DEMO_RESIDENT_ID = 'demo-resident';

export async function seedDemoData(): Promise<void> {
  if (!(await getResident(DEMO_RESIDENT_ID))) {
    await saveResident({
      userId: DEMO_RESIDENT_ID,
      name: '李秀英',
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      phone: '+8613800138000',
      community: DEMO_COMMUNITY,
      address: '阳光花园3栋2单元401',
      updatedAt: new Date().toISOString(),
    });
  }
}
