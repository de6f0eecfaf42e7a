/**
 * What kind of failure a domain error is. Only the global exception filter turns a kind
 * into an HTTP status, so domain code never speaks HTTP.
 */
export type DomainErrorKind =
  | 'invalid' // the request is malformed for the domain (400)
  | 'unauthenticated' // who you are is unknown or wrong (401)
  | 'forbidden' // you are known but may not do this (403)
  | 'not_found' // no such resource, or not visible to you (404)
  | 'conflict' // the resource's current state forbids it (409)
  | 'unprocessable' // well-formed but refused by a rule (422)
  | 'rate_limited' // too many attempts from this client; retry later (429)
  | 'unavailable'; // a service the market relies on (a payment provider) cannot answer now; retry (503)

/** A rule of the market was broken. `code` is stable (`IDENTITY.EMAIL_TAKEN`) and documented. */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly extra: Record<string, unknown>;

  constructor(code: string, kind: DomainErrorKind, message: string, extra: Record<string, unknown> = {}) {
    // A refusal is an answer, not a fault: it is never logged with a trace, so none is captured
    // (a refused bid is the common case on a busy auction). An outage keeps its trace.
    const traceLimit = Error.stackTraceLimit;
    if (kind !== 'unavailable') Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = traceLimit;
    this.code = code;
    this.kind = kind;
    this.extra = extra;
    this.name = 'DomainError';
  }
}

/** The same 404 whether the resource is absent or belongs to someone else: existence is not leaked. */
export class NotFoundError extends DomainError {
  constructor(resource: string, id: string) {
    super(`${resource.toUpperCase()}.NOT_FOUND`, 'not_found', `${resource} ${id} was not found`);
  }
}

export interface FieldError {
  field: string;
  message: string;
}

/** Input failed validation; `errors` name each offending field by its path (`organization.uscc`). */
export class ValidationFailedError extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super('VALIDATION_FAILED', 'invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}
