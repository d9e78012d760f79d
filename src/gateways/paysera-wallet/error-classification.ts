import { WalletError } from './wallet-error.js';

/**
 * The one table that turns what happened to a request into a WalletError's code and flags.
 * Everything above the client branches on these flags, never on text.
 */

/** A write can change remote state; a read cannot, so a read is never ambiguous. */
export function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** undici / Node error codes raised before any request byte left the machine. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_NOT_YET_VALID',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function errnoCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

/** A failure with no HTTP response: refused before sending, or lost after. */
export function classifyTransportError(error: unknown, method: string, path: string): WalletError {
  const code = errnoCode(error);
  const write = isWrite(method);
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new WalletError({
      code: 'connect_failed',
      message: `${method} ${path}: could not connect (${code})`,
      method,
      path,
      ambiguous: false,
      retryable: true,
      cause: error,
    });
  }
  const timeout = code !== undefined && TIMEOUT_CODES.has(code);
  return new WalletError({
    code: timeout ? 'request_timeout' : 'connection_reset',
    message: `${method} ${path}: ${timeout ? 'no answer in time' : 'connection lost'} (${code ?? 'unknown'})${write ? '; it may have been applied' : ''}`,
    method,
    path,
    ambiguous: write,
    retryable: true,
    cause: error,
  });
}

export interface ErrorBody {
  error?: unknown;
  error_description?: unknown;
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
  const serverSide = status >= 500;
  const rateLimited = status === 429 || code === 'rate_limit_exceeded';
  const clock = code === 'invalid_timestamp';
  return new WalletError({
    code,
    message: `${method} ${path}: HTTP ${status} ${code}${description ? `: ${description}` : ''}`,
    method,
    path,
    status,
    // A 5xx on a write may have been applied before the server failed.
    ambiguous: serverSide && isWrite(method),
    retryable: serverSide || rateLimited || clock,
    retryAfterMs: rateLimited ? retryAfterMs : undefined,
    description,
  });
}

/** A response we could not understand: on a 2xx write, the effect happened but we cannot see it. */
export function invalidResponse(method: string, path: string, status: number, problem: string, cause?: unknown): WalletError {
  const applied = status >= 200 && status < 300 && isWrite(method);
  return new WalletError({
    code: 'invalid_response',
    message: `${method} ${path}: HTTP ${status} with an invalid response: ${problem}`,
    method,
    path,
    status,
    ambiguous: applied,
    retryable: true,
    cause,
  });
}

/**
 * Retry-After as seconds or an HTTP date (RFC 9110 10.2.3), in ms from now. `nowMs` is the wall
 * clock, only needed for the date form. Absent or unparsable: undefined.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
