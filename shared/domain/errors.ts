// Named business errors. Handlers throw these; the HTTP layer maps each to its status and stable `code`
// (API.md), so no handler ever builds an error response by hand.

export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    /** Response headers the refusal needs, e.g. Retry-After of a 503 or 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'DomainError';
  }
}

export const validationFailed = (errors: FieldError[], detail = 'The request has invalid fields.') =>
  new DomainError(400, 'validation_failed', 'Validation failed', detail, errors);
export const unauthenticated = (detail = 'A valid bearer token is required.') =>
  new DomainError(401, 'unauthenticated', 'Unauthenticated', detail);
/** 403; `code` names a refusal a client can act on (separation_of_duties, identity_not_verified …). */
export const forbidden = (detail = 'Your role may not do this.', code = 'forbidden') => new DomainError(403, code, 'Forbidden', detail);
export const notFound = (detail = 'No such resource.') => new DomainError(404, 'not_found', 'Not found', detail);
export const conflict = (code: string, detail: string) => new DomainError(409, code, 'Conflict', detail);
export const businessRule = (detail: string, errors?: FieldError[]) =>
  new DomainError(422, 'business_rule', 'Business rule violated', detail, errors);
export const paymentProviderFailed = (detail: string) =>
  new DomainError(502, 'payment_provider_failed', 'Payment provider failed', detail);
/** 503 with Retry-After: a provider the request depends on did not answer; nothing was changed. */
export const serviceUnavailable = (code: string, detail: string, retryAfterSeconds: number) =>
  new DomainError(503, code, 'Service unavailable', detail, undefined, { 'retry-after': String(retryAfterSeconds) });
/** 429 with Retry-After: an allowance of the account is used up for now. */
export const tooManyRequests = (code: string, detail: string, retryAfterSeconds: number) =>
  new DomainError(429, code, 'Too many requests', detail, undefined, { 'retry-after': String(retryAfterSeconds) });
