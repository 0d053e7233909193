// 办事指南: every matter by its window (GET /catalog) with what to bring, how long it takes, who approves
// it and whether a visit to the window is needed; from here a resident declares it or books the window.

import type { Matter } from '../api/types.ts';
import { currentSession, isResident } from '../auth/session.ts';
import { loadCatalog } from '../catalog.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { named } from '../format.ts';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';
import { useLoad } from '../use-load.ts';

function MatterGuide({ matter }: { matter: Matter }) {
  // Residents and visitors (who are asked to sign in on the way) see the actions; staff do not declare.
  const session = currentSession();
  const showActions = !session || isResident(session);
  const headingId = `matter-${matter.code}`;
  return (
    <article class="card" aria-labelledby={headingId}>
      <h3 id={headingId}>{named(matter.name)}</h3>
      <dl class="facts">
        <dt>{t('guide.sla')}</dt>
        <dd>{t('guide.slaDays', { days: matter.slaWorkingDays })}</dd>
        <dt>{t('guide.steps')}</dt>
        <dd>{matter.approvalChain.map((role) => t(`role.${role}`)).join(' → ')}</dd>
        <dt>{t('guide.visit')}</dt>
        <dd>{matter.needsVisit ? t('guide.visitNeeded') : t('guide.visitNotNeeded')}</dd>
      </dl>
      <h4>{t('guide.materials')}</h4>
      <ul class="materials">
        {matter.materials.map((m) => (
          <li key={m.code}>{named(m.name)}</li>
        ))}
      </ul>
      {showActions && (
        <p class="actions">
          <Link href={hrefOf('declare', { matter: matter.code })} class="button primary">
            {t('guide.declare')}
          </Link>
          <Link href={hrefOf('book', {}, { category: matter.category })} class="button">
            {t('guide.book')}
          </Link>
        </p>
      )}
    </article>
  );
}

export function GuidePage() {
  const catalog = useLoad(loadCatalog, []);
  return (
    <Page title={t('guide.title')}>
      <p class="lead">{t('guide.lead')}</p>
      <ProblemMessage error={catalog.error} />
      {catalog.loading && <Loading />}
      {catalog.data?.categories.map((category) => {
        const matters = catalog.data!.matters.filter((m) => m.category === category.code);
        return (
          <section key={category.code} aria-labelledby={`window-${category.code}`}>
            <h2 id={`window-${category.code}`}>{named(category.name)}</h2>
            {matters.length === 0 ? <p>{t('guide.noMatters')}</p> : matters.map((m) => <MatterGuide key={m.code} matter={m} />)}
          </section>
        );
      })}
    </Page>
  );
}
