// 办件详情: one case (GET /cases/{id}) — its status, due date, current step and collection at the window,
// its materials with what the automatic review found in each file (materialProblems), every missing
// material at once when it was returned (with the form to upload them: POST /cases/{id}/materials),
// withdrawing it while undecided (POST /cases/{id}/withdraw, confirmed inline), the timeline of its history
// with who acted, and once decided the rating (好差评, POST /cases/{id}/rating).

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import type { Catalog, CaseView } from '../api/types.ts';
import { loadCatalog, materialName, matterOf } from '../catalog.ts';
import { ConfirmInline } from '../components/confirm-inline.tsx';
import { useMaterialFiles } from '../components/file-field.tsx';
import { fieldId, SubmitButton } from '../components/form.tsx';
import { MaterialViewer } from '../components/material-view.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, instant, named } from '../format.ts';
import { t, textOf } from '../i18n.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { RATEABLE_STATUSES } from '../../../shared/domain/ratings.ts';

/** The automatic review follows a submission within moments: look again until it has run. */
const REVIEW_POLL_MS = 1000;

/**
 * A change to the case. A retry whose first attempt did get through (the case is under review again, or
 * withdrawn), or a case that changed meanwhile, is answered invalid_state: the page then shows it as it is now.
 */
async function changeCase(id: string, change: () => Promise<CaseView>): Promise<CaseView> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof ApiProblem && error.code === 'invalid_state') return call('GET /cases/{id}', { params: { id } });
    throw error;
  }
}

function AddMaterials({ c, catalog, onUpdated }: { c: CaseView; catalog: Catalog; onUpdated: (c: CaseView) => void }) {
  const { files, upload, field } = useMaterialFiles();
  const [busy, problem, run, setProblem] = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!c.missingMaterials.some((type) => files[type])) {
      setProblem(t('case.chooseFile'));
      return;
    }
    await run(async () => {
      const materials = await upload(c.missingMaterials);
      onUpdated(await changeCase(c.id, () => call('POST /cases/{id}/materials', { params: { id: c.id }, body: { materials } })));
    });
  };

  return (
    <section aria-labelledby="add-materials">
      <h2 id="add-materials">{t('case.addMaterials')}</h2>
      <ProblemMessage error={problem} />
      <form onSubmit={submit} noValidate>
        {c.missingMaterials.map((type) => field(type, `missing-${type}`, materialLabel(catalog, c.matter, type)))}
        <SubmitButton busy={busy}>{t('case.resubmit')}</SubmitButton>
      </form>
    </section>
  );
}

const materialLabel = (catalog: Catalog, matter: string, type: string) => named(materialName(catalog, matter, type) ?? { zh: type, en: type });

/** What the resident reads about one material: its review verdict, or what the review found wrong with its file. */
function materialState(c: CaseView, type: string): string {
  const problem = c.materialProblems.find((p) => p.type === type);
  if (problem) return textOf(`materialProblem.${problem.problem}`);
  if (c.missingMaterials.includes(type)) return t('case.materialMissing');
  const material = c.materials.find((m) => m.type === type);
  if (!material) return t('case.materialMissing');
  return material.verified ? t('case.materialVerified') : 'uploadId' in material ? t('case.materialReceived') : t('case.materialElsewhere');
}

/** The matter's materials with where each stands; a file the resident uploaded opens inline, to check what was sent. */
function Materials({ c, matter }: { c: CaseView; matter: NonNullable<ReturnType<typeof matterOf>> }) {
  const [open, setOpen] = useState<string>();
  return (
    <section aria-labelledby="materials">
      <h2 id="materials">{t('case.materials')}</h2>
      <dl class="facts materials">
        {matter.materials.map((m) => {
          const name = named(m.name);
          // A file the review found unreadable or of the wrong type shows nothing worth opening: its finding says it all.
          const viewable = c.materials.some((given) => given.type === m.code && 'uploadId' in given) && !c.materialProblems.some((p) => p.type === m.code);
          return (
            <Fragment key={m.code}>
              <dt>{name}</dt>
              <dd>
                <span class="material-state">{materialState(c, m.code)}</span>
                {viewable && (
                  <>
                    {' '}
                    <button type="button" class="button" aria-expanded={open === m.code ? 'true' : 'false'} onClick={() => setOpen(open === m.code ? undefined : m.code)}>
                      {open === m.code ? t('case.hideFile') : t('case.viewFile', { name })}
                    </button>
                  </>
                )}
                {open === m.code && <MaterialViewer caseId={c.id} type={m.code} label={name} words={{ loading: t('common.loading'), openFull: t('case.openFile', { name }) }} />}
              </dd>
            </Fragment>
          );
        })}
      </dl>
    </section>
  );
}

