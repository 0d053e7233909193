// 公告 — staff publish a notice for a community of their centre (every resident there gets an SMS) and end
// one early when the outage is over (it leaves the residents' lists).

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { loadCatalog } from '../catalog.ts';
import { ErrorSummary, serverFieldErrors, SubmitButton, TextField, type FieldErrors } from '../components/form.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { instant, named } from '../format.ts';
import { submissionKeys } from '../idempotency.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { NOTICE_KINDS } from '../../../shared/domain/notices.ts';
import { st } from './i18n.ts';
import { staffSession } from './session.ts';

type Kind = (typeof NOTICE_KINDS)[number];
/** A datetime-local value (Shanghai wall clock, as the clerk reads it) as an instant. */
const shanghaiInstant = (local: string) => new Date(`${local}:00+08:00`).toISOString();

export function NoticesPage() {
  const session = staffSession()!;
  const catalog = useLoad(loadCatalog, []);
  const communities = catalog.data?.centres.find((c) => c.code === session.centre)?.communities ?? [];
  const [community, setCommunity] = useState<string>();
  const chosen = community ?? communities[0]?.code;
  const notices = useLoad(async () => (chosen ? (await call('GET /notices', { query: { community: chosen, limit: '50' } })).items : []), [chosen]);
  if (!catalog.data) return catalog.error ? <ProblemMessage error={catalog.error} /> : <Loading />;
  return (
    <Page title={st('notices.title')}>
      <div class="field">
        <label for="notice-community">{st('notices.community')}</label>
        <select id="notice-community" value={chosen} onChange={(event) => setCommunity(event.currentTarget.value)}>
          {communities.map((c) => (
            <option key={c.code} value={c.code}>
              {named(c.name)}
            </option>
          ))}
        </select>
      </div>
      {chosen && <PublishForm community={chosen} onPublished={notices.reload} />}
      <h2>{st('notices.current')}</h2>
      {notices.error ? (
        <ProblemMessage error={notices.error} />
      ) : !notices.data ? (
        <Loading />
      ) : notices.data.length === 0 ? (
        <p>{st('notices.none')}</p>
      ) : (
        <ul class="list">
          {notices.data.map((n) => (
            <li key={n.id}>
              <strong>{n.title}</strong> · {st(`notices.kind.${n.kind}`)} · {instant(n.startsAt)}
              {n.endsAt ? ` – ${instant(n.endsAt)}` : ''}{' '}
              <button
                type="button"
                class="button"
                onClick={async () => {
                  await call('POST /notices/{id}/end', { params: { id: n.id } });
                  notices.reload();
                }}
              >
                {st('notices.end', { title: n.title })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function PublishForm({ community, onPublished }: { community: string; onPublished: () => void }) {
  const [values, setValues] = useState({ kind: 'water-outage' as Kind, title: '', body: '', startsAt: '', endsAt: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, error, run, setError] = useAction();
  const [done, setDone] = useState(false);
  const [keys] = useState(submissionKeys);
  const set = (name: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const labels = { title: st('notices.titleField'), body: st('notices.body'), startsAt: st('notices.startsAt'), endsAt: st('notices.endsAt') };
  return (
    <form
      class="card"
      onSubmit={async (event) => {
        event.preventDefault();
        setErrors({});
        setDone(false);
        await run(async () => {
          const body = {
            community,
            kind: values.kind,
            title: values.title,
            body: values.body,
            startsAt: values.startsAt ? shanghaiInstant(values.startsAt) : new Date().toISOString(),
            ...(values.endsAt ? { endsAt: shanghaiInstant(values.endsAt) } : {}),
          };
          await call('POST /notices', { body, idempotencyKey: keys.keyFor(body) });
          keys.succeeded();
          setDone(true);
          onPublished();
        }, (e) => {
          setErrors(serverFieldErrors(e));
          setError(e);
        });
      }}
    >
      <h2>{st('notices.publish')}</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <div class="field">
        <label for="notice-kind">{st('notices.kind')}</label>
        <select id="notice-kind" value={values.kind} onChange={(event) => set('kind')(event.currentTarget.value)}>
          {NOTICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {st(`notices.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <TextField name="title" label={labels.title} value={values.title} onValue={set('title')} error={errors.title} required maxLength={40} />
      <div class="field">
        <label for="field-body">{labels.body}</label>
        {errors.body && (
          <p class="field-error" id="field-body-error">
            {errors.body}
          </p>
        )}
        <textarea id="field-body" value={values.body} maxLength={500} onInput={(event) => set('body')(event.currentTarget.value)} />
      </div>
      <TextField name="startsAt" label={labels.startsAt} value={values.startsAt} onValue={set('startsAt')} error={errors.startsAt} type="datetime-local" hint={st('notices.startsAtHint')} />
      <TextField name="endsAt" label={labels.endsAt} value={values.endsAt} onValue={set('endsAt')} error={errors.endsAt} type="datetime-local" />
      {Object.keys(errors).length === 0 && <ProblemMessage error={error} />}
      <SubmitButton busy={busy}>{st('notices.submit')}</SubmitButton>
      {done && (
        <p class="success" role="status">
          {st('notices.published')}
        </p>
      )}
    </form>
  );
}
