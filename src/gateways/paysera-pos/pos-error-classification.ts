import { PosError } from './pos-error.js';
import { httpStatusFlags, invalidArgumentInit } from '../http/gateway-error.js';

/**
 * The one table that turns a POS error answer into a PosError's code and flags
 * (docs/apis.md#paysera-pos-errors); a lost exchange or an unreadable answer gets the fields every
 * gateway gives it (jsonCallErrors). No POS error body is documented, so the code comes from the status alone;
 * the body's text (`message | error_description | error`) is kept for logs only.
 */

const BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation_failed',
  429: 'rate_limit_exceeded',
};

export function classifyHttpError(status: number, body: unknown, method: string, path: string, retryAfterMs: number | undefined): PosError {
  const code = BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'http_error');
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string): string | undefined => (typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : undefined);
  const apiError = text('error');
  const description = text('message') ?? text('error_description') ?? apiError;
  return new PosError({
    code,
    message: `${method} ${path}: HTTP ${status} ${code}${description ? `: ${description}` : ''}`,
    method,
    path,
    status,
    ...httpStatusFlags(status, method, retryAfterMs),
    apiError,
    description,
  });
}

/** A call refused before sending (see invalidArgumentInit). */
export function invalidArgument(method: string, path: string, problem: string): PosError {
  return new PosError(invalidArgumentInit(method, path, problem));
}
