// Payments (one item per order at the provider), their refunds and alarms, and the bill's side of each step.
// Every step that can race is one conditional write or transaction:
//   - opening an order locks the bill to it (the bill names its one pending order) and writes the order,
//     so of any number of simultaneous payers one opens the attempt and the others find it;
//   - marking paid flips the bill unpaid → paid and the order pending|closed → paid, its amount and merchant
//     checked in the condition, and writes the bill's receipt: of five identical notifications one wins;
//   - closing an order happens only after the provider confirmed it, then the bill is unlocked;
//   - a refund reserves its amount on the payment (never more than was paid) as it is written.
//
//   payment  pk PAYMENT#<paymentId> / PAYMENT
//            gsi2 PAYMENTS#PENDING / <checkAt>#<paymentId>    (only while pending: the reconciliation's list)
//   refund   pk PAYMENT#<paymentId> / REFUND#<refundId>
//   alarm    pk PAYMENT#<paymentId> / ALARM#<kind>
//            gsi1 PAYMENT-ALARMS#<centre> / <raisedAt>#<paymentId>#<kind>

import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Payment } from '../domain/bills.ts';
import type { PaymentAlarm, Refund, WalletPayment } from '../domain/payments.ts';
import type { PayInstruction } from '../ports/wallet-provider.ts';
import { db, tableName } from './client.ts';
import { applied, cancellationCodes, transactWrite, type TransactItem } from './conditional-writes.ts';
import { billKeys, paymentKeys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, type ListQuery, queryAll, type Page } from './pagination.ts';

export type PaymentRecord = WalletPayment & { refunds: Refund[]; alarms: PaymentAlarm[] };

const isConditionFailure = (error: unknown) => cancellationCodes(error).includes('ConditionalCheckFailed');

async function transactOrRefused(items: TransactItem[]): Promise<boolean> {
  try {
    await transactWrite(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

const pendingIndex = (payment: Pick<WalletPayment, 'paymentId'>, checkAt: string) => ({
  gsi2pk: paymentKeys.pending,
  gsi2sk: paymentKeys.pendingOrder(checkAt, payment.paymentId),
});

/** A payment with its refunds (oldest first) and alarms, read consistently: decisions are taken on it. */
export async function getPayment(paymentId: string): Promise<PaymentRecord | undefined> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': paymentKeys.partition(paymentId) },
      ConsistentRead: true,
    }),
  );
  const payment = Items.find((item) => item.sk === 'PAYMENT');
  if (!payment) return undefined;
  const of = <T>(prefix: string) => Items.filter((item) => String(item.sk).startsWith(prefix)).map((item) => withoutKeys<T>(item));
  const refunds = of<Refund>(paymentKeys.refundPrefix).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  return { ...withoutKeys<WalletPayment>(payment), refunds, alarms: of<PaymentAlarm>(paymentKeys.alarmPrefix) };
}

/**
 * Locks the bill to a new order and writes the order, only if the bill is unpaid, has no pending order and has
 * had exactly `previousAttempts` orders: false when another request got there first.
 */
