// The frame around every page: skip link, header with the elderly-mode and language switches (on every
// page, as the age-friendly rules ask), the main navigation, and the page the address names.

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, isResident } from './auth/session.ts';
import { signOut } from './auth/sign-in-flow.ts';
import { onChange } from './changes.ts';
import { Link } from './components/link.tsx';
import { t } from './i18n.ts';
import { hrefOf, matchPage, type PageMatch } from './page-paths.ts';
import { AppointmentsPage } from './pages/appointments.tsx';
import { AuthCallbackPage } from './pages/auth-callback.tsx';
import { BillsPage } from './pages/bills.tsx';
import { BookPage } from './pages/book.tsx';
import { CasePage } from './pages/case.tsx';
import { CasesPage } from './pages/cases.tsx';
import { CommunityPage } from './pages/community.tsx';
import { DeclarePage } from './pages/declare.tsx';
import { GuidePage } from './pages/guide.tsx';
import { lazyPage } from './lazy.tsx';
import { HomePage } from './pages/home.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { PayPage } from './pages/pay.tsx';
import { ProfilePage } from './pages/profile.tsx';
import { JobsPage } from './pages/jobs.tsx';
import { RecordsPage } from './pages/records.tsx';
import { ResidentsOnlyPage } from './pages/residents-only.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { TicketPage } from './pages/ticket.tsx';
import { elderlyMode, language, setElderlyMode, setLanguage } from './prefs.ts';
import { isStaffPath } from './staff/paths.ts';
import { StaffRoot } from './staff/root.tsx';

const MessagesPage = lazyPage(() => import('./pages/messages.tsx').then((m) => m.MessagesPage));
const PreferencesPage = lazyPage(() => import('./pages/messages.tsx').then((m) => m.PreferencesPage));

/** Pages anyone may open; every other page is a resident's own. */
const PUBLIC_PAGES = new Set(['home', 'signIn', 'authCallback', 'guide', 'community']);

function pageFor(match: PageMatch | undefined, returnTo: string) {
  if (!match) return <NotFoundPage />;
  const session = currentSession();
  if (!PUBLIC_PAGES.has(match.page)) {
    if (!session) return <SignInPage returnTo={returnTo} />;
    if (!isResident(session)) return <ResidentsOnlyPage />;
  }
  const { params } = match;
  switch (match.page) {
    case 'home':
      return <HomePage />;
    case 'signIn':
      return <SignInPage returnTo={new URLSearchParams(location.search).get('returnTo') ?? '/'} />;
    case 'authCallback':
      return <AuthCallbackPage />;
    case 'profile':
      return <ProfilePage returnTo={new URLSearchParams(location.search).get('returnTo') ?? undefined} />;
    case 'guide':
      return <GuidePage />;
    case 'declare':
      return <DeclarePage matter={params.matter!} />;
    case 'cases':
      return <CasesPage />;
    case 'case':
      return <CasePage id={params.id!} />;
    case 'book':
      return <BookPage category={new URLSearchParams(location.search).get('category') ?? undefined} />;
    case 'appointments':
      return <AppointmentsPage />;
    case 'ticket':
      return <TicketPage id={params.id!} />;
    case 'bills':
      return <BillsPage status={new URLSearchParams(location.search).get('status') === 'paid' ? 'paid' : 'unpaid'} />;
    case 'pay':
      return <PayPage billId={params.id!} paymentId={new URLSearchParams(location.search).get('payment') ?? undefined} />;
    case 'community':
      return <CommunityPage community={new URLSearchParams(location.search).get('community') ?? undefined} />;
    case 'records':
      return <RecordsPage kind={new URLSearchParams(location.search).get('kind') ?? undefined} />;
    case 'jobs':
      return <JobsPage />;
    case 'messages':
      return <MessagesPage />;
    case 'preferences':
      return <PreferencesPage />;
  }
}

const NAV = [
  ['home', 'nav.home'],
  ['guide', 'nav.guide'],
  ['cases', 'nav.cases'],
  ['book', 'nav.book'],
  ['bills', 'nav.bills'],
  ['community', 'nav.community'],
  ['messages', 'nav.messages'],
] as const;

export function App() {
  const [, rerender] = useState(0);
  useEffect(() => onChange(() => rerender((n) => n + 1)), []);
  const session = currentSession();
  const match = matchPage(location.pathname);
  const elderly = elderlyMode();
  const english = language() === 'en';
  // The staff side (counter, window, hall screens, dashboard) has its own frame, loaded on demand.
  if (isStaffPath(location.pathname)) return <StaffRoot />;
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="site-header">
        <div class="header-bar">
          <Link href={hrefOf('home')} class="brand">
            {t('app.name')}
          </Link>
          <div class="switches">
            <button type="button" class="switch" aria-pressed={elderly ? 'true' : 'false'} onClick={() => setElderlyMode(!elderly)}>
              {t('app.elderlyMode')}
            </button>
            <button type="button" class="switch" lang={english ? 'zh-CN' : 'en'} onClick={() => setLanguage(english ? 'zh-CN' : 'en')}>
              {english ? '中文' : 'English'}
            </button>
            {session ? (
              <button type="button" class="switch" onClick={() => signOut()}>
                {t('app.signOut')}
              </button>
            ) : (
              <Link href={hrefOf('signIn', {}, { returnTo: location.pathname + location.search })} class="switch">
                {t('app.signIn')}
              </Link>
            )}
          </div>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul class="nav">
            {NAV.map(([page, label]) => (
              <li key={page}>
                <Link href={hrefOf(page)} current={match?.page === page}>
                  {t(label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {/* Keyed by address: every navigation starts the page afresh (its state, its loading, its focus). */}
        <Fragment key={location.pathname + location.search}>{pageFor(match, location.pathname + location.search)}</Fragment>
      </main>
      <footer class="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </>
  );
}