const WITHDRAWABLE: readonly string[] = ['submitted', 'returned', 'in_review'];

function WithdrawCase({ c, onUpdated }: { c: CaseView; onUpdated: (c: CaseView) => void }) {
  const [busy, problem, run] = useAction();
  const withdraw = () => run(async () => onUpdated(await changeCase(c.id, () => call('POST /cases/{id}/withdraw', { params: { id: c.id } }))));
  return (
    <section aria-labelledby="withdraw">
      <h2 id="withdraw">{t('case.withdraw')}</h2>
      <ProblemMessage error={problem} />
      <ConfirmInline id="confirm-withdraw" action={t('case.withdraw')} question={t('case.confirmWithdraw')} yes={t('case.yesWithdraw')} no={t('case.keep')} busy={busy} onConfirm={withdraw} />
    </section>
  );
}

const SCORES = [1, 2, 3, 4, 5] as const;

function RateCase({ c, onRated }: { c: CaseView; onRated: () => void }) {
  const [score, setScore] = useState<number>();
  const [comment, setComment] = useState('');
  const [busy, problem, run, setProblem] = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!score) {
      setProblem(t('case.chooseScore'));
      return;
    }
    await run(async () => {
      await call('POST /cases/{id}/rating', { params: { id: c.id }, body: { score, ...(comment.trim() ? { comment } : {}) } });
      onRated();
    }, (error) => {
      // Rated already (a retry whose first answer was lost): the case shows the rating.
      if (error instanceof ApiProblem && error.code === 'already_rated') onRated();
      else setProblem(error);
    });
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
        {c.collection && (
          <>
            <dt>{t('case.collection')}</dt>
            <dd>{c.collection.status === 'collected' && c.collection.at ? t('case.collectedAt', { at: instant(c.collection.at) }) : t('case.awaitingCollection')}</dd>
          </>
        )}
      </dl>

      {c.status === 'returned' && c.missingMaterials.length > 0 && (
        <div class="callout" role="status">
          <p>{t('case.missing')}</p>
          <ul>
            {c.missingMaterials.map((type) => (
              <li key={type}>
                {materialLabel(catalog, c.matter, type)}
                {c.materialProblems.some((p) => p.type === type) && `（${materialState(c, type)}）`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {c.status === 'returned' && c.missingMaterials.length > 0 && <AddMaterials c={c} catalog={catalog} onUpdated={setLatest} />}

      {matter && <Materials c={c} matter={matter} />}

      {c.rating ? (
        <p class="success">{t('case.rated', { label: textOf(`rating.${c.rating.score}`) })}</p>
      ) : (
        RATEABLE_STATUSES.includes(c.status) && <RateCase c={c} onRated={reload} />
      )}

      {WITHDRAWABLE.includes(c.status) && <WithdrawCase c={c} onUpdated={setLatest} />}

      <section aria-labelledby="history">
        <h2 id="history">{t('case.history')}</h2>
        <ol class="timeline">
          {c.history.map((entry, i) => (
            <li key={i}>
              <p class="timeline-when">{instant(entry.at)}</p>
              <p>
                <StatusBadge kind="case" status={entry.status} /> <span class="timeline-actor" lang="zh-CN">{entry.actor}</span>
              </p>
              {entry.note && (
                <p lang="zh-CN" class="timeline-note">
                  {entry.note}
                </p>
              )}
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}
