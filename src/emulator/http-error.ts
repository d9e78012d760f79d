import { CodedError } from '../platform/coded-error.js';

/**
 * An API error the emulator answers with: `code` is the documented `error` string
 * (`invalid_state`, `not_found`, ...), `status` the HTTP status and `description` the
 * `error_description`. Handlers throw it before they change any state, so a request that ends in
 * an HttpError was never applied.
 */
export class HttpError extends CodedError {
  readonly status: number;
  readonly description: string;
  readonly headers: Readonly<Record<string, string>>;
  /** More fields of a Paysera error body, e.g. `errors` and `error_properties` naming violated fields. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, description: string, headers: Record<string, string> = {}, details: Record<string, unknown> = {}) {
    super(code, description);
    this.status = status;
    this.description = description;
    this.headers = headers;
    this.details = details;
  }
}

export const badParameters = (description: string): HttpError => new HttpError(400, 'invalid_parameters', description);
export const notFound = (description: string): HttpError => new HttpError(404, 'not_found', description);
export const invalidState = (description: string): HttpError => new HttpError(409, 'invalid_state', description);
