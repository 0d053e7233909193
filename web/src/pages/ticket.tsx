// 预约凭证: the ticket number to show at the window, its QR code (the appointment id, which the counter
// looks up), moving it to another slot of the same window (POST /appointments/{id}/reschedule: one step,
// a new number), and cancelling (DELETE /appointments/{id}) with a second, inline confirmation instead of a
// pop-up.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Catalog } from '../api/types.ts';
import { loadCatalog, categoryOf, centreOf, matterOf } from '../catalog.ts';
import { ConfirmInline } from '../components/confirm-inline.tsx';
import { DayAndSlot, useDayAndSlot } from '../components/day-and-slot.tsx';
import { SubmitButton } from '../components/form.tsx';
import { LazyQrCode } from '../components/lazy-qr-code.tsx';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, named } from '../format.ts';
import { t } from '../i18n.ts';
import { submissionKeys } from '../idempotency.ts';
import { hrefOf } from '../page-paths.ts';
import { navigate } from '../router.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';

/** v1 has no GET /appointments/{id}: the resident's own list holds it (one page covers months of visits). */
async function ownAppointment(id: string) {
  const page = await call('GET /appointments', { query: { limit: '100' } });
  return page.items.find((a) => a.id === id);
}

/** 改约: another day and slot of the same centre's window; the answer is the new appointment, whose ticket opens. */
function MoveBooking({ appointment, catalog }: { appointment: { id: string; centre: string; category: string }; catalog: Catalog }) {
  const [busy, problem, run, setProblem] = useAction();
  const [keys] = useState(submissionKeys);
  const choice = useDayAndSlot(appointment.centre, appointment.category);
  const { date, time, slots } = choice;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!date || !time) {
      setProblem(t('ticket.chooseSlot'));
      return;
    }
    await run(async () => {
      const body = { date, time };
      const moved = await call('POST /appointments/{id}/reschedule', { params: { id: appointment.id }, body, idempotencyKey: keys.keyFor([appointment.id, body]) });
      keys.succeeded();
      navigate(hrefOf('ticket', { id: moved.id }));
    }, (error) => {
      setProblem(error);
      slots.reload();
    });
  };

  return (
    <details class="move-booking">
      <summary>{t('ticket.move')}</summary>
      <p>{t('ticket.moveLead')}</p>
      <ProblemMessage error={problem} />
      <form onSubmit={submit} noValidate>
        <DayAndSlot catalog={catalog} choice={choice} />
        <SubmitButton busy={busy}>{t('ticket.moveSubmit')}</SubmitButton>
      </form>
    </details>
  );
}

export function TicketPage({ id }: { id: string }) {
  const loaded = useLoad(() => Promise.all([ownAppointment(id), loadCatalog()]), [id]);
  const [busy, problem, run] = useAction();

  if (loaded.loading) return <Page title={t('ticket.title')}><Loading /></Page>;
  if (!loaded.data) return <Page title={t('ticket.title')}><ProblemMessage error={loaded.error} /></Page>;
  const [appointment, catalog] = loaded.data;
  if (!appointment) return <Page title={t('ticket.title')}><p>{t('ticket.notFound')}</p></Page>;
  const category = categoryOf(catalog, appointment.category);
  const matter = appointment.matter ? matterOf(catalog, appointment.matter) : undefined;
  const centre = centreOf(catalog, appointment.centre);

  const cancel = () =>
    run(async () => {
      await call('DELETE /appointments/{id}', { params: { id } });
      loaded.reload();
    });

  return (
    <Page title={t('ticket.title')}>
      <div class="ticket">
        <p class="ticket-label">{t('ticket.number')}</p>
        <p class="ticket-number">{appointment.ticket}</p>
        <dl class="facts">
          <dt>{t('ticket.centre')}</dt>
          <dd>
            {centre ? named(centre.name) : appointment.centre}
            {centre && (
              <span class="detail" lang="zh-CN">
                {centre.address}
              </span>
            )}
          </dd>
          <dt>{t('ticket.window')}</dt>
          <dd>{category ? named(category.name) : appointment.category}</dd>
          {matter && (
            <>
              <dt>{t('ticket.matter')}</dt>
              <dd>{named(matter.name)}</dd>
            </>
          )}
          <dt>{t('ticket.when')}</dt>
          <dd>
            {businessDate(appointment.date)} {appointment.time}
          </dd>
          <dt>{t('ticket.status')}</dt>
          <dd>
            <StatusBadge kind="appointment" status={appointment.status} />
          </dd>
        </dl>
        {appointment.status === 'booked' && <LazyQrCode text={appointment.id} label={t('ticket.qr', { ticket: appointment.ticket })} />}
        <p class="hint">{t('ticket.bring')}</p>
      </div>
      <ProblemMessage error={problem} />
      {appointment.status === 'booked' && <MoveBooking appointment={appointment} catalog={catalog} />}
      {appointment.status === 'booked' && (
        <ConfirmInline id="confirm-cancel" action={t('ticket.cancel')} question={t('ticket.confirmCancel')} yes={t('ticket.yesCancel')} no={t('ticket.keep')} busy={busy} onConfirm={cancel} />
      )}
      <p>
        <Link href={hrefOf('appointments')}>{t('ticket.all')}</Link>
      </p>
    </Page>
  );
}
