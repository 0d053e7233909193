// GET /appointments — one route, two readers (the route table has one entry per method and path):
//   a resident: their own appointments, latest date first;
//   staff:      ?category=&date= one window's day list of their own centre in ticket order (date defaults to
//               today). Any staff member of the centre may read any of its windows: the counter serves anyone (通办通理).

import { listAppointmentsOfDay, listAppointmentsOfResident } from '../../shared/data/appointments.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { validationFailed } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.listAppointments, async ({ query, caller }) => {
  if (caller.roles.includes('staff')) {
    if (!query.category) throw validationFailed([{ path: 'query.category', message: 'staff list one window: give its category' }]);
    const date = query.date ?? shanghaiDate(new Date());
    const page = await listAppointmentsOfDay(homeCentre(caller), query.category, date, query.limit, query.cursor);
    return ok({ items: page.items.map(api.staffAppointmentView), nextCursor: page.nextCursor });
  }
  const filters = (['category', 'date'] as const).filter((name) => query[name] !== undefined);
  if (filters.length > 0) {
    throw validationFailed(filters.map((name) => ({ path: `query.${name}`, message: 'only staff list a day; residents list their own' })));
  }
  const page = await listAppointmentsOfResident(caller.userId, query.limit, query.cursor);
  return ok({ items: page.items.map(api.appointmentView), nextCursor: page.nextCursor });
});
