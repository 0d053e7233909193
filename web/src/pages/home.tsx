// 首页: what a resident can do from home, as large tiles; a resident without a profile is asked to
// complete it first, since declaring and booking need it.

import { currentSession, isResident } from '../auth/session.ts';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { t } from '../i18n.ts';
import { profileOrNull } from '../my-profile.ts';
import { hrefOf, type PageName } from '../page-paths.ts';
import { useLoad } from '../use-load.ts';

const TILES: { page: PageName; key: 'guide' | 'cases' | 'book' | 'appointments' | 'bills' | 'community' | 'messages' | 'profile' | 'records' | 'jobs' }[] = [
  { page: 'guide', key: 'guide' },
  { page: 'cases', key: 'cases' },
  { page: 'book', key: 'book' },
  { page: 'appointments', key: 'appointments' },
  { page: 'bills', key: 'bills' },
  { page: 'community', key: 'community' },
  { page: 'records', key: 'records' },
  { page: 'jobs', key: 'jobs' },
  { page: 'messages', key: 'messages' },
  { page: 'profile', key: 'profile' },
];

export function HomePage() {
  const session = currentSession();
  const resident = isResident(session);
  const profile = useLoad(() => (resident ? profileOrNull() : Promise.resolve(undefined)), [session?.userId]);
  return (
    <Page title={profile.data ? t('home.greeting', { name: profile.data.name }) : t('home.title')}>
      <p class="lead">{t('home.lead')}</p>
      {profile.data === null && (
        <div class="callout">
          <p>{t('home.noProfile')}</p>
          <Link href={hrefOf('profile')} class="button primary">
            {t('home.completeProfile')}
          </Link>
        </div>
      )}
      {!session && (
        <p>
          <Link href={hrefOf('signIn')} class="button primary">
            {t('app.signIn')}
          </Link>
        </p>
      )}
      <ul class="tiles">
        {TILES.filter(({ page }) => resident || page === 'guide' || page === 'community').map(({ page, key }) => (
          <li key={page}>
            <Link href={hrefOf(page)} class="tile">
              <span class="tile-title">{t(`home.tile.${key}`)}</span>
              <span class="tile-detail">{t(`home.tile.${key}.detail`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}
