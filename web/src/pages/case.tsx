// 办件详情: one case (GET /cases/{id}) — its status, due date and current step, every missing material
// at once when it was returned (with the form to add them: POST /cases/{id}/materials), the timeline of
// its history, and once decided the rating (好差评, POST /cases/{id}/rating).

import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import type { Catalog, CaseView } from '../api/types.ts';
import { loadCatalog, materialName, matterOf } from '../catalog.ts';
import { FileField } from '../components/file-field.tsx';
import { fieldId, SubmitButton } from '../components/form.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, instant, named } from '../format.ts';
import { t, textOf } from '../i18n.ts';
import { materialsFrom } from '../upload.ts';
import { useLoad } from '../use-load.ts';
import { RATEABLE_STATUSES } from '../../../shared/domain/ratings.ts';

/** The automatic review follows a submission within moments: look again until it has run. */
const REVIEW_POLL_MS = 1000;

function AddMaterials({ c, catalog, onUpdated }: { c: CaseView; catalog: Catalog; onUpdated: (c: CaseView) => void }) {
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const chosen = c.missingMaterials.flatMap((type) => (files[type] ? [{ type, file: files[type]! }] : []));

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    if (chosen.length === 0) {
      setProblem(t('case.chooseFile'));
      return;
    }
    setBusy(true);
    try {
      onUpdated(await call('POST /cases/{id}/materials', { params: { id: c.id }, body: { materials: await materialsFrom(chosen) } }));
    } catch (error) {
      // A retry whose first attempt did get through finds the case under review again: show it as it is now.
      if (error instanceof ApiProblem && error.code === 'invalid_state') onUpdated(await call('GET /cases/{id}', { params: { id: c.id } }));
      else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="add-materials">
      <h2 id="add-materials">{t('case.addMaterials')}</h2>
      <ProblemMessage error={problem} />
      <form onSubmit={submit} noValidate>
        {c.missingMaterials.map((type) => (
          <FileField
            key={type}
            name={`missing-${type}`}
            label={named(materialName(catalog, c.matter, type) ?? { zh: type, en: type })}
            file={files[type]}
            onFile={(file) => setFiles((f) => ({ ...f, [type]: file }))}
          />
        ))}
        <SubmitButton busy={busy}>{t('case.resubmit')}</SubmitButton>
      </form>
    </section>
  );
}

const SCORES = [1, 2, 3, 4, 5] as const;

function RateCase({ c, onRated }: { c: CaseView; onRated: () => void }) {
  const [score, setScore] = useState<number>();
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    if (!score) {
      setProblem(t('case.chooseScore'));
      return;
    }
    setBusy(true);
    try {
      await call('POST /cases/{id}/rating', { params: { id: c.id }, body: { score, ...(comment.trim() ? { comment } : {}) } });
      onRated();
    } catch (error) {
      // Rated already (a retry whose first answer was lost): the case shows the rating.
      if (error instanceof ApiProblem && error.code === 'already_rated') onRated();
      else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rate">
      <h2 id="rate">{t('case.rate')}</h2>
      <ProblemMessage error={problem} />
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('case.rateQuestion')}</legend>
          <div class="radios">
            {SCORES.map((s) => (
              <label key={s} class="radio">
                <input type="radio" name="score" value={s} checked={score === s} onChange={() => setScore(s)} />
                <span>{t(`rating.${s}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label for={fieldId('comment')}>
            {t('case.comment')}
            <span class="optional">{t('form.optional')}</span>
          </label>
          <textarea id={fieldId('comment')} rows={3} maxLength={500} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        </div>
        <SubmitButton busy={busy}>{t('case.sendRating')}</SubmitButton>
      </form>
    </section>
  );
}

export function CasePage({ id }: { id: string }) {
  const loaded = useLoad(() => Promise.all([call('GET /cases/{id}', { params: { id } }), loadCatalog()]), [id]);
  const [latest, setLatest] = useState<CaseView>();
  const c = latest ?? loaded.data?.[0];

  useEffect(() => {
    if (c?.status !== 'submitted') return;
    const timer = setTimeout(() => call('GET /cases/{id}', { params: { id } }).then(setLatest, () => undefined), REVIEW_POLL_MS);
    return () => clearTimeout(timer);
  }, [c]);

  if (loaded.loading && !c) return <Page title={t('case.title')}><Loading /></Page>;
  if (!c || !loaded.data) return <Page title={t('case.title')}><ProblemMessage error={loaded.error} /></Page>;
  const catalog = loaded.data[1];
  const matter = matterOf(catalog, c.matter);
  const reload = () => call('GET /cases/{id}', { params: { id } }).then(setLatest);

  return (
    <Page title={matter ? named(matter.name) : c.matter}>
      <dl class="facts" aria-live="polite">
        <dt>{t('case.id')}</dt>
        <dd class="case-id">{c.id}</dd>
        <dt>{t('case.status')}</dt>
        <dd>
          <StatusBadge kind="case" status={c.status} />
        </dd>
        {c.dueDate && (
          <>
            <dt>{t('case.due')}</dt>
            <dd>{businessDate(c.dueDate)}</dd>
          </>
        )}
        {c.currentStep && (
          <>
            <dt>{t('case.currentStep')}</dt>
            <dd>{t('case.stepDue', { step: textOf(`role.${c.currentStep.role}`), date: businessDate(c.currentStep.dueDate) })}</dd>
          </>
        )}
        {c.reason && (
          <>
            <dt>{t('case.reason')}</dt>
            <dd>{textOf(`reason.${c.reason}`)}</dd>
          </>
        )}
      </dl>

      {c.status === 'returned' && c.missingMaterials.length > 0 && (
        <div class="callout" role="status">
          <p>{t('case.missing')}</p>
          <ul>
            {c.missingMaterials.map((type) => (
              <li key={type}>{named(materialName(catalog, c.matter, type) ?? { zh: type, en: type })}</li>
            ))}
          </ul>
        </div>
      )}
      {c.status === 'returned' && c.missingMaterials.length > 0 && <AddMaterials c={c} catalog={catalog} onUpdated={setLatest} />}

      {c.rating ? (
        <p class="success">{t('case.rated', { label: textOf(`rating.${c.rating.score}`) })}</p>
      ) : (
        RATEABLE_STATUSES.includes(c.status) && <RateCase c={c} onRated={reload} />
      )}

      <section aria-labelledby="history">
        <h2 id="history">{t('case.history')}</h2>
        <ol class="timeline">
          {c.history.map((entry, i) => (
            <li key={i}>
              <p class="timeline-when">{instant(entry.at)}</p>
              <p>
                <StatusBadge kind="case" status={entry.status} /> {entry.note && <span lang="zh-CN">{entry.note}</span>}
              </p>
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}
