// Messages as records: every message to a resident has an id and a status the resident reads in GET
// /me/messages; a failure that may pass is retried by the scheduled job, one that cannot is failed at once with
// the provider's reason; the resident's channel preferences and the quiet hours decide how and when a
// message goes; staff of the case's centre read a case's messages.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as payBill } from '../../functions/bills/pay-bill.ts';
import { handler as remindDueBills } from '../../functions/bills/remind-due-bills.ts';
import { handler as getMyPreferences } from '../../functions/messages/get-my-preferences.ts';
import { handler as listCaseMessagesHandler } from '../../functions/messages/list-case-messages.ts';
import { handler as listMyMessages } from '../../functions/messages/list-my-messages.ts';
import { handler as putMyPreferences } from '../../functions/messages/put-my-preferences.ts';
import { handler as sendQueuedMessages } from '../../functions/messages/send-queued-messages.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { importBills } from '../../shared/data/bills.ts';
import { createCase } from '../../shared/data/cases.ts';
import { billIdFor } from '../../shared/domain/bills.ts';
import { MAX_ATTEMPTS } from '../../shared/domain/messages.ts';
import { outboxNotifier } from '../../shared/ports/outbox-notifier.ts';
import type { Notifier } from '../../shared/ports/notifier.ts';
import { reliableNotifier } from '../../shared/ports/reliable-notifier.ts';
import { phoneFor, residentWithProfile } from '../support/appointment-fixtures.ts';
import { invoke, type TestCaller } from '../support/invoke.ts';

const outbox = outboxNotifier(process.env.OUTBOX_FILE!);
const smsTo = (phone: string) => readOutbox(process.env.OUTBOX_FILE!, phone);
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $fault: 'client' });
const invalidNumber = () => Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameterException', $fault: 'client' });
/** The provider answering with `failure` for the next `times` SMS, then as the outbox. */
function failing(failure: () => Error, times = Infinity): Notifier {
  let left = times;
  return { send: async (m) => (left-- > 0 ? Promise.reject(failure()) : outbox.send(m)), notifyStaff: async (m) => (left-- > 0 ? Promise.reject(failure()) : outbox.notifyStaff(m)) };
}
const sms = (residentId: string, serial: number, caseId = 'C20261129-0042') => ({
  residentId,
  to: phoneFor(serial),
  template: 'case-approved' as const,
  params: { matter: '失业登记', caseId },
  reference: caseId,
});
const inbox = async (caller: TestCaller, query: Record<string, string> = {}) => (await invoke(listMyMessages, 'GET /me/messages', { caller, query })).body;
const minutesFrom = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);
/** `hh:mm` on a Shanghai date, as an instant. */
const shanghai = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);
const drain = (at: Date) => sendQueuedMessages({ time: at.toISOString() });

afterEach(() => {
  vi.useRealTimers();
});

describe('every message is a record with an id and a status', () => {
  it('records an SMS the outbox stand-in delivered, and the resident reads it, newest first and paged, in GET /me/messages', async () => {
    const resident = await residentWithProfile('msg-reader', 301);
    const notifier = reliableNotifier(outbox, { smsPerSecond: 1000 });
    const first = await notifier.send(sms('msg-reader', 301, 'C20261129-0101'));
    const second = await notifier.send(sms('msg-reader', 301, 'C20261129-0102'));

    const page1 = await inbox(resident, { limit: '1' });
    const page2 = await inbox(resident, { limit: '1', cursor: page1.nextCursor });

    expect(first).toEqual({ messageId: expect.stringMatching(/^M[0-9a-f]{16}$/), channel: 'sms', status: 'delivered' });
    expect(page1.items).toEqual([
      {
        id: second!.messageId,
        channel: 'sms',
        template: 'case-approved',
        text: '【智慧社区】您的失业登记事项（编号C20261129-0102）已审核通过。',
        reference: 'C20261129-0102',
        status: 'delivered',
        to: phoneFor(301),
        createdAt: expect.any(String),
        sentAt: expect.any(String),
        deliveredAt: expect.any(String),
      },
    ]);
    expect(page2.items.map((m: { id: string }) => m.id)).toEqual([first!.messageId]);
    expect(smsTo(phoneFor(301)).map((m) => m.reference)).toEqual(['C20261129-0101', 'C20261129-0102']);
  });

  it('shows a resident only their own messages', async () => {
    const other = await residentWithProfile('msg-other', 302);
    await reliableNotifier(outbox, { smsPerSecond: 1000 }).send(sms('msg-reader', 301));
    expect((await inbox(other)).items).toEqual([]);
    expect((await invoke(listMyMessages, 'GET /me/messages', { caller: other, query: { cursor: (await inbox({ sub: 'msg-reader', role: 'resident' }, { limit: '1' })).nextCursor } })).status).toBe(400);
  });
});

