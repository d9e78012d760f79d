import { CentrapayError } from './centrapay-error.js';
import { httpStatusFlags, invalidArgumentInit } from '../http/gateway-error.js';

/**
 * The one table that turns a Centrapay error answer into a CentrapayError's code and flags
 * (docs/apis.md#centrapay-errors); a lost exchange or an unreadable answer gets the fields every
 * gateway gives it (jsonCallErrors). Everything above the client branches on these, never on text.
 */

/** The documented error body: `{statusCode, error, message, reason?}`; `message` carries the code. */
export interface CentrapayErrorBody {
  statusCode?: unknown;
  error?: unknown;
  message?: unknown;
  reason?: unknown;
}

/** Centrapay's codes are UPPER_SNAKE (`REQUEST_EXPIRED`); other messages are prose ("Missing authentication"). */
const API_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

function statusCode(status: number): string {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'http_error';
}

export function classifyHttpError(status: number, body: CentrapayErrorBody | undefined, method: string, path: string, retryAfterMs: number | undefined): CentrapayError {
  const apiMessage = typeof body?.message === 'string' && body.message !== '' ? body.message : undefined;
  const reason = typeof body?.reason === 'string' && body.reason !== '' ? body.reason : undefined;
  // 401 and 5xx keep their status code whatever the body says: their handling must not depend on it.
  const fromApi = apiMessage !== undefined && API_CODE.test(apiMessage) && status !== 401 && status < 500 ? apiMessage.toLowerCase() : undefined;
  const code = fromApi ?? statusCode(status);
  return new CentrapayError({
    code,
    message: `${method} ${path}: HTTP ${status} ${code}${reason ? `: ${reason}` : apiMessage && fromApi === undefined ? `: ${apiMessage}` : ''}`,
    method,
    path,
    status,
    ...httpStatusFlags(status, method, retryAfterMs),
    apiMessage,
    reason,
  });
}

/** A call refused before sending (see invalidArgumentInit). */
export function invalidArgument(method: string, path: string, problem: string): CentrapayError {
  return new CentrapayError(invalidArgumentInit(method, path, problem));
}