export async function openOrder(payment: WalletPayment, previousAttempts: number, checkAt: string): Promise<boolean> {
  const attempts = previousAttempts === 0 ? 'attribute_not_exists(orderAttempts)' : 'orderAttempts = :previous';
  return transactOrRefused([
    {
      Update: {
        TableName: tableName,
        Key: billKeys.item(payment.billId),
        UpdateExpression: 'SET pendingPayment = :payment, orderAttempts = :attempts',
        ConditionExpression: `#status = :unpaid AND residentId = :resident AND attribute_not_exists(pendingPayment) AND ${attempts}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':payment': payment.paymentId,
          ':attempts': previousAttempts + 1,
          ':unpaid': 'unpaid',
          ':resident': payment.residentId,
          ...(previousAttempts === 0 ? {} : { ':previous': previousAttempts }),
        },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...paymentKeys.item(payment.paymentId), ...payment, ...pendingIndex(payment, checkAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

/** Keeps what the provider answered for the order; the first answer stays (a retry gets the same order anyway). */
export async function savePayInstruction(paymentId: string, pay: PayInstruction): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: paymentKeys.item(paymentId),
      UpdateExpression: 'SET pay = if_not_exists(pay, :pay)',
      ExpressionAttributeValues: { ':pay': pay },
    }),
  );
}

export type ProviderPaid = { amount: number; merchantId: string; providerTransactionId: string; paidAt: string };

/**
 * The one step that books a wallet payment: bill unpaid → paid with its receipt, order pending or closed → paid,
 * provided the provider's amount and merchant are the order's. False when any condition fails: the caller
 * reads both items again to tell a repeat from a mismatch.
 */
export async function markPaid(payment: WalletPayment, paid: ProviderPaid, receiptNo: string): Promise<boolean> {
  const receipt: Payment = {
    paymentId: payment.paymentId,
    billId: payment.billId,
    residentId: payment.residentId,
    amount: paid.amount,
    method: payment.method as Payment['method'],
    chargeId: paid.providerTransactionId,
    paidAt: paid.paidAt,
    receiptNo,
    idempotencyKey: payment.idempotencyKey,
  };
  return transactOrRefused([
    {
      Update: {
        TableName: tableName,
        Key: billKeys.item(payment.billId),
        UpdateExpression:
          'SET #status = :paid, paidAt = :paidAt, paymentId = :payment, receiptNo = :receipt, paidWith = :method, gsi1pk = :list REMOVE gsi2pk, gsi2sk, pendingPayment',
        ConditionExpression: '#status = :unpaid',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':paid': 'paid',
          ':unpaid': 'unpaid',
          ':paidAt': paid.paidAt,
          ':payment': payment.paymentId,
          ':receipt': receiptNo,
          ':method': payment.method,
          ':list': billKeys.ofResident(payment.residentId, 'paid'),
        },
      },
    },
    orderPaid(payment, paid, receiptNo),
    { Put: { TableName: tableName, Item: { ...billKeys.payment(payment.billId), ...receipt }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
}

/**
 * Money came in for an order whose bill another payment had already paid: the order is booked as paid (so staff
 * can refund it) without touching the bill, and the alarm is raised, both at most once.
 */
export async function markPaidTwice(payment: WalletPayment, paid: ProviderPaid, alarm: PaymentAlarm): Promise<boolean> {
  return transactOrRefused([
    orderPaid(payment, paid, undefined),
    alarmPut(alarm),
  ]);
}

/**
 * The order's side of being paid, its amount and merchant checked in the condition: with the receipt when it
 * pays the bill, without (settledBill false) when the bill had been paid by another payment.
 */
function orderPaid(payment: WalletPayment, paid: ProviderPaid, receiptNo: string | undefined): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: paymentKeys.item(payment.paymentId),
      UpdateExpression: `SET #status = :paid, paidAt = :paidAt, providerTransactionId = :txn, settledBill = :settled${receiptNo ? ', receiptNo = :receipt' : ''} REMOVE gsi2pk, gsi2sk`,
      ConditionExpression: '#status IN (:pending, :closed) AND amount = :amount AND merchantId = :merchant',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':paid': 'paid',
        ':pending': 'pending',
        ':closed': 'closed',
        ':paidAt': paid.paidAt,
        ':txn': paid.providerTransactionId,
        ':settled': receiptNo !== undefined,
        ':amount': paid.amount,
        ':merchant': paid.merchantId,
        ...(receiptNo ? { ':receipt': receiptNo } : {}),
      },
    },
  };
}

function alarmPut(alarm: PaymentAlarm): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...paymentKeys.alarm(alarm.paymentId, alarm.kind),
        ...alarm,
        gsi1pk: paymentKeys.alarms(alarm.centre),
        gsi1sk: paymentKeys.alarmOrder(alarm.raisedAt, alarm.paymentId, alarm.kind),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Raises an alarm once per payment and kind: false if it was raised before. */
export async function raiseAlarm(alarm: PaymentAlarm): Promise<boolean> {
  const put = alarmPut(alarm).Put!;
  return applied(db.send(new PutCommand({ TableName: put.TableName, Item: put.Item, ConditionExpression: put.ConditionExpression })));
}

/** A centre's alarms, newest first. */
export async function listAlarms(centre: string, limit: number, cursor?: string): Promise<Page<PaymentAlarm>> {
  const list: ListQuery = { index: 'gsi1', partition: paymentKeys.alarms(centre) };
  const { Items = [], LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), ScanIndexForward: false, Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: Items.map((item) => withoutKeys<PaymentAlarm>(item)), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/**
 * The provider confirmed the order closed: the order is closed and leaves the pending list, then the bill is
 * unlocked if it is still locked to it. A bill left locked by a crash between the two is unlocked by the next
 * payer, who finds its order closed (unlockBill).
 */
export async function closeOrder(payment: Pick<WalletPayment, 'paymentId' | 'billId'>, closedAt: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: paymentKeys.item(payment.paymentId),
        UpdateExpression: 'SET #status = :closed, closedAt = :at REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':pending': 'pending', ':at': closedAt },
      }),
    ),
  );
  await unlockBill(payment.billId, payment.paymentId);
}

/** Unlocks a bill from an order that is no longer pending. */
export async function unlockBill(billId: string, paymentId: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: billKeys.item(billId),
        UpdateExpression: 'REMOVE pendingPayment',
        ConditionExpression: 'pendingPayment = :payment',
        ExpressionAttributeValues: { ':payment': paymentId },
      }),
    ),
  );
}

