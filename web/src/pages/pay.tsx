// 缴费: pay one bill in full (POST /bills/{id}/pay) with WeChat Pay or Alipay. The Idempotency-Key is made
// at the first attempt and kept for every retry, so a payment that timed out or went offline is retried
// without paying twice. Pending in the wallet (202): on a PC its QR code (with the link the code holds, which
// opens the wallet app on the device itself); on a phone the wallet's page in this same tab, which sends the
// resident back here. Then the receipt, once the provider's notification has marked it paid (payment.ts
// polls GET /payments/{id}). The simulated provider's 201 is the receipt at once. The pending payment's id is
// kept in the address (?payment=), so a reload, the wallet's way back or the back button finds it again.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import type { PaymentView } from '../api/types.ts';
import { SubmitButton } from '../components/form.tsx';
import { LazyQrCode } from '../components/lazy-qr-code.tsx';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { businessDate, instant, yuan } from '../format.ts';
import { t, textOf } from '../i18n.ts';
import { submissionKeys } from '../idempotency.ts';
import { hrefOf } from '../page-paths.ts';
import { payBill, payChannelHere, paymentOfBill, waitUntilSettled, type PaymentState, type PayMethod, type PendingPayment } from '../payment.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';

const METHODS: PayMethod[] = ['wechat', 'alipay'];
const SETTLE_POLL_MS = 2000;

/** v1 has no GET /bills/{id}: the resident's unpaid bills hold it. */
async function unpaidBill(id: string) {
  const page = await call('GET /bills', { query: { status: 'unpaid', limit: '100' } });
  return page.items.find((bill) => bill.id === id);
}

type UnpaidBill = NonNullable<Awaited<ReturnType<typeof unpaidBill>>>;

/** The address names the payment the page shows, so that a reload finds it again; anything else the wallet
 *  added on its way back (Alipay's signed summary, which proves nothing) is dropped from it. */
function showInAddress(billId: string, paymentId: string | undefined) {
  history.replaceState(history.state, '', hrefOf('pay', { id: billId }, paymentId ? { payment: paymentId } : {}));
}

function Receipt({ receipt }: { receipt: PaymentView }) {
  return (
    <section class="receipt" aria-labelledby="receipt">
      <h2 id="receipt">{t('pay.receipt')}</h2>
      <dl class="facts">
        <dt>{t('pay.receiptNo')}</dt>
        <dd>{receipt.receiptNo}</dd>
        <dt>{t('pay.amount')}</dt>
        <dd>{yuan(receipt.amount)}</dd>
        <dt>{t('pay.paidAt')}</dt>
        <dd>{instant(receipt.paidAt)}</dd>
      </dl>
      <p>
        <Link href={hrefOf('bills', {}, { status: 'paid' })}>{t('pay.paidBills')}</Link>
      </p>
    </section>
  );
}

function PayInWallet({ payment, onSettled }: { payment: PendingPayment; onSettled: (receipt: PaymentView | undefined) => void }) {
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => {
    const stop = new AbortController();
    waitUntilSettled(payment.paymentId, SETTLE_POLL_MS, stop.signal).then(
      (settled) => settled && onSettled(settled.status === 'paid' ? settled.receipt : undefined),
      setProblem,
    );
    return () => stop.abort();
  }, [payment.paymentId]);
  const method = payment.method;
  return (
    <section aria-labelledby="in-wallet">
      <h2 id="in-wallet">{t('pay.inWallet', { method: textOf(`method.${method}`) })}</h2>
      {payment.codeUrl && (
        <>
          <LazyQrCode text={payment.codeUrl} label={t('pay.scan', { method: textOf(`method.${method}`) })} />
          {/* On the phone itself the code's link opens the wallet app; this page keeps waiting for the payment. */}
          <p>
            <a href={payment.codeUrl} class="button" target="_blank" rel="noopener">
              {t('pay.openWallet', { method: textOf(`method.${method}`) })}
            </a>
          </p>
        </>
      )}
      {payment.redirectUrl && (
        <>
          <p>{t('pay.leaveForWallet', { method: textOf(`method.${method}`) })}</p>
          <p>
            <a href={payment.redirectUrl} class="button primary">
              {t('pay.openWallet', { method: textOf(`method.${method}`) })}
            </a>
          </p>
        </>
      )}
      <p role="status">{t('pay.waiting')}</p>
      <ProblemMessage error={problem} />
    </section>
  );
}

