// The staff side's frame: the counter console, the window, the approval queue, the dashboard and notices
// under one header with the staff navigation (what a clerk or a supervisor works with), and the hall's
// screens full-screen without any frame: the display is public, the kiosk runs on a staff sign-in.

import { Fragment } from 'preact';
import { signOut } from '../auth/sign-in-flow.ts';
import { Link } from '../components/link.tsx';
import { SignInPage } from '../pages/sign-in.tsx';
import { language, setLanguage } from '../prefs.ts';
import { CounterPage } from './counter.tsx';
import { DashboardPage } from './dashboard.tsx';
import { HallDisplay } from './display.tsx';
import { st } from './i18n.ts';
import { KioskPage } from './kiosk.tsx';
import { NoticesPage } from './notices.tsx';
import { matchStaffPage, staffHref, type StaffPageName } from './paths.ts';
import { isStaff, isSupervisor, staffSession } from './session.ts';
import { StaffHome } from './staff-home.tsx';
import { TaskPage, TasksPage } from './tasks.tsx';
import { WindowPage } from './window.tsx';
import './staff.css';

/** The navigation of each role: clerks work the counter, supervisors watch and follow up. */
export const STAFF_NAV: Record<'staff' | 'supervisor', StaffPageName[]> = {
  staff: ['counter', 'window', 'tasks', 'notices'],
  supervisor: ['tasks', 'dashboard'],
};

function pageFor(page: StaffPageName, params: Record<string, string>) {
  switch (page) {
    case 'staffHome':
      return <StaffHome />;
    case 'counter':
      return <CounterPage />;
    case 'window':
      return <WindowPage />;
    case 'tasks':
      return <TasksPage />;
    case 'task':
      return <TaskPage id={params.id!} />;
    case 'dashboard':
      return <DashboardPage />;
    case 'notices':
      return <NoticesPage />;
    default:
      return null;
  }
}

export function StaffApp() {
  const match = matchStaffPage(location.pathname);
  const session = staffSession();
  const returnTo = location.pathname + location.search;
  if (match?.page === 'display') return <HallDisplay centre={match.params.centre!} />;
  if (match?.page === 'kiosk') {
    return isStaff(session) ? (
      <KioskPage centre={match.params.centre!} />
    ) : (
      <main id="main" class="kiosk-sign-in">
        <SignInPage returnTo={returnTo} />
      </main>
    );
  }
  const role = isSupervisor(session) ? 'supervisor' : isStaff(session) ? 'staff' : undefined;
  const english = language() === 'en';
  const body = !match ? (
    <>
      <h1>{st('staff.notFound')}</h1>
      <p>
        <Link href={staffHref('staffHome')}>{st('nav.staffHome')}</Link>
      </p>
    </>
  ) : !session ? (
    <SignInPage returnTo={returnTo} />
  ) : !role ? (
    <>
      <h1>{st('staff.onlyStaff')}</h1>
      <p>{st('staff.onlyStaffDetail')}</p>
    </>
  ) : (
    pageFor(match.page, match.params)
  );
  return (
    <div class="staff">
      <a class="skip-link" href="#main">
        {st('app.skipToContent')}
      </a>
      <header class="site-header">
        <div class="header-bar">
          <Link href={staffHref('staffHome')} class="brand">
            {st('app.name')}
          </Link>
          <div class="switches">
            {session?.name && <span class="staff-name">{session.name}</span>}
            <button type="button" class="switch" lang={english ? 'zh-CN' : 'en'} onClick={() => setLanguage(english ? 'zh-CN' : 'en')}>
              {english ? '中文' : 'English'}
            </button>
            {session && (
              <button type="button" class="switch" onClick={() => signOut()}>
                {st('app.signOut')}
              </button>
            )}
          </div>
        </div>
        {role && (
          <nav aria-label={st('nav.label')}>
            <ul class="nav">
              {STAFF_NAV[role].map((page) => (
                <li key={page}>
                  <Link href={staffHref(page)} current={match?.page === page || (page === 'tasks' && match?.page === 'task')}>
                    {st(`nav.${page}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1} class="staff-main">
        <Fragment key={returnTo}>{body}</Fragment>
      </main>
    </div>
  );
}
