// Paying a bill: check it is the caller's, unpaid and the amount is right, then pay it one of two ways.
//   - A wallet (WeChat Pay, Alipay, wherever PAYMENT_PROVIDER offers it): the bill is locked to one pending order
//     at the provider and the client gets what it needs to pay (202). The money arrives later, by the provider's
//     signed notification or the reconciliation job's query. Any number of payers, with one Idempotency-Key or
//     many, share that one order; choosing another method or channel closes it at the provider first.
//   - The simulated provider (v1): charged at once under the bill's own reference, recorded in one conditional
//     transaction, receipt SMS (201). It charges every method without a wallet adapter here.

import { randomUUID } from 'node:crypto';
import { getBill, recordPayment } from '../../../shared/data/bills.ts';
import { getPayment, openOrder, savePayInstruction, unlockBill } from '../../../shared/data/payments.ts';
import { providerReferenceFor, receiptNumber, kindNameZh, periodForSms, yuan, type Bill, type Payment, type PaymentMethod } from '../../../shared/domain/bills.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { businessRule, conflict, notFound, paymentProviderFailed } from '../../../shared/domain/errors.ts';
import {
  DEFAULT_ORDER_SECONDS,
  DEFAULT_RECONCILE_AFTER_SECONDS,
  MAX_ORDER_ATTEMPTS,
  nextCheckAt,
  orderDeadline,
  paymentIdFor,
  WALLET_PROVIDER,
  type WalletPayment,
} from '../../../shared/domain/payments.ts';
import { secondsEnv } from '../../../shared/config.ts';
import { log } from '../../../shared/log.ts';
import { PaymentProviderError, type Charge } from '../../../shared/ports/payment-provider.ts';
import { paymentProvider } from '../../../shared/ports/payment-provider-from-env.ts';
import { WalletProviderError, type PayChannel, type WalletProvider } from '../../../shared/ports/wallet-provider.ts';
import { walletOf } from '../../../shared/ports/wallets-from-env.ts';
import { pendingPaymentView, paymentView } from '../../../shared/api/bills.ts';
import { closeUnpaidOrder, settleFromProvider } from '../../payments/lib/settle.ts';
import { notifyUrlOf } from '../../payments/lib/notify-url.ts';
import { sendReceipt } from '../../payments/lib/receipt.ts';
import { returnUrlOf } from './return-url.ts';

export type PayRequest = {
  billId: string;
  residentId: string;
  amount: number;
  method: PaymentMethod;
  channel?: PayChannel;
  openId?: string;
  clientIp: string;
  idempotencyKey: string;
};

export type PayAnswer = { status: 201; body: ReturnType<typeof paymentView> } | { status: 202; body: ReturnType<typeof pendingPaymentView> };

const ORDER_SECONDS = secondsEnv('PAYMENT_ORDER_SECONDS', DEFAULT_ORDER_SECONDS);
const RECONCILE_AFTER_SECONDS = secondsEnv('PAYMENT_RECONCILE_AFTER_SECONDS', DEFAULT_RECONCILE_AFTER_SECONDS);
/** Rounds of "someone else changed the bill, look again" before giving up with 409 payment_pending. */
const LOCK_ROUNDS = 4;

export async function payOwnBill(request: PayRequest): Promise<PayAnswer> {
  const bill = await payableBill(request);
  if (bill === 'replay') return { status: 201, body: paymentView((await getBill(request.billId))!.payment!) };
  const provider = request.method === 'wechat' || request.method === 'alipay' ? WALLET_PROVIDER[request.method] : undefined;
  const wallet = provider ? walletOf(provider) : undefined;
  if (wallet && provider) return { status: 202, body: await payByWallet(bill, request, provider, wallet) };
  if (paymentProvider) return { status: 201, body: await payBySimulator(bill, request) };
  throw businessRule(`Bills cannot be paid with ${request.method} here.`, [{ path: 'method', message: 'not offered by this deployment' }]);
}

