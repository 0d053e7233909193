// 预约取号: choose the service centre (the resident's own, from their community, is chosen already; the
// centres come with GET /catalog), the window it offers, a working day and a slot with places left
// (components/day-and-slot.tsx), and book (POST /appointments). The ticket page follows with the number and its QR code.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import { centreOfCommunity, loadCatalog } from '../catalog.ts';
import { DayAndSlot, useDayAndSlot } from '../components/day-and-slot.tsx';
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

export function BookPage({ category: preselected }: { category?: string }) {
  const loaded = useLoad(() => Promise.all([loadCatalog(), profileOrNull()]), []);
  const [chosenCentre, setCentre] = useState<string>();
  const [category, setCategory] = useState(preselected);
  const [matter, setMatter] = useState('');
  const [busy, problem, run, setProblem] = useAction();
  const [keys] = useState(submissionKeys);
  const ownCentre = loaded.data?.[1] ? centreOfCommunity(loaded.data[0], loaded.data[1].community)?.code : undefined;
  const centre = chosenCentre ?? ownCentre ?? loaded.data?.[0].centres[0]?.code;
  const choice = useDayAndSlot(centre, category);
  const { date, time, slots } = choice;

  if (loaded.loading) return <Page title={t('book.title')}><Loading /></Page>;
  if (!loaded.data) return <Page title={t('book.title')}><ProblemMessage error={loaded.error} /></Page>;
  const [catalog, profile] = loaded.data;
  if (!profile) {
    return (
      <Page title={t('book.title')}>
        <div class="callout">
          <p>{t('book.needsProfile')}</p>
          <Link href={hrefOf('profile', {}, { returnTo: location.pathname + location.search })} class="button primary">
            {t('home.completeProfile')}
          </Link>
        </div>
      </Page>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!centre || !category || !date || !time) {
      setProblem(t('book.chooseAll'));
      return;
    }
    await run(async () => {
      const body = { centre, category, date, time, ...(matter ? { matter } : {}) };
      const booked = await call('POST /appointments', { body, idempotencyKey: keys.keyFor(body) });
      keys.succeeded();
      navigate(hrefOf('ticket', { id: booked.id }));
    }, (error) => {
      setProblem(error);
      // Someone took the last place meanwhile: show the places as they are now.
      if (error instanceof ApiProblem && error.code === 'slot_full') slots.reload();
    });
  };

  const windows = catalog.centres.find((c) => c.code === centre)?.windows ?? {};
  return (
    <Page title={t('book.title')}>
      <ProblemMessage error={problem} />
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('book.centre')}</legend>
          <div class="radios">
            {catalog.centres.map((c) => (
              <label key={c.code} class="radio">
                <input type="radio" name="centre" value={c.code} checked={centre === c.code} onChange={() => {
                    setCentre(c.code);
                    choice.forgetTime();
                  }} />
                <span>
                  {named(c.name)}
                  {c.code === ownCentre && <span class="radio-detail">{t('book.ownCentre')}</span>}
                  <span class="radio-detail" lang="zh-CN">{c.address}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('book.window')}</legend>
          <div class="radios">
            {catalog.categories.filter((c) => (windows[c.code] ?? 0) > 0).map((c) => (
              <label key={c.code} class="radio">
                <input type="radio" name="category" value={c.code} checked={category === c.code} onChange={() => {
                    setCategory(c.code);
                    choice.forgetTime();
                    setMatter('');
                  }} />
                <span>{named(c.name)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {category && (
          <DayAndSlot catalog={catalog} choice={choice} />
        )}
        {category && (
          <div class="field">
            <label for={fieldId('matter')}>
              {t('book.matter')}
              <span class="optional">{t('form.optional')}</span>
            </label>
            <select id={fieldId('matter')} value={matter} onChange={(e) => setMatter(e.currentTarget.value)}>
              <option value="">{t('book.anyMatter')}</option>
              {catalog.matters
                .filter((m) => m.category === category)
                .map((m) => (
                  <option key={m.code} value={m.code}>
                    {named(m.name)}
                  </option>
                ))}
            </select>
          </div>
        )}
        <SubmitButton busy={busy}>{t('book.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