/** The order is still pending at the provider: ask again at `checkAt`. */
export async function postponeCheck(paymentId: string, checkAt: string): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: paymentKeys.item(paymentId),
        UpdateExpression: 'SET gsi2sk = :order',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':order': paymentKeys.pendingOrder(checkAt, paymentId) },
      }),
    ),
  );
}

/** Pending orders due to be asked about at `now`, earliest first, page by page. */
export function paymentsDueForCheck(now: string): AsyncGenerator<WalletPayment> {
  const items = queryAll({
    TableName: tableName,
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk <= :now',
    ExpressionAttributeValues: { ':pending': paymentKeys.pending, ':now': now },
  });
  return (async function* () {
    for await (const item of items) yield withoutKeys<WalletPayment>(item);
  })();
}

/**
 * Writes a refund and reserves its amount on the payment, only while the payment is paid and the refunds
 * requested stay within what was paid. 'exists' when this refund was requested before (a retried request).
 */
export async function requestRefund(payment: WalletPayment, refund: Refund): Promise<'requested' | 'exists' | 'exceeds'> {
  const limit = payment.amount - refund.amount;
  const written = await transactOrRefused([
    { Put: { TableName: tableName, Item: { ...paymentKeys.refund(refund.paymentId, refund.refundId), ...refund }, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Update: {
        TableName: tableName,
        Key: paymentKeys.item(payment.paymentId),
        UpdateExpression: 'ADD refundReserved :amount',
        ConditionExpression: '#status = :paid AND (attribute_not_exists(refundReserved) OR refundReserved <= :limit)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':amount': refund.amount, ':paid': 'paid', ':limit': limit },
      },
    },
  ]);
  if (written) return 'requested';
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: paymentKeys.refund(refund.paymentId, refund.refundId), ConsistentRead: true }));
  return Item ? 'exists' : 'exceeds';
}

/** The provider accepted the refund and will confirm it by notification. */
export async function markRefundProcessing(paymentId: string, refundId: string, providerRefundId: string | undefined): Promise<void> {
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: paymentKeys.refund(paymentId, refundId),
        UpdateExpression: `SET #status = :processing${providerRefundId ? ', providerRefundId = :id' : ''}`,
        ConditionExpression: '#status = :requested',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':requested': 'requested', ...(providerRefundId ? { ':id': providerRefundId } : {}) },
      }),
    ),
  );
}

/**
 * The money went back: the refund succeeds once, and its amount is added to the payment's and the bill's
 * refunded total in the same transaction. False when it had been settled already.
 */
export async function settleRefund(refund: Refund, settledAt: string, providerRefundId: string | undefined): Promise<boolean> {
  const settled = await transactOrRefused([
    {
      Update: {
        TableName: tableName,
        Key: paymentKeys.refund(refund.paymentId, refund.refundId),
        UpdateExpression: `SET #status = :succeeded, settledAt = :at${providerRefundId ? ', providerRefundId = :id' : ''}`,
        ConditionExpression: '#status IN (:requested, :processing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':succeeded': 'succeeded',
          ':requested': 'requested',
          ':processing': 'processing',
          ':at': settledAt,
          ...(providerRefundId ? { ':id': providerRefundId } : {}),
        },
      },
    },
    { Update: { TableName: tableName, Key: paymentKeys.item(refund.paymentId), UpdateExpression: 'ADD refundedAmount :amount', ExpressionAttributeValues: { ':amount': refund.amount } } },
    { Update: { TableName: tableName, Key: billKeys.item(refund.billId), UpdateExpression: 'ADD refundedAmount :amount', ExpressionAttributeValues: { ':amount': refund.amount } } },
  ]);
  if (settled) {
    // Fully refunded: the payment reads `refunded` from now on (a second update, since a condition sees the old total).
    await applied(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: paymentKeys.item(refund.paymentId),
          UpdateExpression: 'SET #status = :refunded',
          ConditionExpression: '#status = :paid AND refundedAmount >= amount',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':refunded': 'refunded', ':paid': 'paid' },
        }),
      ),
    );
  }
  return settled;
}

/** The provider refused or gave up the refund: it fails once and its reservation is given back. */
export async function failRefund(refund: Refund, failure: string, settledAt: string): Promise<boolean> {
  return transactOrRefused([
    {
      Update: {
        TableName: tableName,
        Key: paymentKeys.refund(refund.paymentId, refund.refundId),
        UpdateExpression: 'SET #status = :failed, failure = :failure, settledAt = :at',
        ConditionExpression: '#status IN (:requested, :processing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':requested': 'requested', ':processing': 'processing', ':failure': failure, ':at': settledAt },
      },
    },
    { Update: { TableName: tableName, Key: paymentKeys.item(refund.paymentId), UpdateExpression: 'ADD refundReserved :back', ExpressionAttributeValues: { ':back': -refund.amount } } },
  ]);
}