/** The caller's unpaid bill, the amount checked; 'replay' when the caller's own key paid it (a lost answer). */
async function payableBill(request: PayRequest): Promise<Bill | 'replay'> {
  const bill = await getBill(request.billId);
  // Someone else's bill is 404, never 403: that would confirm it exists.
  if (!bill || bill.residentId !== request.residentId) throw notFound(`No bill ${request.billId}.`);
  if (bill.payment) {
    if (bill.payment.idempotencyKey === request.idempotencyKey) return 'replay';
    throw conflict('already_paid', `Bill ${bill.id} is paid already.`);
  }
  if (request.amount !== bill.amount) {
    const due = `${bill.amount} fen (¥${yuan(bill.amount)})`;
    throw businessRule(`Bill ${bill.id} is for ${due}; pay exactly that amount, in fen.`, [{ path: 'amount', message: `must be ${bill.amount}: the bill is for ${due}` }]);
  }
  return bill;
}

function checkChannel(request: PayRequest, provider: 'wechatpay' | 'alipay'): PayChannel {
  const channel = request.channel ?? 'qr';
  if (provider === 'alipay' && channel === 'jsapi') {
    throw businessRule('Alipay orders are paid by QR code or in the phone browser.', [{ path: 'channel', message: 'qr or h5 with alipay' }]);
  }
  if (channel === 'jsapi' && !request.openId) {
    throw businessRule("A JSAPI payment needs the payer's openid under the merchant's app.", [{ path: 'openId', message: 'required with channel jsapi' }]);
  }
  return channel;
}

async function payByWallet(first: Bill, request: PayRequest, provider: 'wechatpay' | 'alipay', wallet: WalletProvider) {
  const channel = checkChannel(request, provider);
  let bill: Bill | undefined = first;
  for (let round = 1; round <= LOCK_ROUNDS; round++) {
    if (round > 1) bill = await getBill(request.billId);
    if (!bill) throw notFound(`No bill ${request.billId}.`);
    if (bill.status === 'paid') throw conflict('already_paid', `Bill ${bill.id} is paid already.`);

    if (bill.pendingPayment) {
      const pending = await getPayment(bill.pendingPayment);
      if (pending?.status !== 'pending') {
        await unlockBill(bill.id, bill.pendingPayment);
        continue;
      }
      const sameChoice = pending.provider === provider && pending.channel === channel && pending.payerOpenId === request.openId;
      if (sameChoice && Date.parse(pending.expiresAt!) > Date.now()) return pendingPaymentView(await withInstruction(pending, wallet));
      // Another method or channel, or an order past its deadline: the provider closes it before a new one opens.
      const previous = walletOf(pending.provider);
      if (!previous) throw conflict('payment_pending', `Bill ${bill.id} has a ${pending.method} order pending until ${pending.expiresAt}.`);
      const outcome = await providerCall(() => closeUnpaidOrder(pending, previous));
      if (outcome === 'closed') continue;
      if (outcome === 'paid' || outcome === 'already' || outcome === 'paid_twice') throw conflict('already_paid', `Bill ${bill.id} is paid already.`);
      throw conflict('payment_pending', `Bill ${bill.id} has a ${pending.method} order the provider has not settled yet.`);
    }

    const attempts = bill.orderAttempts ?? 0;
    if (attempts >= MAX_ORDER_ATTEMPTS) {
      throw businessRule(`Bill ${bill.id} has had ${attempts} payment orders; ask the service centre.`, [{ path: 'method', message: 'no more orders for this bill' }]);
    }
    const now = Date.now();
    const payment: WalletPayment = {
      paymentId: paymentIdFor(bill.id, attempts + 1),
      billId: bill.id,
      residentId: bill.residentId,
      centre: bill.centre,
      provider,
      method: request.method,
      channel,
      amount: bill.amount,
      status: 'pending',
      createdAt: new Date(now).toISOString(),
      idempotencyKey: request.idempotencyKey,
      description: `${periodForSms(bill.period)}${kindNameZh(bill.kind)}`,
      expiresAt: orderDeadline(now, ORDER_SECONDS),
      merchantId: wallet.merchantId,
      ...(request.openId ? { payerOpenId: request.openId } : {}),
      ...(channel === 'h5' ? { clientIp: request.clientIp } : {}),
    };
    if (await openOrder(payment, attempts, nextCheckAt(now, payment.expiresAt!, RECONCILE_AFTER_SECONDS))) {
      return pendingPaymentView(await withInstruction(payment, wallet));
    }
  }
  throw conflict('payment_pending', `Bill ${request.billId} is being paid by another request; retry shortly.`);
}

