// 工作台: where a clerk or a supervisor starts, with a tile for each page of their role and the hall's
// screens of their centre.

import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { st } from './i18n.ts';
import { staffHref } from './paths.ts';
import { isSupervisor, staffSession } from './session.ts';
import { STAFF_NAV } from './staff-app.tsx';

export function StaffHome() {
  const session = staffSession()!;
  const pages = STAFF_NAV[isSupervisor(session) ? 'supervisor' : 'staff'];
  const centre = session.centre && session.centre !== '*' ? session.centre : undefined;
  return (
    <Page title={st('home.title')}>
      <ul class="tiles">
        {pages.map((page) => (
          <li key={page}>
            <Link href={staffHref(page)} class="tile">
              <span class="tile-title">{st(`nav.${page}`)}</span>
              <span class="tile-detail">{st(`home.${page}`)}</span>
            </Link>
          </li>
        ))}
        {centre && (
          <>
            <li>
              <a href={staffHref('display', { centre })} class="tile">
                <span class="tile-title">{st('nav.display')}</span>
                <span class="tile-detail">{st('home.display')}</span>
              </a>
            </li>
            {!isSupervisor(session) && (
              <li>
                <a href={staffHref('kiosk', { centre })} class="tile">
                  <span class="tile-title">{st('nav.kiosk')}</span>
                  <span class="tile-detail">{st('home.kiosk')}</span>
                </a>
              </li>
            )}
          </>
        )}
      </ul>
    </Page>
  );
}
