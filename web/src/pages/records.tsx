// 社保·医保·公积金: the resident's own records in the three government systems (GET /me/records/{kind}), one tab
// each. Social-insurance arrears link the back-payment matter, its declaration prefilled with the months owed
// (the note the API's `settle.prefill` gives). An unverified profile is told how to get verified.

import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import type { RecordAnswer } from '../api/types.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { businessDate, instant, yuan } from '../format.ts';
import { t } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';
import { useLoad } from '../use-load.ts';
import { backpayNote, RECORD_KINDS, type RecordKind } from '../../../shared/domain/records.ts';

const month = (m: string) => t('records.month', { year: m.slice(0, 4), month: Number(m.slice(5, 7)) });

function RecordBody({ record }: { record: RecordAnswer }) {
  if (record.kind === 'social-insurance') {
    return (
      <>
        <dl class="facts">
          <dt>{t('records.si.months')}</dt>
          <dd>{t('records.si.monthsValue', { months: record.contributionMonths })}</dd>
          <dt>{t('records.si.base')}</dt>
          <dd>{yuan(record.monthlyBase)}</dd>
          <dt>{t('records.si.employer')}</dt>
          <dd>{record.employer ?? t('records.si.noEmployer')}</dd>
        </dl>
        {record.arrears.length > 0 && record.settle && (
          <div class="callout">
            <h2>{t('records.si.arrears')}</h2>
            <ul>
              {record.arrears.map((a) => (
                <li key={a.month}>
                  {month(a.month)} · {yuan(a.amount)}
                </li>
              ))}
            </ul>
            <Link href={hrefOf('declare', { matter: record.settle.matter }, { note: backpayNote(record.settle.prefill.months) })} class="button primary">
              {t('records.si.settle')}
            </Link>
          </div>
        )}
        <h2>{t('records.si.recent')}</h2>
        <ul class="list">
          {record.recentMonths.map((m) => (
            <li key={m.month}>
              {month(m.month)} · {m.paid ? t('records.si.paid') : t('records.si.unpaid')} · {m.employer ?? t('records.si.noEmployer')}
            </li>
          ))}
        </ul>
      </>
    );
  }
  if (record.kind === 'medical-insurance') {
    return (
      <>
        <p class="amount">{t('records.balance', { amount: yuan(record.balance) })}</p>
        <h2>{t('records.mi.claims')}</h2>
        {record.recentClaims.length === 0 && <p>{t('records.mi.noClaims')}</p>}
        <ul class="list">
          {record.recentClaims.map((c) => (
            <li key={`${c.date}${c.hospital}`}>{t('records.mi.claim', { date: businessDate(c.date), hospital: c.hospital, total: yuan(c.total), reimbursed: yuan(c.reimbursed) })}</li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <>
      <p class="amount">{t('records.balance', { amount: yuan(record.balance) })}</p>
      <p>{t('records.hf.deposit', { amount: yuan(record.monthlyDeposit) })}</p>
      <h2>{t('records.hf.withdrawals')}</h2>
      {record.withdrawals.length === 0 && <p>{t('records.hf.noWithdrawals')}</p>}
      <ul class="list">
        {record.withdrawals.map((w) => (
          <li key={w.date}>{t('records.hf.withdrawal', { date: businessDate(w.date), amount: yuan(w.amount), reason: w.reason })}</li>
        ))}
      </ul>
    </>
  );
}

export function RecordsPage({ kind }: { kind: string | undefined }) {
  const shown: RecordKind = (RECORD_KINDS as readonly string[]).includes(kind ?? '') ? (kind as RecordKind) : 'social-insurance';
  const record = useLoad(() => call('GET /me/records/{kind}', { params: { kind: shown } }), [shown]);
  const unverified = record.error instanceof ApiProblem && record.error.code === 'identity_not_verified';
  return (
    <Page title={t('records.title')}>
      <p class="lead">{t('records.lead')}</p>
      <nav aria-label={t('records.which')} class="tabs">
        {RECORD_KINDS.map((k) => (
          <Link key={k} href={hrefOf('records', {}, { kind: k })} current={k === shown}>
            {t(`records.kind.${k}`)}
          </Link>
        ))}
      </nav>
      {unverified ? (
        <div class="callout">
          <p>{t('records.unverified')}</p>
          <Link href={hrefOf('profile', {}, { returnTo: location.pathname })} class="button primary">
            {t('home.completeProfile')}
          </Link>
        </div>
      ) : (
        <ProblemMessage error={record.error} />
      )}
      {record.loading && <Loading />}
      {record.data && (
        <section aria-label={t(`records.kind.${shown}`)}>
          <RecordBody record={record.data} />
          <p class="hint">{t('records.fetchedAt', { at: instant(record.data.fetchedAt) })}</p>
        </section>
      )}
    </Page>
  );
}