/** The order's pay instruction: asked of the provider once, with exactly the same order on every retry. */
async function withInstruction(payment: WalletPayment, wallet: WalletProvider): Promise<WalletPayment> {
  if (payment.pay) return payment;
  const returnUrl = payment.channel === 'h5' ? returnUrlOf(payment.billId, payment.paymentId) : undefined;
  let pay;
  try {
    pay = await wallet.createOrder({
      reference: payment.paymentId,
      amount: payment.amount,
      description: payment.description!,
      channel: payment.channel!,
      expiresAt: payment.expiresAt!,
      notifyUrl: notifyUrlOf(payment.provider as 'wechatpay' | 'alipay'),
      ...(payment.payerOpenId ? { payerOpenId: payment.payerOpenId } : {}),
      ...(payment.clientIp ? { clientIp: payment.clientIp } : {}),
      ...(returnUrl ? { returnUrl } : {}),
    });
  } catch (error) {
    if (error instanceof WalletProviderError && error.code === 'ORDER_PAID') {
      await providerCall(() => settleFromProvider(payment, wallet));
      throw conflict('already_paid', `Bill ${payment.billId} is paid already.`);
    }
    throw providerFailure(error, payment.billId);
  }
  await savePayInstruction(payment.paymentId, pay);
  return { ...payment, pay };
}

async function providerCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw providerFailure(error, undefined);
  }
}

function providerFailure(error: unknown, billId: string | undefined): unknown {
  if (!(error instanceof WalletProviderError)) return error;
  log.warn('wallet provider failed', { billId, errorCode: error.code, retryable: error.retryable });
  return paymentProviderFailed(`The wallet provider did not answer (${error.code}); the bill is unpaid and no money moved. Retry with the same Idempotency-Key.`);
}

async function payBySimulator(bill: Bill, request: PayRequest) {
  if (bill.pendingPayment) throw conflict('payment_pending', `Bill ${bill.id} has a wallet order pending; pay that one or let it expire.`);
  const charge = await chargeFor(bill, request.method);
  const paidAt = new Date();
  const paymentId = `PAY-${randomUUID()}`;
  const payment: Payment = {
    paymentId,
    billId: bill.id,
    residentId: bill.residentId,
    amount: charge.amount,
    method: charge.method,
    chargeId: charge.chargeId,
    paidAt: paidAt.toISOString(),
    receiptNo: receiptNumber(shanghaiDate(paidAt), paymentId),
    idempotencyKey: request.idempotencyKey,
  };
  await recordPayment(payment, 'simulated', bill.centre);
  await sendReceipt(bill, payment);
  return paymentView(payment);
}

async function chargeFor(bill: Bill, method: PaymentMethod): Promise<Charge> {
  try {
    return await paymentProvider!.charge({
      reference: providerReferenceFor(bill.id),
      amount: bill.amount,
      method,
      description: `${periodForSms(bill.period)}${kindNameZh(bill.kind)}`,
    });
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error;
    log.warn('payment provider failed', { billId: bill.id, errorMessage: error.message });
    throw paymentProviderFailed(`The payment provider did not complete the charge; bill ${bill.id} is still unpaid. Retry with the same Idempotency-Key.`);
  }
}
