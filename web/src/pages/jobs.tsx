// 就业服务: open job postings of the resident's centre and the centres near it (GET /jobs?centre=), applying with
// a short note and a CV (uploaded for real, web/src/upload.ts), and the resident's own applications with where
// each stands (GET /me/applications). Applying twice is refused by the API (409), which reads as "applied".

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { PostingView } from '../api/types.ts';
import { FileField } from '../components/file-field.tsx';
import { fieldId, SubmitButton } from '../components/form.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { businessDate, instant } from '../format.ts';
import { t } from '../i18n.ts';
import { profileOrNull } from '../my-profile.ts';
import { uploadFile } from '../upload.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { centreOfCommunity } from '../../../shared/domain/centres.ts';

function ApplyForm({ posting, onApplied }: { posting: PostingView; onApplied: () => void }) {
  const [note, setNote] = useState('');
  const [cv, setCv] = useState<File | undefined>();
  const [busy, problem, run] = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const cvUploadId = cv ? await uploadFile(cv) : undefined;
      await call('POST /jobs/{id}/applications', { params: { id: posting.id }, body: { ...(note.trim() ? { note } : {}), ...(cvUploadId ? { cvUploadId } : {}) } });
      onApplied();
    });
  };
  const noteId = fieldId(`note-${posting.id}`);
  return (
    <form onSubmit={submit} noValidate aria-label={t('jobs.applyTo', { title: posting.title })}>
      <ProblemMessage error={problem} />
      <div class="field">
        <label for={noteId}>
          {t('jobs.note')} {t('form.optional')}
        </label>
        <textarea id={noteId} name="note" maxLength={500} rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <FileField name={`cv-${posting.id}`} label={`${t('jobs.cv')} ${t('form.optional')}`} file={cv} onFile={setCv} />
      <SubmitButton busy={busy}>{t('jobs.apply')}</SubmitButton>
    </form>
  );
}

export function JobsPage() {
  const [applying, setApplying] = useState<string | undefined>();
  const loaded = useLoad(async () => {
    const profile = await profileOrNull();
    const centre = profile ? centreOfCommunity(profile.community)?.code : undefined;
    const [postings, mine] = await Promise.all([call('GET /jobs', { query: { limit: '50', ...(centre ? { centre } : {}) } }), call('GET /me/applications', { query: { limit: '50' } })]);
    return { postings: postings.items, mine: mine.items };
  }, []);
  const applied = new Set(loaded.data?.mine.map((a) => a.postingId));
  return (
    <Page title={t('jobs.title')}>
      <p class="lead">{t('jobs.lead')}</p>
      <ProblemMessage error={loaded.error} />
      {loaded.loading && <Loading />}
      {loaded.data && (
        <>
          <h2>{t('jobs.open')}</h2>
          {loaded.data.postings.length === 0 && <p>{t('jobs.none')}</p>}
          <ul class="list">
            {loaded.data.postings.map((p) => (
              <li key={p.id} class="card">
                <h3>{p.title}</h3>
                <p>{p.employer} · {p.place}</p>
                <p>{t('jobs.pay', { min: p.payRange.min, max: p.payRange.max })}</p>
                <p>{p.requirements}</p>
                <p>{t('jobs.closesOn', { date: businessDate(p.closesOn) })}</p>
                {applied.has(p.id) ? (
                  <p class="badge">{t('jobs.applied')}</p>
                ) : applying === p.id ? (
                  <ApplyForm posting={p} onApplied={() => { setApplying(undefined); loaded.reload(); }} />
                ) : (
                  <button type="button" class="button primary" onClick={() => setApplying(p.id)}>
                    {t('jobs.applyTo', { title: p.title })}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <h2>{t('jobs.mine')}</h2>
          {loaded.data.mine.length === 0 && <p>{t('jobs.noneMine')}</p>}
          <ul class="list">
            {loaded.data.mine.map((a) => (
              <li key={a.id} class="card">
                <h3>{a.posting.title}</h3>
                <p>{a.posting.employer}</p>
                <p>
                  {t('jobs.status')}: <strong>{t(`jobs.status.${a.status}`)}</strong> · {t('jobs.appliedAt', { at: instant(a.appliedAt) })}
                </p>
                {a.cvKeptUntil && <p>{t('jobs.cvKeptUntil', { date: a.cvKeptUntil })}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
