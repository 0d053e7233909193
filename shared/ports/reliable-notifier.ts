// The notifier every function calls. A message to a resident is recorded before anything leaves
// (shared/data/messages.ts): its channel is the resident's choice for its kind unless it must be an SMS, and a
// non-urgent SMS due in the quiet hours is held for the morning. An SMS goes to the provider (the Notifier
// port) under a lease on its record, at the configured pace, and its outcome is recorded: sent or delivered;
// queued again after a failure that may pass (1, 2, 4 … minutes, MAX_ATTEMPTS in all); failed at once, with
// the provider's reason, when no attempt can mend it. A case, a booking or a payment never fails because a
// message did not go out, and no message is lost: whatever stays queued (held, retrying, or left by a sender
// that died) the scheduled job sends when it is due (`sendQueued`).

import { createHash, randomBytes } from 'node:crypto';
import {
  createMessage,
  createMessagesOnce,
  dueQueueEntries,
  getPreferences,
  leaseQueueEntry,
  recordStaffMessage,
  saveStates,
  type MessageState,
  type QueueEntry,
  type StaffRecord,
  type StaffState,
} from '../data/messages.ts';
import {
  channelFor,
  DEFAULT_PREFERENCES,
  MAX_ATTEMPTS,
  render,
  residentClass,
  retryAt,
  smsSendableAt,
  type Message,
  type MessageChannel,
  type MessagePreferences,
  type MessageStatus,
  type TemplateName,
  type TemplateParams,
} from '../domain/messages.ts';
import { log } from '../log.ts';
import { failureReason, isRetryable, type Notifier, type StaffMessage } from './notifier.ts';
import { pacer } from './send-pace.ts';

/** A message to a resident, as functions hand it over. */
export type ResidentMessage = {
  residentId: string;
  /** E.164: the phone of the resident's profile. */
  to: string;
  template: TemplateName;
  params: TemplateParams;
  /** What it is about: a case, appointment, bill or notice id. */
  reference: string;
};

export type SendOptions = {
  /** The time it is sent at, for the quiet hours: a scheduled job passes its own; now by default. */
  now?: Date;
};

/** One message of many sent once however often their sender runs (a notice to each resident). */
export type OnceMessage = {
  message: ResidentMessage;
  /** Its id and time are fixed; its claim lasts as long as the sender's own lease. */
  once: { id: string; createdAt: string; leaseUntil: Date };
  /** The resident's preferences, read by the caller a page at a time. */
  preferences?: MessagePreferences;
};

/** What became of a message at once. */
export type SendOutcome = { messageId: string; channel: MessageChannel; status: MessageStatus };

export type QueuedRun = { now?: Date; hasTimeLeft: () => boolean };

export type PlatformNotifier = {
  send(message: ResidentMessage, options?: SendOptions): Promise<SendOutcome>;
  /**
   * Many messages, each sent once (a page of a notice fan-out): each claimed on its own record, the SMS among
   * them sent at the provider's pace, their outcomes written in batches. Says how many this call took over,
   * how many another sender still holds in flight, and the error of a claim it could not write: the caller
   * reads the page again for those (and the caller's own run resumes what it claimed, for the claims stay off the queue).
   */
  sendEach(messages: OnceMessage[], now?: Date): Promise<{ taken: number; heldElsewhere: number; unwritten?: Error }>;
  notifyStaff(message: StaffMessage): Promise<void>;
  /** Attempts every queued message that is due, page by page, while the run has time. */
  sendQueued(run: QueuedRun): Promise<{ sent: number; failed: number; queued: number }>;
};

/** How long an attempt holds a message before another sender may take it: far longer than one SendSms takes. */
const LEASE_MS = 2 * 60_000;
/** Records claimed, and SMS handed to the provider, at once by the bulk senders. */
const CONCURRENCY = 32;
const QUEUE_PAGE = 100;