describe('failures: retried when a later attempt can succeed, failed at once when none can', () => {
  it('queues an SMS the provider refused for now, and the scheduled job sends it once it is due', async () => {
    const resident = await residentWithProfile('msg-throttled', 303);
    const now = new Date();
    const outcome = await reliableNotifier(failing(throttled, 1), { smsPerSecond: 1000 }).send(sms('msg-throttled', 303), { now });

    const notYet = await drain(minutesFrom(now, 0.5));
    const queued = (await inbox(resident)).items[0];
    const due = await drain(minutesFrom(now, 1.1));
    const again = await drain(minutesFrom(now, 5));

    expect(outcome).toMatchObject({ channel: 'sms', status: 'queued' });
    expect(queued).toMatchObject({ status: 'queued', reason: 'ThrottledException: Rate exceeded' });
    expect(notYet).toMatchObject({ sent: 0 });
    expect(due).toMatchObject({ sent: 1 });
    expect(again).toMatchObject({ sent: 0 });
    expect(smsTo(phoneFor(303))).toHaveLength(1);
    expect((await inbox(resident)).items[0]).toMatchObject({ status: 'delivered', sentAt: minutesFrom(now, 1.1).toISOString() });
    expect((await inbox(resident)).items[0].reason).toBeUndefined();
  });

  it('fails at once, with the provider reason, an SMS no attempt can mend, and never sends it again', async () => {
    const resident = await residentWithProfile('msg-invalid', 304);
    const now = new Date();
    const outcome = await reliableNotifier(failing(invalidNumber), { smsPerSecond: 1000 }).send(sms('msg-invalid', 304), { now });
    await drain(minutesFrom(now, 60));

    expect(outcome).toMatchObject({ status: 'failed' });
    expect((await inbox(resident)).items).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'InvalidParameterException: Invalid parameter: PhoneNumber', failedAt: now.toISOString() }),
    ]);
    expect(smsTo(phoneFor(304))).toEqual([]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts that all failed for now, with the last reason`, async () => {
    const resident = await residentWithProfile('msg-down', 305);
    const gatewayDown = reliableNotifier(failing(throttled), { smsPerSecond: 1000 });
    const now = new Date();
    await gatewayDown.send(sms('msg-down', 305), { now });
    let at = now;
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      at = minutesFrom(at, 2 ** (attempt - 2) + 0.1);
      await gatewayDown.sendQueued({ now: at, hasTimeLeft: () => true });
    }
    await gatewayDown.sendQueued({ now: minutesFrom(at, 10_000), hasTimeLeft: () => true });

    expect((await inbox(resident)).items[0]).toMatchObject({ status: 'failed', reason: 'ThrottledException: Rate exceeded' });
    expect(smsTo(phoneFor(305))).toEqual([]);
  });

  it('keeps a staff message that could not go out and sends it when it is due', async () => {
    const now = new Date();
    const task = { centre: 'zizhuyuan', role: 'supervisor' as const, category: 'employment', template: 'task-escalated' as const, params: { matter: '失业登记', caseId: 'C20261129-0043', role: '窗口经办', dueDate: '12月1日' }, reference: 'C20261129-0043-R1S1' };
    await reliableNotifier(failing(throttled, 1), { smsPerSecond: 1000 }).notifyStaff(task);

    vi.useFakeTimers({ toFake: ['Date'], now: minutesFrom(now, 2) });
    const retried = await sendQueuedMessages();

    expect(retried.sent).toBeGreaterThanOrEqual(1);
    expect(readOutbox(process.env.OUTBOX_FILE!, 'staff:zizhuyuan:supervisor:employment').map((m) => m.reference)).toContain('C20261129-0043-R1S1');
  });
});

describe('preferences: sms or inbox per kind of message', () => {
  let payer: TestCaller;
  beforeAll(async () => {
    payer = await residentWithProfile('msg-payer', 306);
  });

  it('answers SMS for every kind until the resident chooses', async () => {
    const res = await invoke(getMyPreferences, 'GET /me/preferences', { caller: payer });
    expect(res).toMatchObject({ status: 200, body: { billReminders: 'sms', receipts: 'sms', appointmentReminders: 'sms', communityNotices: 'sms', updatedAt: null } });
  });

  it('refuses an unknown kind, a missing one and a channel that is neither sms nor inbox, at their paths', async () => {
    const res = await invoke(putMyPreferences, 'PUT /me/preferences', { caller: payer, body: { billReminders: 'email', receipts: 'inbox', appointmentReminders: 'sms', cases: 'inbox' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['billReminders', 'cases', 'communityNotices']);
  });

  it('puts a receipt in the inbox, not in an SMS, once the resident chose the inbox for receipts', async () => {
    const choice = { billReminders: 'sms', receipts: 'inbox', appointmentReminders: 'sms', communityNotices: 'inbox' };
    const saved = await invoke(putMyPreferences, 'PUT /me/preferences', { caller: payer, body: choice });
    await importBills([{ residentId: 'msg-payer', kind: 'water', period: '2026-10', amount: 3810, dueDate: '2026-11-20' }], 'zizhuyuan', new Date().toISOString());
    const billId = billIdFor('msg-payer', 'water', '2026-10');

    const paid = await invoke(payBill, 'POST /bills/{id}/pay', { caller: payer, params: { id: billId }, body: { amount: 3810, method: 'wechat' }, headers: { 'idempotency-key': 'msg-pay-1' } });

    expect(saved).toMatchObject({ status: 200, body: { ...choice, updatedAt: expect.any(String) } });
    expect((await invoke(getMyPreferences, 'GET /me/preferences', { caller: payer })).body).toMatchObject(choice);
    expect(paid.status).toBe(201);
    expect(smsTo(phoneFor(306))).toEqual([]);
    const [receipt] = (await inbox(payer)).items;
    expect(receipt).toMatchObject({ channel: 'inbox', template: 'bill-paid', reference: billId, status: 'delivered', text: expect.stringContaining(paid.body.receiptNo) });
    expect(receipt.to).toBeUndefined();
    expect(receipt.text).not.toContain('【智慧社区】');
  });

  it('still texts a case result to a resident who chose the inbox for everything they may choose', async () => {
    await invoke(putMyPreferences, 'PUT /me/preferences', { caller: payer, body: { billReminders: 'inbox', receipts: 'inbox', appointmentReminders: 'inbox', communityNotices: 'inbox' } });
    const outcome = await reliableNotifier(outbox, { smsPerSecond: 1000 }).send(sms('msg-payer', 306, 'C20261129-0044'));
    expect(outcome).toMatchObject({ channel: 'sms', status: 'delivered' });
    expect(smsTo(phoneFor(306)).map((m) => m.reference)).toEqual(['C20261129-0044']);
  });
});

describe('quiet hours (21:00–08:00 Shanghai): non-urgent SMS wait for the morning', () => {
  it('holds a bill reminder due at 22:00 and sends it at 08:00 the next morning', async () => {
    const resident = await residentWithProfile('msg-night', 307);
    await importBills([{ residentId: 'msg-night', kind: 'gas', period: '2031-02', amount: 6020, dueDate: '2031-03-12' }], 'zizhuyuan', new Date().toISOString());
    const billId = billIdFor('msg-night', 'gas', '2031-02');

    const reminded = await remindDueBills({ time: shanghai('2031-03-10', '22:00').toISOString() });
    const held = (await inbox(resident)).items[0];
    await drain(shanghai('2031-03-11', '07:59'));
    const beforeEight = smsTo(phoneFor(307));
    const morning = await drain(shanghai('2031-03-11', '08:00'));

    expect(reminded.reminded).toBe(1);
    expect(held).toMatchObject({ template: 'bill-due', reference: billId, status: 'queued', heldUntil: shanghai('2031-03-11', '08:00').toISOString() });
    expect(beforeEight).toEqual([]);
    expect(morning.sent).toBeGreaterThanOrEqual(1);
    expect(smsTo(phoneFor(307)).map((m) => m.template)).toEqual(['bill-due']);
    expect((await inbox(resident)).items[0]).toMatchObject({ status: 'delivered', sentAt: shanghai('2031-03-11', '08:00').toISOString() });
  });

  it('sends a reminder due at 20:59 at once, and one due at 07:30 at 08:00 the same morning', async () => {
    const notifier = reliableNotifier(outbox, { smsPerSecond: 1000 });
    await residentWithProfile('msg-evening', 308);
    const reminder = { residentId: 'msg-evening', to: phoneFor(308), template: 'appointment-reminder' as const, params: { date: '3月12日', time: '09:00', window: '社会保险', ticket: 'S-001' } };

    const evening = await notifier.send({ ...reminder, reference: 'AP-evening' }, { now: shanghai('2031-04-10', '20:59') });
    const early = await notifier.send({ ...reminder, reference: 'AP-early' }, { now: shanghai('2031-04-11', '07:30') });
    const heldUntil = (await inbox({ sub: 'msg-evening', role: 'resident' })).items.find((m: { reference: string }) => m.reference === 'AP-early').heldUntil;

    expect(evening).toMatchObject({ status: 'delivered' });
    expect(early).toMatchObject({ status: 'queued' });
    expect(heldUntil).toBe(shanghai('2031-04-11', '08:00').toISOString());
  });

  it('sends a weather alert at 22:00 at once', async () => {
    await residentWithProfile('msg-storm', 309);
    const alert = await reliableNotifier(outbox, { smsPerSecond: 1000 }).send(
      { residentId: 'msg-storm', to: phoneFor(309), template: 'emergency-notice', params: { kindName: '天气预警', title: '暴雨红色预警', body: '今夜有特大暴雨，请勿外出。' }, reference: 'N-storm' },
      { now: shanghai('2031-05-10', '22:00') },
    );
    expect(alert).toMatchObject({ channel: 'sms', status: 'delivered' });
    expect(smsTo(phoneFor(309)).map((m) => m.reference)).toEqual(['N-storm']);
  });
});

describe("staff read a case's messages", () => {
  it("lists the messages about a case to staff of its centre, phones masked, and answers 404 to another centre's staff", async () => {
    await residentWithProfile('msg-case-owner', 310);
    const caseId = 'C20261129-0777';
    await createCase({
      id: caseId,
      residentId: 'msg-case-owner',
      centre: 'zizhuyuan',
      matter: 'unemployment-registration',
      category: 'employment',
      status: 'in_review',
      round: 1,
      submittedAt: new Date().toISOString(),
      dueDate: '2026-12-02',
      currentStep: null,
      plan: null,
      materials: [],
      missingMaterials: [],
      history: [],
    } as never);
    const notifier = reliableNotifier(outbox, { smsPerSecond: 1000 });
    await notifier.send(sms('msg-case-owner', 310, caseId));
    await notifier.send({ ...sms('msg-case-owner', 310, 'C20261129-0778') });

    const staff = await invoke(listCaseMessagesHandler, 'GET /cases/{id}/messages', { caller: { sub: 'msg-clerk', role: 'staff', categories: ['housing-civil'] }, params: { id: caseId } });
    const far = await invoke(listCaseMessagesHandler, 'GET /cases/{id}/messages', { caller: { sub: 'msg-far', role: 'staff', centre: 'balizhuang' }, params: { id: caseId } });

    expect(staff.status).toBe(200);
    expect(staff.body.items).toEqual([expect.objectContaining({ reference: caseId, status: 'delivered', to: '+86139****0310' })]);
    expect(far.status).toBe(404);
  });
});
