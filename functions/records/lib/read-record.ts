// Reading a resident's record for one request, whoever reads it (the resident, or a clerk at the counter for
// the resident who swiped their card): through the RecordsProvider port, with a short in-memory cache per
// resident and kind, and an audit item per lookup written before the answer goes out — a lookup that cannot be
// audited is not shown. A provider that does not answer is 503 with Retry-After, never a 500.

import { auditLookup, type RecordLookup } from '../../../shared/data/record-lookups.ts';
import { notFound, serviceUnavailable } from '../../../shared/domain/errors.ts';
import { settlementOf, type RecordAnswer, type RecordKind, type ResidentRecord } from '../../../shared/domain/records.ts';
import type { ResidentProfile } from '../../../shared/domain/residents.ts';
import { log } from '../../../shared/log.ts';
import { RecordsProviderUnavailable } from '../../../shared/ports/records-provider.ts';
import { recordsProvider } from '../../../shared/ports/records-provider-from-env.ts';

/**
 * How long one answer is reused for the same resident and kind: a resident flicking between the three tabs,
 * or reloading, does not ask the bureau again, and a payment made in the hall shows within a minute.
 */
export const RECORD_CACHE_SECONDS = 60;
/** Entries kept at most by one function instance (the oldest go first). */
const CACHE_ENTRIES = 1_000;
/** What a resident is told to wait after the provider failed: the bureaus' systems recover within minutes. */
export const RECORDS_RETRY_AFTER_SECONDS = 30;

type Cached = { record: ResidentRecord | null; fetchedAt: string; until: number };
const cache = new Map<string, Cached>();

/** The cache is keyed by user id and kind, never by the ID number; a profile saved anew (another number) misses. */
async function cachedLookup(profile: ResidentProfile, kind: RecordKind, now: Date): Promise<Cached & { cached: boolean }> {
  const key = `${profile.userId}\n${profile.updatedAt}\n${kind}`;
  const hit = cache.get(key);
  if (hit && hit.until > now.getTime()) return { ...hit, cached: true };
  const fresh: Cached = { record: await recordsProvider.lookup(kind, profile.idNumber), fetchedAt: now.toISOString(), until: now.getTime() + RECORD_CACHE_SECONDS * 1000 };
  cache.delete(key);
  cache.set(key, fresh);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return { ...fresh, cached: false };
}

export type Reader = Pick<RecordLookup, 'actor' | 'actorRole' | 'centre'>;

/** The record as the API answers it, with the matter that settles its arrears (null when nothing is owed). */
export async function readRecord(profile: ResidentProfile, kind: RecordKind, reader: Reader): Promise<RecordAnswer> {
  const at = new Date();
  const audit = (outcome: RecordLookup['outcome'], cached: boolean) =>
    auditLookup({ residentId: profile.userId, kind, ...reader, at: at.toISOString(), cached, outcome });
  let found: Awaited<ReturnType<typeof cachedLookup>>;
  try {
    found = await cachedLookup(profile, kind, at);
  } catch (error) {
    if (!(error instanceof RecordsProviderUnavailable)) throw error;
    if (error.retryable) log.warn('records provider unavailable', { kind, reason: error.reason });
    else log.error('records provider refused the platform', { kind, reason: error.reason });
    await audit('unavailable', false);
    throw serviceUnavailable(
      'records_unavailable',
      `The ${kind} system did not answer just now; nothing was changed. Try again in ${RECORDS_RETRY_AFTER_SECONDS} seconds.`,
      RECORDS_RETRY_AFTER_SECONDS,
    );
  }
  await audit(found.record ? 'shown' : 'no_record', found.cached);
  if (!found.record) throw notFound(`The ${kind} system holds no record of this person.`);
  return { ...found.record, settle: settlementOf(found.record), fetchedAt: found.fetchedAt };
}
