import type { Dispatcher } from 'undici';
import { request } from './undici-core.js';

/**
 * What every HTTP gateway shares below its own error class: sending one request through an undici
 * Dispatcher with bounded waits and a capped body, telling transport failures apart (nothing sent
 * vs. sent and lost), and reading Retry-After. Each gateway wraps these facts in its own error
 * class with a stable `code`; nothing here knows an API.
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

/** The code of the error a request aborted by its endpoint's stop() rejects with. */
export const ABORTED_AT_STOP = 'UND_ERR_ABORTED';

/** The reason a stopping endpoint aborts its requests with: classified as a lost answer (ambiguous for a write). */
export function abortedAtStop(name: string): Error {
  return Object.assign(new Error(`${name} client stopped: request aborted`), { code: ABORTED_AT_STOP });
}

function errnoCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

/** A failure with no HTTP response, as facts: the gateway turns them into its own error. */
export interface TransportFailure {
  /** `connect_failed` (nothing was sent), `request_timeout` or `connection_reset` (sent, answer lost). */
  readonly code: 'connect_failed' | 'request_timeout' | 'connection_reset';
  /** True when the request may have been applied: a write that left the machine. */
  readonly ambiguous: boolean;
  /** Always true: the network may come back. */
  readonly retryable: true;
  /** The underlying errno / undici code, for the message. */
  readonly errno: string | undefined;
  readonly message: string;
}

export function classifyTransportFailure(error: unknown, method: string, path: string): TransportFailure {
  const errno = errnoCode(error);
  if (errno !== undefined && NOT_SENT_CODES.has(errno)) {
    return { code: 'connect_failed', ambiguous: false, retryable: true, errno, message: `${method} ${path}: could not connect (${errno})` };
  }
  const timeout = errno !== undefined && TIMEOUT_CODES.has(errno);
  const write = isWrite(method);
  // Aborted by our own stop(): the request may have left, as after kill -9, so a write is ambiguous.
  const lost = errno === ABORTED_AT_STOP ? 'aborted at stop' : timeout ? 'no answer in time' : 'connection lost';
  return {
    code: timeout ? 'request_timeout' : 'connection_reset',
    ambiguous: write,
    retryable: true,
    errno,
    message: `${method} ${path}: ${lost} (${errno ?? 'unknown'})${write ? '; it may have been applied' : ''}`,
  };
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

/**
 * Keeps a server's Retry-After within what a terminal can act on: at least 1 s (a 0 would invite
 * a hot loop), at most 120 s (a date far ahead, or a wrong clock, must not park work for hours;
 * the caller's own backoff takes over after that).
 */
export function clampRetryAfterMs(ms: number | undefined, minMs = 1_000, maxMs = 120_000): number | undefined {
  if (ms === undefined) return undefined;
  return Math.min(maxMs, Math.max(minMs, ms));
}

/** A response as read: status, the body as text (capped), headers. */
export interface RawHttpResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface SendOptions {
  readonly origin: string;
  /** Path plus query, already encoded. */
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer | undefined;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  /** A body larger than this is not read to the end: `tooLarge` is set instead of `text`. */
  readonly maxResponseBytes: number;
  /** Aborts the request (the endpoint's stop): it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Sends one request and reads its body. Resolves with the response (any status), or with
 * `{tooLarge: true}` when the body exceeds the cap; rejects only with the transport's own error,
 * which the caller classifies with classifyTransportFailure.
 */
export async function sendRequest(dispatcher: Dispatcher, options: SendOptions): Promise<RawHttpResponse | { tooLarge: true; status: number }> {
  // undici's request method, not dispatcher.request: the index that puts it on every dispatcher is not loaded.
  const response = await request.call(dispatcher, {
    origin: options.origin,
    path: options.path,
    method: options.method as Dispatcher.HttpMethod,
    headers: options.headers,
    body: options.body ?? null,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await readCapped(response.body, options.maxResponseBytes);
  if (text === undefined) return { tooLarge: true, status: response.statusCode };
  return { status: response.statusCode, text, headers: response.headers };
}

export async function readCapped(body: AsyncIterable<Buffer | string> & { destroy?: () => unknown }, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > max) {
      // The rest is not wanted; releasing the stream frees the connection.
      body.destroy?.();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON.parse that answers undefined instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
