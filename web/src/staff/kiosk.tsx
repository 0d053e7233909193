// 取号机 — the hall's ticket machine, touch-first: large tiles, one per window the centre has; a resident
// may first swipe their ID card (the reader types 18 characters and Enter) so the ticket is theirs (their
// masked name on the hall screen, the near-turn SMS). The number is printed on the 58 mm thermal printer
// (print CSS in staff.css sizes the slip), and the machine returns to its start a little later. It runs
// on a staff sign-in (POST /tickets is a staff route); a double tap gives one number (Idempotency-Key).

import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Catalog, TicketAnswer } from '../api/types.ts';
import { loadCatalog } from '../catalog.ts';
import { Loading } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { instant, named } from '../format.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { st } from './i18n.ts';

/** How long the printed number stays on screen before the machine is ready for the next person. */
const RESET_MS = 15_000;

export function KioskPage({ centre }: { centre: string }) {
  const catalog = useLoad(loadCatalog, []);
  useEffect(() => {
    document.title = st('kiosk.title');
  }, []);
  return (
    <main id="main" class="kiosk">
      {catalog.error ? <ProblemMessage error={catalog.error} /> : !catalog.data ? <Loading /> : <Kiosk centre={centre} catalog={catalog.data} />}
    </main>
  );
}

function Kiosk({ centre, catalog }: { centre: string; catalog: Catalog }) {
  const hall = catalog.centres.find((c) => c.code === centre);
  const [idNumber, setIdNumber] = useState('');
  const [resident, setResident] = useState<{ userId: string; name: string }>();
  const [ticket, setTicket] = useState<TicketAnswer>();
  const [busy, error, run, setError] = useAction();
  const tapKey = useRef<string>();
  useEffect(() => {
    if (!ticket) return;
    const print = setTimeout(() => window.print(), 100);
    const reset = setTimeout(() => {
      setTicket(undefined);
      setResident(undefined);
    }, RESET_MS);
    return () => {
      clearTimeout(print);
      clearTimeout(reset);
    };
  }, [ticket?.id]);
  if (!hall) return <h1>{st('kiosk.noCentre')}</h1>;
  const windows = catalog.categories.filter((c) => ((hall.windows as Record<string, number>)[c.code] ?? 0) > 0);
  const take = async (category: string) => {
    tapKey.current ??= crypto.randomUUID();
    await run(async () => {
      setTicket(await call('POST /tickets', { body: { category: category as TicketAnswer['category'], ...(resident ? { userId: resident.userId } : {}) }, idempotencyKey: `${tapKey.current}-${category}` }));
      tapKey.current = undefined;
    });
  };
  if (ticket) {
    const category = catalog.categories.find((c) => c.code === ticket.category)!;
    return (
      <>
        <h1 class="kiosk-screen-only">{st('kiosk.printed')}</h1>
        <div class="kiosk-ticket" role="status">
          <p class="kiosk-ticket-centre">{named(hall.name)}</p>
          <p class="kiosk-ticket-window">{named(category.name)}</p>
          <p class="kiosk-ticket-number">{ticket.ticket}</p>
          <p class="kiosk-ticket-ahead">{st('kiosk.ahead', { ahead: ticket.ahead ?? 0 })}</p>
          {ticket.name && <p class="kiosk-ticket-name">{ticket.name}</p>}
          <p class="kiosk-ticket-time">{instant(ticket.issuedAt)}</p>
          <p class="kiosk-ticket-hint">{st('kiosk.hint')}</p>
        </div>
        <button type="button" class="button kiosk-screen-only kiosk-again" onClick={() => (setTicket(undefined), setResident(undefined))}>
          {st('kiosk.again')}
        </button>
      </>
    );
  }
  return (
    <>
      <h1>{st('kiosk.heading', { centre: named(hall.name) })}</h1>
      <form
        class="kiosk-swipe"
        onSubmit={async (event) => {
          event.preventDefault();
          const number = idNumber.trim().toUpperCase();
          setIdNumber('');
          if (!number) return;
          setError(undefined);
          try {
            const found = await call('GET /residents', { query: { idNumber: number } });
            setResident({ userId: found.userId, name: found.name });
          } catch (e) {
            setError(e);
          }
        }}
      >
        <label for="kiosk-id">{resident ? st('kiosk.swiped', { name: resident.name }) : st('kiosk.swipe')}</label>
        <input id="kiosk-id" value={idNumber} maxLength={18} autocomplete="off" onInput={(event) => setIdNumber(event.currentTarget.value)} />
      </form>
      <ProblemMessage error={error} />
      <ul class="kiosk-windows">
        {windows.map((c) => (
          <li key={c.code}>
            <button type="button" class="kiosk-window" disabled={busy} onClick={() => void take(c.code)}>
              {named(c.name)}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
