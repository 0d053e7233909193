// 监管看板 — how the centre's windows perform over a chosen period (GET /stats): per window the cases
// submitted and decided, the on-time rate, the average handling hours and rating, the counter's tickets
// and waits, and the approval decisions per staff member, each as a chart (Chart.js, loaded with this page
// only) beside a table with the same figures, and a CSV of the table. A city supervisor (centre `*`)
// compares the centres side by side or looks at one. Below: the low-rating follow-ups waiting.

import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Catalog, StatsAnswer } from '../api/types.ts';
import { loadCatalog } from '../catalog.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { named } from '../format.ts';
import { useLoad } from '../use-load.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import type { BarData } from './charts.ts';
import { COLUMNS, statsCsv } from './csv.ts';
import { st } from './i18n.ts';
import { staffHref } from './paths.ts';
import { isCitySupervisor, staffSession } from './session.ts';
import { pendingTasks, TaskTable } from './tasks.tsx';

type Row = StatsAnswer['categories'][number];

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
const shown = (value: number | null) => (value === null ? '—' : String(value));

function Chart({ title, data }: { title: string; data: BarData }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let destroy: (() => void) | undefined;
    let current = true;
    void import('./charts.ts').then(({ barChart }) => {
      if (current && canvas.current) destroy = barChart(canvas.current, data);
    });
    return () => {
      current = false;
      destroy?.();
    };
  }, [JSON.stringify(data)]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${title}：${data.labels.map((l, i) => `${l} ${data.series.map((s) => shown(s.values[i] ?? null)).join('/')}`).join('，')}`} />
      </div>
    </figure>
  );
}

export function DashboardPage() {
  const session = staffSession()!;
  const city = isCitySupervisor(session);
  const today = shanghaiDate(new Date());
  const [period, setPeriod] = useState({ from: `${today.slice(0, 8)}01`, to: today, centre: '' });
  const [asked, setAsked] = useState(period);
  const catalog = useLoad(loadCatalog, []);
  const stats = useLoad(() => call('GET /stats', { query: { from: asked.from, to: asked.to, ...(asked.centre ? { centre: asked.centre } : {}) } }), [JSON.stringify(asked)]);
  const followUps = useLoad(async () => (city ? [] : (await pendingTasks()).filter((t) => t.kind === 'follow-up')), []);
  return (
    <Page title={st('dashboard.title')}>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setAsked(period);
        }}
      >
        <div class="field">
          <label for="stats-from">{st('dashboard.from')}</label>
          <input id="stats-from" type="date" value={period.from} max={today} onInput={(event) => setPeriod((p) => ({ ...p, from: event.currentTarget.value }))} />
        </div>
        <div class="field">
          <label for="stats-to">{st('dashboard.to')}</label>
          <input id="stats-to" type="date" value={period.to} max={today} onInput={(event) => setPeriod((p) => ({ ...p, to: event.currentTarget.value }))} />
        </div>
        {city && catalog.data && (
          <div class="field">
            <label for="stats-centre">{st('dashboard.centre')}</label>
            <select id="stats-centre" value={period.centre} onChange={(event) => setPeriod((p) => ({ ...p, centre: event.currentTarget.value }))}>
              <option value="">{st('dashboard.allCentres')}</option>
              {catalog.data.centres.map((c) => (
                <option key={c.code} value={c.code}>
                  {named(c.name)}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" class="button primary">
          {st('dashboard.show')}
        </button>
      </form>
      {stats.error ? <ProblemMessage error={stats.error} /> : !stats.data || !catalog.data ? <Loading /> : <Report stats={stats.data} catalog={catalog.data} />}
      {!city && (
        <section aria-labelledby="follow-ups-title">
          <h2 id="follow-ups-title">{st('tasks.followUps')}</h2>
          {followUps.error ? (
            <ProblemMessage error={followUps.error} />
          ) : !followUps.data || !catalog.data ? (
            <Loading />
          ) : (
            <TaskTable tasks={followUps.data} catalog={catalog.data} caption={st('tasks.followUps')} />
          )}
        </section>
      )}
      <p>
        <Link href={staffHref('tasks')}>{st('dashboard.toTasks')}</Link>
      </p>
    </Page>
  );
}

function Report({ stats, catalog }: { stats: StatsAnswer; catalog: Catalog }) {
  const centreName = (code: string) => {
    const c = catalog.centres.find((x) => x.code === code);
    return c ? named(c.name) : code;
  };
  const categoryName = (code: string) => {
    const c = catalog.categories.find((x) => x.code === code);
    return c ? named(c.name) : code;
  };
  const centres = [...new Set(stats.categories.map((r) => r.centre))];
  const labels = catalog.categories.map((c) => named(c.name));
  const series = (value: (r: Row) => number | null) =>
    centres.map((centre) => ({ label: centreName(centre), values: catalog.categories.map((c) => { const r = stats.categories.find((x) => x.centre === centre && x.category === c.code); return r ? value(r) : null; }) }));
  const csv = statsCsv(stats, centreName, categoryName);
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [csv]);
  const staff = stats.staff.slice(0, 20);
  return (
    <>
      <p class="lead">{st('dashboard.period', { from: stats.from, to: stats.to })}</p>
      {href && (
        <p>
          <a class="button" href={href} download={`stats-${stats.centre ?? 'city'}-${stats.from}-${stats.to}.csv`}>
            {st('dashboard.csv')}
          </a>
        </p>
      )}
      <div class="charts">
        <Chart title={st('dashboard.onTimeRate')} data={{ labels, series: series((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 1000) / 10)), max: 100 }} />
        <Chart title={st('dashboard.avgHandlingHours')} data={{ labels, series: series((r) => r.avgHandlingHours) }} />
        <Chart title={st('dashboard.avgRating')} data={{ labels, series: series((r) => r.avgRating), max: 5 }} />
        <Chart title={st('dashboard.avgWaitMinutes')} data={{ labels, series: series((r) => r.avgWaitMinutes) }} />
        <Chart title={st('dashboard.decisions')} data={{ labels: staff.map((s) => s.userId), series: [{ label: st('dashboard.decisionsLabel'), values: staff.map((s) => s.decisions) }] }} />
      </div>
      <div class="table-scroll">
        <table class="staff-table stats-table">
          <caption>{st('dashboard.table')}</caption>
          <thead>
            <tr>
              {centres.length > 1 && <th scope="col">{st('dashboard.centre')}</th>}
              <th scope="col">{st('dashboard.category')}</th>
              {COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {st(`stats.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stats.categories.map((r) => (
              <tr key={`${r.centre}-${r.category}`} data-category={r.category}>
                {centres.length > 1 && <td>{centreName(r.centre)}</td>}
                <th scope="row">{categoryName(r.category)}</th>
                {COLUMNS.map((c) => (
                  <td key={c} data-column={c}>
                    {c === 'onTimeRate' ? percent(r.onTimeRate) : shown(r[c])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{st('dashboard.counter')}</h2>
      <table class="staff-table">
        <caption>{st('dashboard.counter')}</caption>
        <thead>
          <tr>
            <th scope="col">{st('dashboard.centre')}</th>
            <th scope="col">{st('stats.ticketsIssued')}</th>
            <th scope="col">{st('stats.ticketsServed')}</th>
            <th scope="col">{st('stats.avgWaitMinutes')}</th>
            <th scope="col">{st('stats.avgServiceMinutes')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.centres.map((c) => (
            <tr key={c.centre}>
              <th scope="row">{centreName(c.centre)}</th>
              <td>{c.ticketsIssued}</td>
              <td>{c.ticketsServed}</td>
              <td>{shown(c.avgWaitMinutes)}</td>
              <td>{shown(c.avgServiceMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{st('dashboard.staff')}</h2>
      <table class="staff-table">
        <caption>{st('dashboard.staff')}</caption>
        <thead>
          <tr>
            {centres.length > 1 && <th scope="col">{st('dashboard.centre')}</th>}
            <th scope="col">{st('dashboard.staffMember')}</th>
            <th scope="col">{st('dashboard.decisionsLabel')}</th>
            <th scope="col">{st('dashboard.avgDecisionHours')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.staff.map((s) => (
            <tr key={`${s.centre}-${s.userId}`}>
              {centres.length > 1 && <td>{centreName(s.centre)}</td>}
              <th scope="row">{s.userId}</th>
              <td>{s.decisions}</td>
              <td>{shown(s.avgDecisionHours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
