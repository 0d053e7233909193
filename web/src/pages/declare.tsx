// 在线申报 (POST /cases): one file per material the matter asks for (each uploaded with its progress shown,
// upload.ts), an optional note, and submit. A material left out is allowed: the automatic review then
// returns the case naming every missing item at once, and the resident adds them on the case page. A
// submit that fails keeps every file and is retried with the same Idempotency-Key, so the case is declared once.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { loadCatalog, matterOf } from '../catalog.ts';
import { useMaterialFiles } from '../components/file-field.tsx';
import { fieldId, SubmitButton } from '../components/form.tsx';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { named } from '../format.ts';
import { t } from '../i18n.ts';
import { submissionKeys } from '../idempotency.ts';
import { profileOrNull } from '../my-profile.ts';
import { hrefOf } from '../page-paths.ts';
import { navigate } from '../router.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { caseIdentityRefusal } from '../../../shared/domain/residents.ts';

export function DeclarePage({ matter: code }: { matter: string }) {
  const loaded = useLoad(() => Promise.all([loadCatalog(), profileOrNull()]), []);
  const { files, upload, field } = useMaterialFiles();
  // A record's arrears link here with the note prefilled (the months to settle, GET /me/records' `settle`).
  const [note, setNote] = useState(() => new URLSearchParams(location.search).get('note') ?? '');
  const [busy, problem, run] = useAction();
  const [keys] = useState(submissionKeys);

  if (loaded.loading) return <Page title={t('declare.title')}><Loading /></Page>;
  if (!loaded.data) return <Page title={t('declare.title')}><ProblemMessage error={loaded.error} /></Page>;
  const [catalog, profile] = loaded.data;
  const matter = matterOf(catalog, code);
  if (!matter) return <Page title={t('declare.title')}><p>{t('declare.unknownMatter')}</p></Page>;
  const title = t('declare.titleOf', { matter: named(matter.name) });
  if (!profile) {
    return (
      <Page title={title}>
        <div class="callout">
          <p>{t('declare.needsProfile')}</p>
          <Link href={hrefOf('profile', {}, { returnTo: location.pathname })} class="button primary">
            {t('home.completeProfile')}
          </Link>
        </div>
      </Page>
    );
  }

  // The server's rule, run before anything is uploaded: a matter that pays money or changes a legal status needs
  // a verified profile.
  if (caseIdentityRefusal({ verification: profile.verification ?? undefined, idNumberLost: profile.idNumberLost }, matter)) {
    return (
      <Page title={title}>
        <div class="callout">
          <p>{t('declare.needsVerification')}</p>
          <Link href={hrefOf('profile', {}, { returnTo: location.pathname })} class="button">
            {t('home.tile.profile')}
          </Link>
        </div>
      </Page>
    );
  }

  const missing = matter.materials.filter((m) => !files[m.code]);

  const submit = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      const materials = await upload(matter.materials.map((m) => m.code));
      const body = { matter: matter.code, materials, ...(note.trim() ? { note } : {}) };
      const created = await call('POST /cases', { body, idempotencyKey: keys.keyFor(body) });
      keys.succeeded();
      navigate(hrefOf('case', { id: created.id }));
    });
  };

  return (
    <Page title={title}>
      <p class="lead">{t('declare.lead', { days: matter.slaWorkingDays })}</p>
      <ProblemMessage error={problem} />
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('declare.materials')}</legend>
          {matter.materials.map((m) => field(m.code, `material-${m.code}`, named(m.name)))}
        </fieldset>
        <div class="field">
          <label for={fieldId('note')}>
            {t('declare.note')}
            <span class="optional">{t('form.optional')}</span>
          </label>
          <textarea id={fieldId('note')} name="note" rows={3} maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        {missing.length > 0 && (
          <p class="notice-inline" role="status">
            {t('declare.missingWarning', { materials: missing.map((m) => named(m.name)).join('、') })}
          </p>
        )}
        <SubmitButton busy={busy}>{t('declare.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
