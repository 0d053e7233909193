// Where Cognito managed login sends the resident back with a code: exchanged for the ID token, then on to
// the page they were going to.

import { useEffect, useState } from 'preact/hooks';
import { completeCognitoSignIn } from '../auth/sign-in-flow.ts';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';

export function AuthCallbackPage() {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    completeCognitoSignIn().catch(() => setFailed(true));
  }, []);
  return (
    <Page title={t('signIn.title')}>
      {failed ? (
        <div class="problem" role="alert">
          <p>{t('signIn.callbackFailed')}</p>
          <p>
            <Link href={hrefOf('signIn')}>{t('signIn.again')}</Link>
          </p>
        </div>
      ) : (
        <p role="status">{t('signIn.completing')}</p>
      )}
    </Page>
  );
}
