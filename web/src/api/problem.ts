// What a failed request tells the page: an RFC 9457 problem from the API (with the field paths of a 400),
// or that the network failed, in which case the form keeps everything and the same request can be retried.

export type FieldError = { path: string; message: string };

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

/** The request never got an answer: offline, or the connection dropped. */
export class NetworkFailure extends Error {}