const newMessageId = () => `M${randomBytes(8).toString('hex')}`;
/** The id of the one message a sender that runs again sends to a resident about one thing. */
export const onceMessageId = (reference: string, residentId: string) => `M${createHash('sha256').update(`${reference}\n${residentId}`).digest('hex').slice(0, 16)}`;

/** Runs `task` over `items`, at most `limit` at a time, keeping their order; every task is settled. */
async function settleEach<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const fulfilled = <R>(results: PromiseSettledResult<R>[]) => results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
const outcomeOf = (m: Message): SendOutcome => ({ messageId: m.id, channel: m.channel, status: m.status });
/** Queued and not held for the morning: it is attempted now. */
const inFlight = (state: MessageState) => state.message.status === 'queued' && state.message.heldUntil === undefined;

export function reliableNotifier(delivery: Notifier, options: { smsPerSecond: number }): PlatformNotifier {
  const pace = pacer(options.smsPerSecond);

  /**
   * The record a message starts as: an inbox item delivered at once, an SMS held for the morning, or one to send
   * now — on the queue under its lease, or, sent `once`, off it under its sender's claim (that sender resumes it).
   */
  async function plan(message: ResidentMessage, now: Date, each?: Omit<OnceMessage, 'message'>): Promise<MessageState> {
    // A message with a hole in it is the sender's bug: it is refused before anything is recorded.
    render(message.template, message.params);
    const { kind } = residentClass(message.template);
    const preferences = kind === null ? DEFAULT_PREFERENCES : (each?.preferences ?? (await getPreferences(message.residentId)));
    const channel = channelFor(message.template, preferences);
    const base: Message = {
      id: each?.once.id ?? newMessageId(),
      residentId: message.residentId,
      channel,
      template: message.template,
      params: message.params,
      reference: message.reference,
      status: 'queued',
      createdAt: each?.once.createdAt ?? now.toISOString(),
      attempts: 0,
    };
    if (channel === 'inbox') return { message: { ...base, status: 'delivered', deliveredAt: now.toISOString() } };
    const sms = { ...base, to: message.to };
    const sendable = smsSendableAt(message.template, now);
    if (sendable > now) return { message: { ...sms, heldUntil: sendable.toISOString() }, dueAt: sendable };
    return each ? { message: sms, claimedUntil: each.once.leaseUntil } : { message: sms, dueAt: new Date(now.getTime() + LEASE_MS) };
  }

  /** One attempt of an SMS whose record this sender holds; never throws, the outcome says what happened. */
  async function attempt(message: Message, now: Date): Promise<MessageState> {
    const attempts = message.attempts + 1;
    const { heldUntil: _held, reason: _reason, ...rest } = message;
    try {
      await pace();
      const receipt = await delivery.send({ channel: 'sms', to: message.to!, template: message.template, params: message.params, reference: message.reference });
      const at = now.toISOString();
      return {
        message: { ...rest, status: receipt.status, attempts, providerId: receipt.providerId, sentAt: at, ...(receipt.status === 'delivered' ? { deliveredAt: at } : {}) },
        awaitsReceipt: receipt.awaitsReceipt,
      };
    } catch (error) {
      const reason = failureReason(error);
      if (isRetryable(error) && attempts < MAX_ATTEMPTS) {
        const retry = retryAt(attempts, now);
        const due = smsSendableAt(message.template, retry);
        return { message: { ...rest, status: 'queued', attempts, reason, ...(due > retry ? { heldUntil: due.toISOString() } : {}) }, dueAt: due };
      }
      log.warn('message failed', { messageId: message.id, template: message.template, reference: message.reference, errorName: (error as Error).name });
      return { message: { ...rest, status: 'failed', attempts, reason, failedAt: now.toISOString() } };
    }
  }

  /** A queued message that came due: held again if the night began meanwhile, else attempted. */
  async function attemptDue(message: Message, now: Date): Promise<MessageState> {
    const sendable = smsSendableAt(message.template, now);
    if (sendable > now) return { message: { ...message, heldUntil: sendable.toISOString() }, dueAt: sendable };
    return attempt(message, now);
  }

  async function attemptStaff(record: StaffRecord, now: Date): Promise<StaffState> {
    const attempts = record.attempts + 1;
    try {
      await pace();
      await delivery.notifyStaff(record.staffMessage);
      const { reason: _reason, ...rest } = record;
      return { record: { ...rest, status: 'sent', attempts, sentAt: now.toISOString() } };
    } catch (error) {
      const reason = failureReason(error);
      if (isRetryable(error) && attempts < MAX_ATTEMPTS) return { record: { ...record, status: 'queued', attempts, reason }, dueAt: retryAt(attempts, now) };
      log.warn('staff message failed', { reference: record.staffMessage.reference, template: record.staffMessage.template, errorName: (error as Error).name });
      return { record: { ...record, status: 'failed', attempts, reason, failedAt: now.toISOString() } };
    }
  }

  return {
    async send(message, sendOptions = {}) {
      const now = sendOptions.now ?? new Date();
      const state = await plan(message, now);
      await createMessage(state, now);
      if (!inFlight(state)) return outcomeOf(state.message);
      const outcome = await attempt(state.message, now);
      await saveStates([outcome]);
      return outcomeOf(outcome.message);
    },

    async sendEach(messages, at) {
      const now = at ?? new Date();
      const states = await Promise.all(messages.map(({ message, ...each }) => plan(message, now, each)));
      // What was written is sent even when some claims failed: the caller reads the page again for the rest.
      const { claims, failure } = await createMessagesOnce(states, now);
      const claimed = states.filter((_, i) => claims[i] === 'written');
      const outcomes = fulfilled(await settleEach(claimed.filter(inFlight), CONCURRENCY, (state) => attempt(state.message, now)));
      await saveStates(outcomes);
      return { taken: claimed.length, heldElsewhere: claims.filter((claim) => claim === 'claimed').length, ...(failure !== undefined ? { unwritten: failure as Error } : {}) };
    },

    async notifyStaff(message) {
      try {
        await pace();
        await delivery.notifyStaff(message);
      } catch (error) {
        const now = new Date();
        const retry = isRetryable(error);
        const record: StaffRecord = {
          id: newMessageId(),
          staffMessage: message,
          status: retry ? 'queued' : 'failed',
          attempts: 1,
          reason: failureReason(error),
          createdAt: now.toISOString(),
          ...(retry ? {} : { failedAt: now.toISOString() }),
        };
        await recordStaffMessage({ record, ...(retry ? { dueAt: retryAt(1, now) } : {}) });
        log.warn('staff message not sent; kept for retry', { messageId: record.id, template: message.template, reference: message.reference, retry });
      }
    },

    async sendQueued(run) {
      const clock = () => run.now ?? new Date();
      const totals = { sent: 0, failed: 0, queued: 0 };
      let startKey: Record<string, unknown> | undefined;
      do {
        if (!run.hasTimeLeft()) break;
        const page = await dueQueueEntries(clock(), QUEUE_PAGE, startKey);
        const leases = await settleEach(page.entries, CONCURRENCY, async (entry) =>
          (await leaseQueueEntry(entry, new Date(clock().getTime() + LEASE_MS))) ? entry : undefined,
        );
        const held = fulfilled(leases).filter((entry): entry is QueueEntry => entry !== undefined);
        const states = fulfilled(
          await settleEach(held, CONCURRENCY, (entry): Promise<MessageState | StaffState> =>
            entry.audience === 'resident' ? attemptDue(entry.message, clock()) : attemptStaff(entry.record, clock()),
          ),
        );
        await saveStates(states);
        for (const state of states) {
          const status = 'record' in state ? state.record.status : state.message.status;
          if (status === 'failed') totals.failed++;
          else if (status === 'queued') totals.queued++;
          else totals.sent++;
        }
        startKey = page.nextKey;
      } while (startKey);
      return totals;
    },
  };
}
