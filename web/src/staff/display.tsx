// 大厅显示屏 — the hall display of a centre on a 1920×1080 TV, read from across the hall: per window the
// numbers being served and at which counter, the next numbers and how many wait. It polls GET /display
// (public, cheap, cached 2 s); when a number is called (or recalled) it is highlighted and announced in
// Mandarin through the browser's speech synthesis (请S012号到3号窗口). When the network drops it keeps
// the last board, says since when, and retries with a growing pause; it resumes by itself. Browsers allow
// speech only after one gesture on the page, so the screen is started once with a tap (or set up with the
// browser's autoplay policy), and never needs another.

import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { DisplayAnswer } from '../api/types.ts';
import { announcement } from '../../../shared/domain/display.ts';
import { st } from './i18n.ts';

/** Polls while all is well: a call shows within a poll or two (the answer may be 2 s old). */
const POLL_MS = 3_000;
/** After a failed poll the pause doubles up to this. */
const MAX_BACKOFF_MS = 30_000;
/** Calls a section shows, the latest first: two stay readable at 5 m in a sixth of the screen. */
const SERVING_SHOWN = 2;
/** How long a new call stays highlighted. */
const HIGHLIGHT_MS = 12_000;

type Call = { ticket: string; window: string; announcedAt: string };
const callKey = (c: Call) => `${c.ticket}@${c.window}@${c.announcedAt}`;

function speak(text: string): void {
  if (!('speechSynthesis' in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

export function HallDisplay({ centre }: { centre: string }) {
  const [board, setBoard] = useState<DisplayAnswer>();
  const [receivedAt, setReceivedAt] = useState<Date>();
  const [offline, setOffline] = useState(false);
  const [started, setStarted] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const seen = useRef<Set<string> | undefined>(undefined);
  const voice = useRef(false);

  useEffect(() => {
    document.title = st('display.title');
    document.documentElement.classList.add('hall');
    let timer: ReturnType<typeof setTimeout>;
    let pause = POLL_MS;
    let stopped = false;
    const poll = async () => {
      try {
        const answer = await call('GET /display', { query: { centre } });
        if (stopped) return;
        const calls = answer.categories.flatMap((c) => c.serving);
        const known = seen.current;
        const news = known ? calls.filter((c) => !known.has(callKey(c))) : [];
        seen.current = new Set(calls.map(callKey));
        // Oldest first, as they were called.
        for (const c of [...news].sort((a, b) => a.announcedAt.localeCompare(b.announcedAt))) if (voice.current) speak(announcement(c.ticket, c.window));
        if (news.length > 0) {
          const keys = news.map(callKey);
          setFresh((f) => new Set([...f, ...keys]));
          setTimeout(() => setFresh((f) => new Set([...f].filter((k) => !keys.includes(k)))), HIGHLIGHT_MS);
        }
        setBoard(answer);
        setReceivedAt(new Date());
        setOffline(false);
        pause = POLL_MS;
      } catch {
        if (stopped) return;
        setOffline(true);
        pause = Math.min(pause * 2, MAX_BACKOFF_MS);
      }
      timer = setTimeout(poll, pause);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.documentElement.classList.remove('hall');
    };
  }, [centre]);

  const start = () => {
    voice.current = true;
    setStarted(true);
  };

  return (
    <main id="main" class="hall-display">
      <header class="hall-header">
        <h1>{board?.name ?? st('display.title')}</h1>
        {offline ? (
          <p class="hall-offline" role="status">
            {st('display.offline', { time: receivedAt ? receivedAt.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' }) : '—' })}
          </p>
        ) : (
          board && !board.open && <p class="hall-closed">{st('display.closed')}</p>
        )}
      </header>
      {!started && (
        <button type="button" class="hall-start" onClick={start}>
          {st('display.start')}
        </button>
      )}
      {board && (
        <div class="hall-sections">
          {board.categories.map((section) => (
            <section key={section.category} class="hall-section" aria-labelledby={`hall-${section.category}`}>
              <h2 id={`hall-${section.category}`}>{section.name}</h2>
              <ul class="hall-serving" aria-label={st('display.serving')}>
                {section.serving.length === 0 && <li class="hall-idle">{st('display.none')}</li>}
                {section.serving.slice(0, SERVING_SHOWN).map((s) => (
                  <li key={callKey(s)} class={fresh.has(callKey(s)) ? 'hall-call hall-fresh' : 'hall-call'}>
                    <span class="hall-ticket">{s.ticket}</span>
                    <span class="hall-window">{st('display.toWindow', { window: s.window })}</span>
                    {s.name && <span class="hall-name">{s.name}</span>}
                  </li>
                ))}
              </ul>
              <p class="hall-next">
                {st('display.next')}
                {section.next.length === 0 ? st('display.noneWaiting') : section.next.join('  ')}
              </p>
              <p class="hall-waiting">{st('display.waiting', { count: section.waiting })}</p>
            </section>
          ))}
        </div>
      )}
      <div class="hall-announcer" aria-live="assertive">
        {board?.categories
          .flatMap((c) => c.serving)
          .filter((s) => fresh.has(callKey(s)))
          .map((s) => announcement(s.ticket, s.window))
          .join('；')}
      </div>
    </main>
  );
}
