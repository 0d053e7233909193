// A clerk or supervisor opened a resident's page: say so instead of showing the API's 403.

import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';

export function ResidentsOnlyPage() {
  return (
    <Page title={t('residentsOnly.title')}>
      <p>{t('residentsOnly.body')}</p>
      <p>
        <Link href={hrefOf('guide')}>{t('nav.guide')}</Link>
      </p>
    </Page>
  );
}
