import type { Clock } from '../../platform/clock.js';
import { invalidResponseInit, transportFailureInit, type GatewayErrorInit } from './gateway-error.js';
import type { HttpEndpoint } from './http-endpoint.js';
import { DecodeError } from './response-decoding.js';
import { clampRetryAfterMs, parseRetryAfter, tryJson, type TransportFailure } from './transport.js';

/** How a gateway turns each way a call can fail into its own error class. */
export interface JsonCallErrors<E extends Error> {
  transport(failure: TransportFailure, method: string, path: string, cause: unknown): E;
  invalidResponse(method: string, path: string, status: number, problem: string, cause?: unknown): E;
  /** A non-2xx answer: `body` is its JSON when it had any; `retryAfterMs` is clamped. */
  http(status: number, body: unknown, method: string, path: string, retryAfterMs: number | undefined): E;
}

/**
 * The errors of a gateway whose error class is built from GatewayErrorInit: a lost exchange and an
 * unreadable answer have the same fields for every gateway; only the reading of a non-2xx answer is its own.
 */
export function jsonCallErrors<E extends Error>(make: (init: GatewayErrorInit) => E, http: JsonCallErrors<E>['http']): JsonCallErrors<E> {
  return {
    transport: (failure, method, path, cause) => make(transportFailureInit(failure, method, path, cause)),
    invalidResponse: (method, path, status, problem, cause) => make(invalidResponseInit(method, path, status, problem, cause)),
    http,
  };
}

/**
 * One JSON API call, in the order every gateway needs: serialize the body once and send it; a
 * transport failure, an oversized or non-2xx answer, an empty or non-JSON body and a body that
 * does not decode each become the gateway's own error; otherwise the decoded value.
 */
export async function jsonCall<T, E extends Error>(
  endpoint: HttpEndpoint,
  clock: Clock,
  request: { method: string; path: string; headers: Record<string, string>; body: unknown },
  errors: JsonCallErrors<E>,
  decode: (json: unknown) => T,
): Promise<T> {
  const { method, path } = request;
  const headers = { ...request.headers };
  const bytes = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body), 'utf8');
  if (bytes !== undefined) headers['content-type'] = 'application/json';
  const exchange = await endpoint.exchange(method, path, headers, bytes);
  if (exchange.kind === 'failure') throw errors.transport(exchange.failure, method, path, exchange.cause);
  if (exchange.kind === 'tooLarge') throw errors.invalidResponse(method, path, exchange.status, 'response too large');
  const { status, text, headers: responseHeaders } = exchange.response;
  if (status < 200 || status > 299) {
    const retryAfter = clampRetryAfterMs(parseRetryAfter(responseHeaders['retry-after'], clock.wallMs()));
    throw errors.http(status, tryJson(text), method, path, retryAfter);
  }
  if (text.trim() === '') throw errors.invalidResponse(method, path, status, 'empty body');
  const json = tryJson(text);
  if (json === undefined) throw errors.invalidResponse(method, path, status, 'not JSON');
  try {
    return decode(json);
  } catch (error) {
    if (error instanceof DecodeError) throw errors.invalidResponse(method, path, status, error.message, error);
    throw error;
  }
}
