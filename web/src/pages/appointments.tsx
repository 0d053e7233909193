// 我的预约: the resident's appointments, latest date first (GET /appointments); each opens its ticket.

import { call } from '../api/client.ts';
import { loadCatalog, categoryOf } from '../catalog.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, named } from '../format.ts';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';
import { useLoad } from '../use-load.ts';

export function AppointmentsPage() {
  const loaded = useLoad(() => Promise.all([call('GET /appointments', { query: { limit: '50' } }), loadCatalog()]), []);
  return (
    <Page title={t('appointments.title')}>
      <p>
        <Link href={hrefOf('book')} class="button primary">
          {t('appointments.book')}
        </Link>
      </p>
      <ProblemMessage error={loaded.error} />
      {loaded.loading && <Loading />}
      {loaded.data?.[0].items.length === 0 && <p>{t('appointments.none')}</p>}
      <ul class="list">
        {loaded.data?.[0].items.map((a) => {
          const category = categoryOf(loaded.data![1], a.category);
          return (
            <li key={a.id} class="card">
              <h2>
                <Link href={hrefOf('ticket', { id: a.id })}>
                  {category ? named(category.name) : a.category} · {a.ticket}
                </Link>
              </h2>
              <p>
                {businessDate(a.date)} {a.time} <StatusBadge kind="appointment" status={a.status} />
              </p>
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
