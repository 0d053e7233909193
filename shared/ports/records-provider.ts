// The RecordsProvider port: a resident's own record in the government systems — 人社 (social-insurance
// contributions), 医保 (medical-insurance account) and 住房公积金 (housing-fund account) — looked up by ID number.
// Adapter: gov-records-client.ts (the city's government data-sharing exchange over HTTPS); under `npm start`
// and in tests it talks to infra/local/records-sandbox.ts.

import type { RecordKind, ResidentRecord } from '../domain/records.ts';

/** The system gave no usable answer now (timeout, 5xx, throttled, misconfigured): nothing is known. */
export class RecordsProviderUnavailable extends Error {
  override readonly name = 'RecordsProviderUnavailable';
  constructor(
    readonly reason: string,
    /** False when a person must act first (credentials, a contract): worth an error-level log. */
    readonly retryable: boolean,
  ) {
    super(`records provider unavailable: ${reason}`);
  }
}

export interface RecordsProvider {
  /** The record of the person with this ID number; null when the system holds none. Never logs the number. */
  lookup(kind: RecordKind, idNumber: string): Promise<ResidentRecord | null>;
}
