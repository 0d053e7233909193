// 我的办件: the resident's cases, newest first (GET /cases), each with its status and due date.

import { call } from '../api/client.ts';
import { loadCatalog, matterOf } from '../catalog.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, named } from '../format.ts';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';
import { useLoad } from '../use-load.ts';

export function CasesPage() {
  const loaded = useLoad(() => Promise.all([call('GET /cases', { query: { limit: '50' } }), loadCatalog()]), []);
  return (
    <Page title={t('cases.title')}>
      <ProblemMessage error={loaded.error} />
      {loaded.loading && <Loading />}
      {loaded.data && loaded.data[0].items.length === 0 && (
        <p>
          {t('cases.none')} <Link href={hrefOf('guide')}>{t('nav.guide')}</Link>
        </p>
      )}
      <ul class="list">
        {loaded.data?.[0].items.map((c) => {
          const matter = matterOf(loaded.data![1], c.matter);
          return (
            <li key={c.id} class="card">
              <h2>
                <Link href={hrefOf('case', { id: c.id })}>{matter ? named(matter.name) : c.matter}</Link>
              </h2>
              <p>
                <StatusBadge kind="case" status={c.status} /> <span class="case-id">{c.id}</span>
              </p>
              {c.dueDate && <p>{t('case.dueDate', { date: businessDate(c.dueDate) })}</p>}
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
