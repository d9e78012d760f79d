import { classifyTransportFailure } from '../http/transport.js';
import { httpStatusFlags, invalidResponseInit, transportFailureInit } from '../http/gateway-error.js';
import { WalletError } from './wallet-error.js';

/**
 * The one table that turns what happened to a request into a WalletError's code and flags.
 * Everything above the client branches on these flags, never on text.
 */

export { isWrite, parseRetryAfter } from '../http/transport.js';

/** A failure with no HTTP response: refused before sending, or lost after. */
export function classifyTransportError(error: unknown, method: string, path: string): WalletError {
  return new WalletError(transportFailureInit(classifyTransportFailure(error, method, path), method, path, error));
}

/** Paysera's REST error body (lib-api-bundle's ErrorNormalizer): code, text, and the violated fields. */
export interface ErrorBody {
  error?: unknown;
  error_description?: unknown;
  error_properties?: unknown;
  errors?: unknown;
}

/** The fields an error body names: `errors[].field` and the keys of `error_properties`. */
function violatedFields(body: ErrorBody | undefined): string[] {
  const fields = new Set<string>();
  if (Array.isArray(body?.errors)) {
    for (const e of body.errors) if (typeof e === 'object' && e !== null && typeof (e as { field?: unknown }).field === 'string') fields.add((e as { field: string }).field);
  }
  const properties = body?.error_properties;
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) for (const key of Object.keys(properties)) fields.add(key);
  return [...fields];
}

/** A non-2xx response. The API's `error` becomes the code; the status decides the flags. */
export function classifyHttpError(
  status: number,
  body: ErrorBody | undefined,
  method: string,
  path: string,
  retryAfterMs: number | undefined,
): WalletError {
  const apiCode = typeof body?.error === 'string' && body.error !== '' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  const code = apiCode ?? (status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'internal_server_error' : 'http_error');
  return new WalletError({
    code,
    message: `${method} ${path}: HTTP ${status} ${code}${description ? `: ${description}` : ''}`,
    method,
    path,
    status,
    // The API's own rate-limit code counts whatever the status; a timestamp refusal passes once the clock is re-read.
    ...httpStatusFlags(status, method, retryAfterMs, { rateLimited: code === 'rate_limit_exceeded', retryable: code === 'invalid_timestamp' }),
    description,
    fields: violatedFields(body),
  });
}

/** A response we could not understand: on a 2xx write, the effect happened but we cannot see it. */
export function invalidResponse(method: string, path: string, status: number, problem: string, cause?: unknown): WalletError {
  return new WalletError(invalidResponseInit(method, path, status, problem, cause));
}
