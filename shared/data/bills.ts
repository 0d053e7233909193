// Utility bills and their payments. A bill and its payment share one item collection (pk BILL#<id>):
// the bill at sk BILL, the payment at sk PAYMENT, so one Query reads a bill with its payment and
// "one payment per bill" is a key, not a convention. Paying flips the bill to paid and writes the payment
// in one transaction that requires the bill to be unpaid: of any number of simultaneous payers exactly
// one succeeds.
//
//   bill     pk BILL#<id> / BILL
//            gsi1 BILLS#<residentId>#<status> / <dueDate>#<id>   (a resident's bills by status, due date order)
//            gsi2 BILL-DUE#<dueDate> / <id>                      (only while unpaid and not yet reminded)
//   payment  pk BILL#<id> / PAYMENT      (the receipt of the payment that paid it; every payment attempt is
//                                         also an item of its own, shared/data/payments.ts)

import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { billIdFor, type Bill, type BillRow, type BillStatus, type Payment } from '../domain/bills.ts';
import type { WalletPayment } from '../domain/payments.ts';
import { conflict } from '../domain/errors.ts';
import { db, tableName } from './client.ts';
import { applied, cancellationCodes, transactWrite } from './conditional-writes.ts';
import { billKeys, paymentKeys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor, keyCondition, queryAll, type ListQuery, type Page } from './pagination.ts';


/** Parallel conditional puts per import: fast, yet far below what one table partition absorbs. */
const IMPORT_CONCURRENCY = 16;


function toBill(items: Record<string, unknown>[]): Bill | undefined {
  const bill = items.find((item) => item.sk === 'BILL');
  if (!bill) return undefined;
  const payment = items.find((item) => item.sk === 'PAYMENT');
  return payment ? { ...withoutKeys<Bill>(bill), payment: withoutKeys<Payment>(payment) } : withoutKeys<Bill>(bill);
}

async function putBillIfNew(row: BillRow, centre: string, importedAt: string): Promise<boolean> {
  const id = billIdFor(row.residentId, row.kind, row.period);
  return applied(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...billKeys.item(id),
          id,
          ...row,
          centre,
          status: 'unpaid',
          importedAt,
          gsi1pk: billKeys.ofResident(row.residentId, 'unpaid'),
          gsi1sk: billKeys.residentOrder(row.dueDate, id),
          gsi2pk: billKeys.due(row.dueDate),
          gsi2sk: id,
        },
        // An existing bill (paid or not) is never overwritten by a re-import.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * Writes bills that do not exist yet; one that exists counts as a duplicate. BatchWriteItem cannot carry
 * a condition, so each bill is a conditional PutItem, IMPORT_CONCURRENCY at a time; throttled writes are
 * retried with backoff by the client (maxAttempts in client.ts).
 */
export async function importBills(rows: BillRow[], centre: string, importedAt: string): Promise<{ imported: number; duplicates: number }> {
  let imported = 0;
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      if (await putBillIfNew(row, centre, importedAt)) imported++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, rows.length) }, worker));
  return { imported, duplicates: rows.length - imported };
}

/** A bill with its payment, if any, read consistently (a pay decision is taken on it). */
export async function getBill(id: string): Promise<Bill | undefined> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': billKeys.partition(id) },
      ConsistentRead: true,
    }),
  );
  return toBill(Items ?? []);
}

export async function listBillsOfResident(residentId: string, status: BillStatus, limit: number, cursor?: string): Promise<Page<Bill>> {
  const list: ListQuery = { index: 'gsi1', partition: billKeys.ofResident(residentId, status) };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({ TableName: tableName, ...keyCondition(list), Limit: limit, ExclusiveStartKey: decodeCursor(cursor, list) }),
  );
  return { items: (Items ?? []).map((item) => toBill([item])!), nextCursor: encodeCursor(LastEvaluatedKey) };
}

/**
 * Marks the bill paid and records its payment (the bill's receipt and the payment item GET /payments/{id} reads),
 * all or nothing, only if the bill is still unpaid and no wallet order is pending for it. 409 already_paid when
 * another payment got there first, 409 payment_pending when a wallet order holds the bill.
 */
export async function recordPayment(payment: Payment, provider: WalletPayment['provider'], centre: string): Promise<void> {
  const item: WalletPayment = {
    paymentId: payment.paymentId,
    billId: payment.billId,
    residentId: payment.residentId,
    centre,
    provider,
    method: payment.method,
    amount: payment.amount,
    status: 'paid',
    createdAt: payment.paidAt,
    idempotencyKey: payment.idempotencyKey,
    providerTransactionId: payment.chargeId,
    paidAt: payment.paidAt,
    receiptNo: payment.receiptNo,
    settledBill: true,
  };
  const command = new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: billKeys.item(payment.billId),
          UpdateExpression:
            'SET #status = :paid, paidAt = :paidAt, paymentId = :payment, receiptNo = :receipt, paidWith = :method, gsi1pk = :list REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :unpaid AND residentId = :resident AND attribute_not_exists(pendingPayment)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':paid': 'paid',
            ':unpaid': 'unpaid',
            ':paidAt': payment.paidAt,
            ':payment': payment.paymentId,
            ':receipt': payment.receiptNo,
            ':method': payment.method,
            ':list': billKeys.ofResident(payment.residentId, 'paid'),
            ':resident': payment.residentId,
          },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...billKeys.payment(payment.billId), ...payment },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: tableName, Item: { ...paymentKeys.item(payment.paymentId), ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
  });
  try {
    await transactWrite(command);
  } catch (error) {
    if (!cancellationCodes(error).includes('ConditionalCheckFailed')) throw error;
    if ((await getBill(payment.billId))?.pendingPayment) throw conflict('payment_pending', `Bill ${payment.billId} has a wallet order pending.`);
    throw conflict('already_paid', `Bill ${payment.billId} is paid already.`);
  }
}

/** Unpaid, not yet reminded bills due on `dueDate`, page by page (the reminder job walks all of them). */
export async function* billsAwaitingReminder(dueDate: string): AsyncGenerator<Bill> {
  const items = queryAll({
    TableName: tableName,
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :due',
    ExpressionAttributeValues: { ':due': billKeys.due(dueDate) },
  });
  for await (const item of items) yield toBill([item])!;
}

/**
 * Claims the bill's one reminder: true for the single caller that may send it. A second run of the job,
 * or a payment that landed meanwhile, makes it false.
 */
export async function claimReminder(billId: string, at: string): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: billKeys.item(billId),
        UpdateExpression: 'SET remindedAt = :at REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#status = :unpaid AND attribute_not_exists(remindedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unpaid': 'unpaid', ':at': at },
      }),
    ),
  );
}

/** Gives a claimed reminder back when its SMS could not be sent, so the next run tries again. */
export async function releaseReminder(bill: Bill, claimedAt: string): Promise<void> {
  // Not applied when the bill was paid meanwhile: then there is nothing left to remind of.
  await applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: billKeys.item(bill.id),
        UpdateExpression: 'SET gsi2pk = :due, gsi2sk = :id REMOVE remindedAt',
        ConditionExpression: '#status = :unpaid AND remindedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unpaid': 'unpaid', ':at': claimedAt, ':due': billKeys.due(bill.dueDate), ':id': bill.id },
      }),
    ),
  );
}
