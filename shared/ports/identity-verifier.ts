// The IdentityVerifier port: the real-name check (实名核验, 二要素: name + ID number) against the national
// register that government services use before they act on a claimed identity. Adapter: aliyun-id-verifier.ts
// (Aliyun 实人认证 Id2MetaVerify); under `npm start` and in tests it talks to infra/local/identity-sandbox.ts.

/**
 * What the register says about a name and an ID number: they belong together, the number belongs to someone
 * else, or the register cannot answer for it (no record, or a name/number it cannot hold).
 */
export type IdentityCheck = 'match' | 'mismatch' | 'no_record';

export type IdentityClaim = { name: string; idNumber: string };

/** The check could not be made now (timeout, provider down, throttled, misconfigured): nothing is known. */
export class IdentityVerifierUnavailable extends Error {
  override readonly name = 'IdentityVerifierUnavailable';
  constructor(
    readonly reason: string,
    /** False when a person must act first (credentials, an unpaid account): worth an error-level log. */
    readonly retryable: boolean,
  ) {
    super(`identity check unavailable: ${reason}`);
  }
}

export interface IdentityVerifier {
  /** One check; throws IdentityVerifierUnavailable when there is no answer. Never logs the claim. */
  verify(claim: IdentityClaim): Promise<IdentityCheck>;
}
