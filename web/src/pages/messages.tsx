// 我的消息: everything the platform sent the resident, newest first (GET /me/messages), with its channel and
// whether it arrived; and the settings page (GET|PUT /me/preferences): for each kind of message the resident
// may choose, an SMS or the inbox only. Case results, appointment changes and emergencies always come by SMS,
// and a non-urgent SMS waits through the quiet hours (shared/domain/messages.ts), which the page says.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Responses } from '../api/types.ts';
import { SubmitButton } from '../components/form.tsx';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { instant } from '../format.ts';
import { t, textOf } from '../i18n.ts';
import { hrefOf } from '../page-paths.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { MESSAGE_CHANNELS, QUIET_HOURS } from '../../../shared/domain/messages.ts';

type Message = Responses['GET /me/messages']['items'][number];
type Preferences = Omit<Responses['GET /me/preferences'], 'updatedAt'>;

const KINDS = ['billReminders', 'receipts', 'appointmentReminders', 'communityNotices'] as const;
const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

function MessageCard({ m }: { m: Message }) {
  return (
    <li class="card">
      <p>
        <span class="badge">{textOf(`channel.${m.channel}`)}</span> <span class={`badge badge-${m.status}`}>{textOf(`messageStatus.${m.status}`)}</span>
      </p>
      <p lang="zh-CN">{m.text}</p>
      <p class="hint">
        {instant(m.createdAt)}
        {m.heldUntil && m.status === 'queued' ? ` · ${t('messages.heldUntil', { at: instant(m.heldUntil) })}` : ''}
      </p>
    </li>
  );
}

export function MessagesPage() {
  const [pages, setPages] = useState<Message[][]>([]);
  const [cursor, setCursor] = useState<string | null>();
  const [busy, problem, run] = useAction();
  const more = (from?: string) =>
    run(async () => {
      const page = await call('GET /me/messages', { query: { limit: '20', ...(from ? { cursor: from } : {}) } });
      setPages((p) => [...p, page.items]);
      setCursor(page.nextCursor);
    });
  useEffect(() => void more(), []);
  const messages = pages.flat();
  return (
    <Page title={t('messages.title')}>
      <p>
        <Link href={hrefOf('preferences')}>{t('messages.settings')}</Link>
      </p>
      <ProblemMessage error={problem} />
      {cursor === undefined && busy && <Loading />}
      {cursor !== undefined && messages.length === 0 && <p>{t('messages.none')}</p>}
      <ul class="list">
        {messages.map((m) => (
          <MessageCard key={m.id} m={m} />
        ))}
      </ul>
      {cursor && (
        <p>
          <button type="button" class="button" disabled={busy} onClick={() => void more(cursor)}>
            {t('messages.more')}
          </button>
        </p>
      )}
    </Page>
  );
}

export function PreferencesPage() {
  const loaded = useLoad(() => call('GET /me/preferences'), []);
  const [choices, setChoices] = useState<Preferences>();
  const [busy, problem, run] = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setChoices({ billReminders: loaded.data.billReminders, receipts: loaded.data.receipts, appointmentReminders: loaded.data.appointmentReminders, communityNotices: loaded.data.communityNotices });
  }, [loaded.data]);

  if (loaded.loading) return <Page title={t('preferences.title')}><Loading /></Page>;
  if (!choices) return <Page title={t('preferences.title')}><ProblemMessage error={loaded.error} /></Page>;

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      await call('PUT /me/preferences', { body: choices });
      setSaved(true);
    });
  };

  return (
    <Page title={t('preferences.title')}>
      <p class="lead">{t('preferences.lead')}</p>
      <p class="callout">{t('preferences.quietHours', { from: hour(QUIET_HOURS.fromHour), until: hour(QUIET_HOURS.untilHour) })}</p>
      <ProblemMessage error={problem} />
      {saved && (
        <p class="success" role="status">
          {t('preferences.saved')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {KINDS.map((kind) => (
          <fieldset key={kind}>
            <legend>{textOf(`preferences.${kind}`)}</legend>
            <div class="radios">
              {MESSAGE_CHANNELS.map((channel) => (
                <label key={channel} class="radio">
                  <input
                    type="radio"
                    name={kind}
                    value={channel}
                    checked={choices[kind] === channel}
                    onChange={() => {
                      setChoices((c) => c && { ...c, [kind]: channel });
                      setSaved(false);
                    }}
                  />
                  <span>{textOf(`preferences.channel.${channel}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <SubmitButton busy={busy}>{t('preferences.save')}</SubmitButton>
      </form>
      <p>
        <Link href={hrefOf('messages')}>{t('preferences.back')}</Link>
      </p>
    </Page>
  );
}
