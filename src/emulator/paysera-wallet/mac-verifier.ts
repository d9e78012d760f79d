import { timingSafeEqual } from 'node:crypto';
import { bodyHash, computeMac, parseAuthorizationHeader } from '../../gateways/paysera-wallet/mac-signature.js';
import type { EmulatorClock } from '../emulator-clock.js';
import type { EmulatorRequest } from '../exchange.js';
import { HttpError } from '../http-error.js';

export interface MacCredential {
  readonly macId: string;
  readonly macKey: string;
}

/** Paysera's documented example credentials (reference §1), the emulator's default. */
export const EXAMPLE_CREDENTIAL: MacCredential = { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU' };

export interface VerifiedRequest {
  readonly macId: string;
  /** ext parsed as a query string (body_hash, project_id, location_id, ...), only after the MAC matched. */
  readonly ext: URLSearchParams;
}

/** The MAC draft suggests ±5 minutes; Paysera does not document its window (reference §3.5). */
export const DEFAULT_TIMESTAMP_WINDOW_S = 300;

/**
 * Server-side MAC verification, reference §3.6, in this order: header parsed and id known, MAC
 * recomputed over the raw request and compared in constant time, ts within the window of the
 * emulator's (possibly skewed) clock, (id, ts, nonce) not seen before, body_hash equal to the
 * SHA-256 of the exact body bytes. Any failure is 401 `unauthorized`, except the window, which is
 * 401 `invalid_timestamp` with Paysera's two known descriptions.
 *
 * A nonce is remembered only once the request passed every check, and forgotten once its ts
 * falls out of the window (a replay then fails the window check instead).
 */
export class MacVerifier {
  private readonly keys: Map<string, string>;
  private seen = new Map<string, number>();

  constructor(
    credentials: readonly MacCredential[],
    private readonly clock: EmulatorClock,
    private readonly windowS: number = DEFAULT_TIMESTAMP_WINDOW_S,
  ) {
    this.keys = new Map(credentials.map((c) => [c.macId, c.macKey]));
  }

  reset(): void {
    this.seen = new Map();
  }

  /** Returns the verified caller or throws a 401 HttpError. */
  verify(request: EmulatorRequest): VerifiedRequest {
    const header = request.headers.authorization;
    if (header === undefined) throw unauthorized('Authorization header is missing');
    const params = parseAuthorizationHeader(header);
    if (params === undefined) throw unauthorized('Authorization header is not a MAC header');
    const { id, ts, nonce, mac } = params;
    const ext = params.ext ?? '';
    if (id === undefined || ts === undefined || nonce === undefined || mac === undefined) throw unauthorized('MAC header lacks id, ts, nonce or mac');
    const key = this.keys.get(id);
    if (key === undefined) throw unauthorized('Unknown client');

    const { host, port } = hostAndPort(request.headers.host);
    const expected = computeMac(key, { ts, nonce, method: request.method, requestUri: request.target, host, port, ext });
    if (!constantTimeEqual(expected, mac)) throw unauthorized('MAC is invalid');

    if (!/^\d{1,12}$/.test(ts)) throw unauthorized('ts must be unix seconds');
    const now = this.clock.nowS();
    const tsNumber = Number(ts);
    if (tsNumber > now + this.windowS) throw new HttpError(401, 'invalid_timestamp', 'Timestamp is in future');
    if (tsNumber < now - this.windowS) throw new HttpError(401, 'invalid_timestamp', 'Timestamp lifetime exceeded');

    const replayKey = `${id}\n${ts}\n${nonce}`;
    if (this.seen.has(replayKey)) throw unauthorized('Nonce was already used');

    const extParams = new URLSearchParams(ext);
    const claimedHash = extParams.get('body_hash');
    if (request.body.length > 0 || claimedHash !== null) {
      if (claimedHash === null) throw unauthorized('body_hash is missing from ext');
      if (!constantTimeEqual(bodyHash(request.body), claimedHash)) throw unauthorized('body_hash does not match the body');
    }

    this.remember(replayKey, tsNumber, now);
    return { macId: id, ext: extParams };
  }

  private remember(replayKey: string, ts: number, now: number): void {
    this.seen.set(replayKey, ts);
    if (this.seen.size % 256 === 0) {
      for (const [k, seenTs] of this.seen) if (seenTs < now - this.windowS) this.seen.delete(k);
    }
  }
}

function unauthorized(description: string): HttpError {
  return new HttpError(401, 'unauthorized', description, { 'WWW-Authenticate': 'MAC' });
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of where they differ.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Host header -> (lower-cased host without port, port). IPv6 keeps its brackets, as URL.hostname does. No port: 80 (the emulator is plain http). */
export function hostAndPort(hostHeader: string | undefined): { host: string; port: number } {
  const value = (hostHeader ?? '').trim().toLowerCase();
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(value);
  if (match === null) return { host: value, port: 80 };
  return { host: match[1] ?? '', port: match[2] === undefined ? 80 : Number(match[2]) };
}
