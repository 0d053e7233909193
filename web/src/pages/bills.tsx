// 生活缴费: the resident's unpaid and paid bills (GET /bills?status=), earliest due first; an unpaid bill
// opens its pay page.

import { call } from '../api/client.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { businessDate, instant, yuan } from '../format.ts';
import { t, textOf } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';
import { useLoad } from '../use-load.ts';

export function BillsPage({ status }: { status: 'unpaid' | 'paid' }) {
  const bills = useLoad(() => call('GET /bills', { query: { status, limit: '50' } }), [status]);
  return (
    <Page title={t('bills.title')}>
      <nav aria-label={t('bills.which')} class="tabs">
        <Link href={hrefOf('bills')} current={status === 'unpaid'}>
          {t('bills.unpaid')}
        </Link>
        <Link href={hrefOf('bills', {}, { status: 'paid' })} current={status === 'paid'}>
          {t('bills.paid')}
        </Link>
      </nav>
      <ProblemMessage error={bills.error} />
      {bills.loading && <Loading />}
      {bills.data?.items.length === 0 && <p>{status === 'unpaid' ? t('bills.noneUnpaid') : t('bills.nonePaid')}</p>}
      <ul class="list">
        {bills.data?.items.map((bill) => (
          <li key={bill.id} class="card">
            <h2>{t('bills.billOf', { kind: textOf(`bill.${bill.kind}`), period: bill.period })}</h2>
            <p class="amount">{yuan(bill.amount)}</p>
            {bill.status === 'unpaid' ? (
              <>
                <p>{t('bills.due', { date: businessDate(bill.dueDate) })}</p>
                <Link href={hrefOf('pay', { id: bill.id })} class="button primary">
                  {t('bills.pay')}
                </Link>
              </>
            ) : (
              bill.paidAt && <p>{t('bills.paidAt', { at: instant(bill.paidAt) })}</p>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
