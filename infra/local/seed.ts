// Demo data for `npm start`, written idempotently: running it on every start changes nothing that exists.

import { importBills } from '../../shared/data/bills.ts';
import { getResident } from '../../shared/data/residents.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { previousPeriod } from '../../shared/domain/bills.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { DEMO_CENTRE } from '../../shared/domain/centres.ts';
import { seedDemoFacilities } from './demo-facilities.ts';

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
      // Verified as if by the real-name check: the identity sandbox's register holds 李秀英 with this number.
      verification: { method: 'real-name', at: new Date().toISOString() },
    });
  }
  await seedDemoBills();
  await seedDemoFacilities();
}

/**
 * Last month's bills for the demo resident, due relative to the day of the first start: the water bill
 * falls inside the reminder window at once. Bills that exist are duplicates, so later starts add nothing.
 */
async function seedDemoBills(): Promise<void> {
  const today = shanghaiDate(new Date());
  const period = previousPeriod(today);
  await importBills(
    [
      { residentId: DEMO_RESIDENT_ID, kind: 'water', period, amount: 4_350, dueDate: addDays(today, 2) },
      { residentId: DEMO_RESIDENT_ID, kind: 'electricity', period, amount: 12_850, dueDate: addDays(today, 10) },
      { residentId: DEMO_RESIDENT_ID, kind: 'gas', period, amount: 6_020, dueDate: addDays(today, 15) },
      { residentId: DEMO_RESIDENT_ID, kind: 'phone', period, amount: 5_800, dueDate: addDays(today, 20) },
    ],
    DEMO_CENTRE,
    new Date().toISOString(),
  );
}
