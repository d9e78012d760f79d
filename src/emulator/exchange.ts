import type { IncomingHttpHeaders } from 'node:http';
import type { AmountAlteration } from './amount-alteration.js';

/**
 * One request as the emulator's handlers see it: fully read, never re-encoded. `target` is the
 * request-target exactly as it came on the request line, because the MAC covers those bytes.
 */
export interface EmulatorRequest {
  readonly method: string;
  /** Raw request-target (path plus `?query`), percent-encoding kept. */
  readonly target: string;
  /** The path part of `target`, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body bytes exactly as received (empty when there was none). */
  readonly body: Buffer;
  readonly remoteAddress: string;
  /** Facts a handler wants in the request log (for example which MAC id signed the request). */
  readonly notes: Record<string, string>;
  /** Set when an `alterAmount` fault fired: the handler alters what it creates or reserves. */
  readonly alteration?: AmountAlteration | undefined;
}

export interface EmulatorResponse {
  status: number;
  /** Serialized as compact JSON; omitted for no body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The error code for the request log when the body's shape does not carry it as `error`. */
  errorCode?: string;
}

export type RouteHandler = (request: EmulatorRequest, params: Readonly<Record<string, string>>) => EmulatorResponse | Promise<EmulatorResponse>;

export const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

/** Parses a JSON body. An empty body is `undefined`; malformed JSON is the caller's 400. */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
