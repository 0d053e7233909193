// 我的窗口 — a clerk's counter: which window's queue they call and the label of their counter (remembered
// in this browser), the ticket they are serving large on screen, and call next, recall, skip (过号) and
// done. The ticket being served is remembered too, so a reload keeps the counter where it was. The queue's
// waiting count and next numbers come from the hall display's answer, which every screen polls anyway.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import type { Catalog, DisplayAnswer, TicketAnswer } from '../api/types.ts';
import { loadCatalog } from '../catalog.ts';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { named } from '../format.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { st } from './i18n.ts';
import { staffSession } from './session.ts';

type Serving = { id: string; ticket: string; window: string; name?: string };
const SETTINGS_KEY = 'sc.staff.window';
const SERVING_KEY = 'sc.staff.serving';
const QUEUE_POLL_MS = 5_000;

const remembered = <T,>(key: string): T | undefined => {
  const text = localStorage.getItem(key);
  return text ? (JSON.parse(text) as T) : undefined;
};
const remember = (key: string, value: unknown) => (value === undefined ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value)));

export function WindowPage() {
  const catalog = useLoad(loadCatalog, []);
  if (!catalog.data) return catalog.error ? <ProblemMessage error={catalog.error} /> : <Loading />;
  return <WindowConsole catalog={catalog.data} />;
}

function WindowConsole({ catalog }: { catalog: Catalog }) {
  const session = staffSession()!;
  const categories = catalog.categories.filter((c) => session.categories.length === 0 || session.categories.includes(c.code));
  const [settings, setSettings] = useState(() => remembered<{ category: string; window: string }>(SETTINGS_KEY) ?? { category: categories[0]!.code, window: '1' });
  const [serving, setServing] = useState<Serving | undefined>(() => remembered<Serving>(`${SERVING_KEY}.${session.userId}`));
  const [message, setMessage] = useState<string>();
  const [busy, error, run, setError] = useAction();
  const [queue, setQueue] = useState<DisplayAnswer['categories'][number]>();

  const serve = (s: Serving | undefined) => {
    setServing(s);
    remember(`${SERVING_KEY}.${session.userId}`, s);
  };
  useEffect(() => remember(SETTINGS_KEY, settings), [settings]);
  useEffect(() => {
    if (!session.centre) return;
    let stopped = false;
    const poll = () =>
      call('GET /display', { query: { centre: session.centre! } }).then(
        (display) => !stopped && setQueue(display.categories.find((c) => c.category === settings.category)),
        () => undefined,
      );
    void poll();
    const timer = setInterval(poll, QUEUE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [settings.category, serving?.id]);

  const act = async (action: () => Promise<void>) => {
    setMessage(undefined);
    await run(action, (e) => {
      if (e instanceof ApiProblem && e.code === 'queue_empty') setMessage(st('window.queueEmpty'));
      else setError(e);
    });
  };
  const callNext = () =>
    act(async () => {
      const called = await call('POST /windows/{category}/call-next', { params: { category: settings.category as TicketAnswer['category'] }, body: { window: settings.window } });
      serve({ id: called.id, ticket: called.ticket, window: called.window, ...(called.name ? { name: called.name } : {}) });
    });
  const onServing = (route: 'POST /tickets/{id}/recall' | 'POST /tickets/{id}/skip' | 'POST /tickets/{id}/done', after: (t: TicketAnswer) => void) =>
    act(async () => {
      if (!serving) return;
      try {
        after(await call(route, { params: { id: serving.id } }));
      } catch (e) {
        // Already finished elsewhere (or by the next call): the counter is free.
        if (e instanceof ApiProblem && (e.code === 'invalid_state' || e.code === 'not_found')) serve(undefined);
        throw e;
      }
    });

  const categoryName = named(catalog.categories.find((c) => c.code === settings.category)!.name);
  return (
    <Page title={st('window.title')}>
      <form class="inline-form window-settings" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="window-category">{st('window.category')}</label>
          <select id="window-category" value={settings.category} onChange={(event) => setSettings((s) => ({ ...s, category: event.currentTarget.value }))}>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {named(c.name)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="window-label">{st('window.label')}</label>
          <input
            id="window-label"
            value={settings.window}
            maxLength={8}
            pattern="[A-Za-z0-9-]{1,8}"
            onInput={(event) => setSettings((s) => ({ ...s, window: event.currentTarget.value }))}
          />
        </div>
      </form>
      <section class="now-serving" aria-labelledby="serving-title" aria-live="polite">
        <h2 id="serving-title">{st('window.serving', { category: categoryName, window: serving?.window ?? settings.window })}</h2>
        {serving ? (
          <p class="serving-ticket">
            <span class="serving-number">{serving.ticket}</span>
            {serving.name && <span class="serving-name">{serving.name}</span>}
          </p>
        ) : (
          <p class="serving-idle">{st('window.idle')}</p>
        )}
      </section>
      <div class="window-buttons">
        <button type="button" class="button primary big" disabled={busy} onClick={callNext}>
          {st('window.callNext')}
        </button>
        <button type="button" class="button big" disabled={busy || !serving} onClick={() => onServing('POST /tickets/{id}/recall', () => setMessage(st('window.recalled')))}>
          {st('window.recall')}
        </button>
        <button type="button" class="button big" disabled={busy || !serving} onClick={() => onServing('POST /tickets/{id}/skip', () => (serve(undefined), setMessage(st('window.skipped'))))}>
          {st('window.skip')}
        </button>
        <button type="button" class="button big" disabled={busy || !serving} onClick={() => onServing('POST /tickets/{id}/done', () => (serve(undefined), setMessage(st('window.finished'))))}>
          {st('window.done')}
        </button>
      </div>
      {message && (
        <p class="callout" role="status">
          {message}
        </p>
      )}
      <ProblemMessage error={error} />
      {queue && (
        <p class="queue-summary">
          {st('window.waiting', { count: queue.waiting })}
          {queue.next.length > 0 && ` · ${st('window.next', { tickets: queue.next.join('、') })}`}
        </p>
      )}
    </Page>
  );
}
