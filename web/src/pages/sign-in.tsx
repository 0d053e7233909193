// 登录. In AWS: one button to Cognito managed login. Under `npm start` (config.json auth "local"): the
// clearly marked demo sign-in, which picks a demo resident, a clerk or a supervisor and takes a token from
// the local platform; it exists only there.

import { useState } from 'preact/hooks';
import { signInLocally, signInWithCognito, type DemoPersona } from '../auth/sign-in-flow.ts';
import { Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { config } from '../config.ts';
import { t } from '../i18n.ts';
import { CATEGORY_CODES } from '../../../shared/domain/catalog.ts';
import { DEMO_CENTRE } from '../../../shared/domain/centres.ts';

/** The demo staff work every window of the demo resident's centre. */
const ALL_CATEGORIES = CATEGORY_CODES;

const PERSONAS: { key: 'demoResident' | 'newResident' | 'clerk' | 'supervisor' | 'citySupervisor'; persona: () => DemoPersona }[] = [
  { key: 'demoResident', persona: () => ({ sub: 'demo-resident', role: 'resident', name: '李秀英', phone: '13800138000' }) },
  // A fresh account each time: no profile yet, nothing declared, so every journey can start from scratch.
  { key: 'newResident', persona: () => ({ sub: `resident-${crypto.randomUUID().slice(0, 8)}`, role: 'resident' }) },
  { key: 'clerk', persona: () => ({ sub: 'clerk-1', role: 'staff', name: '张窗口', categories: ALL_CATEGORIES, centre: DEMO_CENTRE }) },
  { key: 'supervisor', persona: () => ({ sub: 'supervisor-1', role: 'supervisor', name: '王主管', centre: DEMO_CENTRE }) },
  // The city's supervisor (custom:centre `*`) compares every centre on the dashboard.
  { key: 'citySupervisor', persona: () => ({ sub: 'city-supervisor-1', role: 'supervisor', name: '刘市级', centre: '*' }) },
];

export function SignInPage({ returnTo }: { returnTo: string }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    action().catch((e: unknown) => {
      setError(e);
      setBusy(false);
    });
  };

  if (config().auth === 'cognito') {
    return (
      <Page title={t('signIn.title')}>
        <p>{t('signIn.cognitoIntro')}</p>
        <ProblemMessage error={error} />
        <button type="button" class="button primary" disabled={busy} onClick={() => run(() => signInWithCognito(returnTo))}>
          {t('signIn.cognitoButton')}
        </button>
      </Page>
    );
  }
  return (
    <Page title={t('signIn.localTitle')}>
      <div class="local-banner">
        <p>
          <strong>{t('signIn.localBadge')}</strong>
        </p>
        <p>{t('signIn.localIntro')}</p>
      </div>
      <ProblemMessage error={error} />
      <ul class="choices">
        {PERSONAS.map(({ key, persona }) => (
          <li key={key}>
            <button type="button" class="button choice" disabled={busy} onClick={() => run(() => signInLocally(persona(), returnTo))}>
              <span class="choice-title">{t(`signIn.${key}`)}</span>
              <span class="choice-detail">{t(`signIn.${key}.detail`)}</span>
            </button>
          </li>
        ))}
      </ul>
    </Page>
  );
}
