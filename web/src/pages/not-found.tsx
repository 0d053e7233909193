// An address the app has no page for.

import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';

export function NotFoundPage() {
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href={hrefOf('home')}>{t('nav.home')}</Link>
      </p>
    </Page>
  );
}