export function PayPage({ billId, paymentId }: { billId: string; paymentId?: string }) {
  const start = useLoad(() => Promise.all([unpaidBill(billId), paymentId ? paymentOfBill(billId, paymentId) : undefined]), [billId, paymentId]);
  useEffect(() => {
    if (paymentId && start.data) showInAddress(billId, start.data[1] ? paymentId : undefined);
  }, [start.data]);

  if (start.loading) return <Page title={t('pay.title')}><Loading /></Page>;
  const [bill, resumed] = start.data ?? [];
  // A paid bill is no longer among the unpaid ones: the payment the address names is its receipt.
  if (resumed?.status === 'paid') return <Page title={t('pay.done')}><Receipt receipt={resumed.receipt} /></Page>;
  if (!bill) {
    return (
      <Page title={t('pay.title')}>
        <ProblemMessage error={start.error} />
        {!start.error && <p>{t('pay.notUnpaid')}</p>}
        <p>
          <Link href={hrefOf('bills')}>{t('nav.bills')}</Link>
        </p>
      </Page>
    );
  }
  return <PayBill bill={bill} resumed={resumed} />;
}

function PayBill({ bill, resumed }: { bill: UnpaidBill; resumed: PaymentState | undefined }) {
  const { id: billId, amount, kind, period, dueDate } = bill;
  const [method, setMethod] = useState<PayMethod>('wechat');
  const [busy, problem, run, setProblem] = useAction(resumed?.status === 'closed' ? t('pay.closed') : undefined);
  const [pending, setPending] = useState<PendingPayment | undefined>(resumed?.status === 'pending' ? resumed.payment : undefined);
  const [receipt, setReceipt] = useState<PaymentView>();
  const [keys] = useState(submissionKeys);

  if (receipt) return <Page title={t('pay.done')}><Receipt receipt={receipt} /></Page>;

  const submit = async (event: Event) => {
    event.preventDefault();
    const channel = payChannelHere();
    await run(async () => {
      const outcome = await payBill(billId, amount, method, channel, keys.keyFor({ billId, amount, method, channel }));
      keys.succeeded();
      if (outcome.kind === 'paid') return setReceipt(outcome.receipt);
      showInAddress(billId, outcome.payment.paymentId);
      setPending(outcome.payment);
    });
  };

  return (
    <Page title={t('pay.title')}>
      <dl class="facts">
        <dt>{t('pay.bill')}</dt>
        <dd>{t('bills.billOf', { kind: textOf(`bill.${kind}`), period })}</dd>
        <dt>{t('pay.amount')}</dt>
        <dd class="amount">{yuan(amount)}</dd>
        <dt>{t('pay.dueDate')}</dt>
        <dd>{businessDate(dueDate)}</dd>
      </dl>
      <ProblemMessage error={problem} />
      {problem instanceof ApiProblem && problem.code === 'already_paid' && (
        <p>
          <Link href={hrefOf('bills', {}, { status: 'paid' })}>{t('pay.paidBills')}</Link>
        </p>
      )}
      {pending ? (
        <PayInWallet
          payment={pending}
          onSettled={(paid) => {
            if (paid) return setReceipt(paid);
            // Closed unpaid (expired in the wallet): the resident may start again, with a new key.
            setPending(undefined);
            setProblem(t('pay.closed'));
          }}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <fieldset>
            <legend>{t('pay.method')}</legend>
            <div class="radios">
              {METHODS.map((m) => (
                <label key={m} class="radio">
                  <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                  <span>{textOf(`method.${m}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <SubmitButton busy={busy}>{t('pay.submit', { amount: yuan(amount) })}</SubmitButton>
        </form>
      )}
    </Page>
  );
}
