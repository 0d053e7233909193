// 通办通理 — the counter console. The clerk swipes the resident's ID card (the reader types the 18
// characters and Enter into the focused field, as a keyboard would) or types the number; the console shows
// who they serve (masked), their open cases, results waiting to be collected, today's appointments and
// queue tickets. From here the clerk declares a matter for them with the papers scanned at the counter,
// gives them a number, checks in their appointment and hands over a collected result. A walk-in nobody has
// registered yet is registered from the card they hold.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import type { BodyOf, Catalog, ResidentAtCounter, TicketAnswer } from '../api/types.ts';
import { loadCatalog, matterOf } from '../catalog.ts';
import { FileField } from '../components/file-field.tsx';
import { ErrorSummary, serverFieldErrors, SubmitButton, TextField, type FieldErrors } from '../components/form.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, named } from '../format.ts';
import { submissionKeys } from '../idempotency.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { idNumberProblem } from '../rules.ts';
import { st } from './i18n.ts';
import { staffSession } from './session.ts';
import { uploadFile } from '../upload.ts';

type Declaration = BodyOf<'POST /residents/{userId}/cases'>;

export function CounterPage() {
  const catalog = useLoad(loadCatalog, []);
  const [idNumber, setIdNumber] = useState('');
  const [swiped, setSwiped] = useState<string>();
  const [resident, setResident] = useState<ResidentAtCounter>();
  const [unknown, setUnknown] = useState(false);
  const [busy, error, run, setError] = useAction();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);

  const find = async (number: string) => {
    setUnknown(false);
    await run(async () => {
      setResident(await call('GET /residents', { query: { idNumber: number } }));
      setSwiped(number);
    }, (e) => {
      setResident(undefined);
      if (e instanceof ApiProblem && e.code === 'not_found') {
        setUnknown(true);
        setSwiped(number);
      } else setError(e);
    });
  };
  const refresh = () => swiped && find(swiped);
  const problem = idNumber.length === 18 ? idNumberProblem(idNumber.toUpperCase()) : undefined;

  return (
    <Page title={st('counter.title')}>
      <form
        class="inline-form swipe"
        onSubmit={(event) => {
          event.preventDefault();
          const number = idNumber.trim().toUpperCase();
          setIdNumber('');
          if (number) void find(number);
        }}
      >
        <div class="field">
          <label for="swipe-id">{st('counter.idNumber')}</label>
          <p class="hint" id="swipe-id-hint">
            {st('counter.idNumberHint')}
          </p>
          {problem && (
            <p class="field-error" id="swipe-id-error">
              {problem}
            </p>
          )}
          <input
            id="swipe-id"
            ref={field}
            value={idNumber}
            maxLength={18}
            autocomplete="off"
            spellcheck={false}
            aria-describedby={problem ? 'swipe-id-hint swipe-id-error' : 'swipe-id-hint'}
            onInput={(event) => setIdNumber(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button primary" disabled={busy}>
          {st('counter.find')}
        </button>
      </form>
      <ProblemMessage error={error} />
      {busy && <Loading />}
      {unknown && swiped && <WalkInForm idNumber={swiped} onRegistered={() => void find(swiped)} />}
      {resident && catalog.data && <ResidentAtCounterView resident={resident} catalog={catalog.data} onChange={refresh} />}
    </Page>
  );
}

function WalkInForm({ idNumber, onRegistered }: { idNumber: string; onRegistered: () => void }) {
  const [values, setValues] = useState({ name: '', phone: '', community: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, error, run, setError] = useAction();
  const set = (name: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const labels = { name: st('walkIn.name'), phone: st('walkIn.phone'), community: st('walkIn.community') };
  return (
    <section class="card" aria-labelledby="walk-in-title">
      <h2 id="walk-in-title">{st('walkIn.title')}</h2>
      <p>{st('walkIn.intro')}</p>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await run(async () => {
            await call('POST /residents', { body: { ...values, idNumber } });
            onRegistered();
          }, (e) => {
            setErrors(serverFieldErrors(e));
            setError(e);
          });
        }}
      >
        <ErrorSummary errors={errors} labels={labels} />
        <TextField name="name" label={labels.name} value={values.name} onValue={set('name')} error={errors.name} required autocomplete="off" />
        <TextField name="phone" label={labels.phone} value={values.phone} onValue={set('phone')} error={errors.phone} required inputMode="tel" autocomplete="off" />
        <TextField name="community" label={labels.community} value={values.community} onValue={set('community')} error={errors.community} required />
        {Object.keys(errors).length === 0 && <ProblemMessage error={error} />}
        <SubmitButton busy={busy}>{st('walkIn.submit')}</SubmitButton>
      </form>
    </section>
  );
}

function ResidentAtCounterView({ resident, catalog, onChange }: { resident: ResidentAtCounter; catalog: Catalog; onChange: () => void }) {
  const matterName = (code: string) => {
    const m = matterOf(catalog, code);
    return m ? named(m.name) : code;
  };
  const categoryName = (code: string) => named(catalog.categories.find((c) => c.code === code)!.name);
  return (
    <>
      <section class="card resident-card" aria-labelledby="resident-name">
        <h2 id="resident-name">{resident.name}</h2>
        <dl class="facts">
          <dt>{st('resident.idNumber')}</dt>
          <dd>{resident.idNumber}</dd>
          <dt>{st('resident.phone')}</dt>
          <dd>{resident.phone}</dd>
          <dt>{st('resident.community')}</dt>
          <dd>{resident.community}</dd>
          <dt>{st('resident.verification')}</dt>
          <dd>{resident.verification ? st(`verification.${resident.verification.method}`) : st('verification.none')}</dd>
        </dl>
      </section>
      <ActionRow resident={resident} catalog={catalog} onChange={onChange} />
      <CaseList title={st('resident.openCases')} id="open-cases" cases={resident.openCases} matterName={matterName} />
      <Listing id="awaiting-title" title={st('resident.awaitingCollection')} items={resident.awaitingCollection}>
        {(c) => (
          <>
            <span class="case-id">{c.id}</span> {matterName(c.matter)}{' '}
            <ActionButton label={st('resident.handOver')} run={() => call('POST /cases/{id}/collect', { params: { id: c.id } })} onDone={onChange} />
          </>
        )}
      </Listing>
      <Listing id="appointments-title" title={st('resident.todaysAppointments')} items={resident.todaysAppointments}>
        {(a) => (
          <>
            <strong>{a.ticket}</strong> {categoryName(a.category)} {a.time} <StatusBadge kind="appointment" status={a.status} />{' '}
            {a.status === 'booked' && (
              <ActionButton label={st('resident.checkIn')} run={() => call('POST /appointments/{id}/check-in', { params: { id: a.id } })} onDone={onChange} />
            )}
          </>
        )}
      </Listing>
      <Listing id="tickets-title" title={st('resident.todaysTickets')} items={resident.todaysTickets}>
        {(t) => (
          <>
            <strong>{t.ticket}</strong> {categoryName(t.category)} {st(`ticket.${t.status}`)}
            {t.window ? ` · ${st('ticket.window', { window: t.window })}` : ''}
          </>
        )}
      </Listing>
      <CaseList title={st('resident.recentlyDecided')} id="recent-cases" cases={resident.recentlyDecided} matterName={matterName} />
    </>
  );
}

/** One list of the resident's day at the counter under its heading, or 无 when it is empty. */
function Listing<T extends { id: string }>({ id, title, items, children }: { id: string; title: string; items: T[]; children: (item: T) => ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? (
        <p>{st('resident.none')}</p>
      ) : (
        <ul class="list">
          {items.map((item) => (
            <li key={item.id}>{children(item)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CaseList({ title, id, cases, matterName }: { title: string; id: string; cases: ResidentAtCounter['openCases']; matterName: (code: string) => string }) {
  return (
    <Listing id={id} title={title} items={cases}>
      {(c) => (
        <>
          <span class="case-id">{c.id}</span> {matterName(c.matter)} <StatusBadge kind="case" status={c.status} />
          {c.dueDate && ` · ${st('case.due', { date: businessDate(c.dueDate) })}`}
        </>
      )}
    </Listing>
  );
}

function ActionButton({ label, run, onDone }: { label: string; run: () => Promise<unknown>; onDone: () => void }) {
  const [busy, error, act] = useAction();
  return (
    <>
      <button
        type="button"
        class="button"
        disabled={busy}
        onClick={() =>
          act(async () => {
            await run();
            onDone();
          })
        }
      >
        {label}
      </button>
      <ProblemMessage error={error} />
    </>
  );
}

/** Declaring a matter and giving a number: the two things a walk-in comes for. */
function ActionRow({ resident, catalog, onChange }: { resident: ResidentAtCounter; catalog: Catalog; onChange: () => void }) {
  return (
    <div class="counter-actions">
      <DeclareForm resident={resident} catalog={catalog} onDeclared={onChange} />
      <TicketForm resident={resident} catalog={catalog} onIssued={onChange} />
    </div>
  );
}

function DeclareForm({ resident, catalog, onDeclared }: { resident: ResidentAtCounter; catalog: Catalog; onDeclared: () => void }) {
  const [matter, setMatter] = useState('');
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [note, setNote] = useState('');
  const [busy, error, run, setError] = useAction();
  const [declared, setDeclared] = useState<{ id: string; status: string }>();
  const [keys] = useState(submissionKeys);
  const chosen = matterOf(catalog, matter);
  return (
    <section class="card" aria-labelledby="declare-title">
      <h2 id="declare-title">{st('declare.title')}</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!chosen) return setError(st('declare.pickMatter'));
          await run(async () => {
            const materials: { type: string; uploadId: string }[] = [];
            for (const m of chosen.materials) {
              const file = files[m.code];
              if (file) materials.push({ type: m.code, uploadId: await uploadFile(file, resident.userId) });
            }
            const body: Declaration = { matter: chosen.code as Declaration['matter'], materials, ...(note.trim() ? { note: note.trim() } : {}) };
            const created = await call('POST /residents/{userId}/cases', { params: { userId: resident.userId }, body, idempotencyKey: keys.keyFor([resident.userId, body]) });
            keys.succeeded();
            setDeclared({ id: created.id, status: created.status });
            setFiles({});
            setNote('');
            onDeclared();
          });
        }}
      >
        <div class="field">
          <label for="declare-matter">{st('declare.matter')}</label>
          <select id="declare-matter" value={matter} onChange={(event) => setMatter(event.currentTarget.value)}>
            <option value="">{st('declare.pickMatter')}</option>
            {catalog.categories.map((category) => (
              <optgroup key={category.code} label={named(category.name)}>
                {catalog.matters
                  .filter((m) => m.category === category.code)
                  .map((m) => (
                    <option key={m.code} value={m.code}>
                      {named(m.name)}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        {chosen?.materials.map((m) => (
          <FileField key={m.code} name={`material-${m.code}`} label={named(m.name)} file={files[m.code]} onFile={(file) => setFiles((f) => ({ ...f, [m.code]: file }))} />
        ))}
        {chosen && (
          <div class="field">
            <label for="declare-note">
              {st('declare.note')}
              <span class="optional">{st('form.optional')}</span>
            </label>
            <textarea id="declare-note" value={note} maxLength={500} onInput={(event) => setNote(event.currentTarget.value)} />
          </div>
        )}
        <ProblemMessage error={error} />
        <SubmitButton busy={busy}>{st('declare.submit')}</SubmitButton>
      </form>
      {declared && (
        <p class="success" role="status">
          {st('declare.done', { id: declared.id })} <StatusBadge kind="case" status={declared.status} />
        </p>
      )}
    </section>
  );
}

function TicketForm({ resident, catalog, onIssued }: { resident: ResidentAtCounter; catalog: Catalog; onIssued: () => void }) {
  const session = staffSession();
  const [category, setCategory] = useState(session?.categories[0] ?? catalog.categories[0]!.code);
  const [ticket, setTicket] = useState<TicketAnswer>();
  const [busy, error, run] = useAction();
  const [keys] = useState(submissionKeys);
  return (
    <section class="card" aria-labelledby="ticket-title">
      <h2 id="ticket-title">{st('issue.title')}</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await run(async () => {
            const body = { category: category as TicketAnswer['category'], userId: resident.userId };
            setTicket(await call('POST /tickets', { body, idempotencyKey: keys.keyFor(body) }));
            keys.succeeded();
            onIssued();
          });
        }}
      >
        <div class="field">
          <label for="ticket-category">{st('issue.category')}</label>
          <select id="ticket-category" value={category} onChange={(event) => setCategory(event.currentTarget.value)}>
            {catalog.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {named(c.name)}
              </option>
            ))}
          </select>
        </div>
        <ProblemMessage error={error} />
        <SubmitButton busy={busy}>{st('issue.submit')}</SubmitButton>
      </form>
      {ticket && (
        <p class="issued-ticket" role="status">
          {st('issue.done')} <strong class="ticket-number">{ticket.ticket}</strong> {st('issue.ahead', { ahead: ticket.ahead ?? 0 })}
        </p>
      )}
    </section>
  );
}
