import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EmulatorClock } from '../emulator-clock.js';
import type { EmulatorRequest } from '../exchange.js';
import { HttpError } from '../http-error.js';

/**
 * The emulator's own check of Paysera's MAC authentication, written from the published scheme
 * (https://developers.paysera.com/guides/wallet/authentication and the OAuth 2.0 MAC token draft
 * it cites, draft-ietf-oauth-v2-http-mac-01), not from counterpay's client: it shares no code with
 * src/gateways/paysera-wallet/mac-signature.ts, so a signing bug cannot pass its own check. Both
 * are held to Paysera's published example signatures (test/fixtures/paysera-mac-vectors.json).
 */

export interface MacCredential {
  readonly macId: string;
  readonly macKey: string;
}

/** Paysera's documented example credentials (https://developers.paysera.com/guides/wallet/authentication), the emulator's default. */
export const EXAMPLE_CREDENTIAL: MacCredential = { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU' };

export interface VerifiedRequest {
  readonly macId: string;
  /** ext parsed as a query string (body_hash, project_id, location_id, ...), only after the MAC matched. */
  readonly ext: URLSearchParams;
}

/** The MAC draft suggests ±5 minutes; Paysera does not document its window. */
export const DEFAULT_TIMESTAMP_WINDOW_S = 300;

/** The fields of a MAC Authorization header, as received (ext still URL-encoded). */
export interface MacAuthorization {
  readonly id: string;
  readonly ts: string;
  readonly nonce: string;
  readonly mac: string;
  readonly ext: string;
}

/**
 * Server-side MAC verification, in this order: header parsed and id known, MAC recomputed over
 * the raw request and compared in constant time, ts within the window of the emulator's
 * (possibly skewed) clock, (id, ts, nonce) not seen before, body_hash equal to the SHA-256 of the
 * exact body bytes. Any failure is 401 `unauthorized`, except the window, which is 401
 * `invalid_timestamp` with Paysera's two known descriptions ("Timestamp is in future",
 * "Timestamp lifetime exceeded", as Paysera's Java SDK names them).
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
    const auth = readMacAuthorization(header);
    if (auth === undefined) throw unauthorized('Authorization header is not a MAC header with id, ts, nonce and mac');
    const key = this.keys.get(auth.id);
    if (key === undefined) throw unauthorized('Unknown client');

    const { host, port } = hostAndPort(request.headers.host);
    const expected = requestMac(key, auth, { method: request.method, target: request.target, host, port });
    if (!sameText(expected, auth.mac)) throw unauthorized('MAC is invalid');

    if (!/^\d{1,12}$/.test(auth.ts)) throw unauthorized('ts must be unix seconds');
    const now = this.clock.nowS();
    const ts = Number(auth.ts);
    if (ts > now + this.windowS) throw new HttpError(401, 'invalid_timestamp', 'Timestamp is in future');
    if (ts < now - this.windowS) throw new HttpError(401, 'invalid_timestamp', 'Timestamp lifetime exceeded');

    const replayKey = JSON.stringify([auth.id, auth.ts, auth.nonce]);
    if (this.seen.has(replayKey)) throw unauthorized('Nonce was already used');

    // ext is MAC-ed verbatim above and only parsed now (its parameter order is the client's).
    const ext = new URLSearchParams(auth.ext);
    const claimed = ext.get('body_hash');
    if (request.body.length > 0 || claimed !== null) {
      if (claimed === null) throw unauthorized('body_hash is missing from ext');
      if (!sameText(sha256Base64(request.body), claimed)) throw unauthorized('body_hash does not match the body');
    }

    this.remember(replayKey, ts, now);
    return { macId: auth.id, ext };
  }

  private remember(replayKey: string, ts: number, now: number): void {
    this.seen.set(replayKey, ts);
    if (this.seen.size % 256 === 0) {
      for (const [k, seenTs] of this.seen) if (seenTs < now - this.windowS) this.seen.delete(k);
    }
  }
}

/**
 * `MAC id="..", ts="..", nonce="..", mac=".."[, ext=".."]`: auth-params of the form
 * name="quoted string", separated by commas. A quoted value may hold spaces, commas and `=`
 * (the PHP client's nonces do); a backslash escapes the next character, as in an HTTP
 * quoted-string. Undefined when the header is not that, or lacks id, ts, nonce or mac.
 */
export function readMacAuthorization(header: string): MacAuthorization | undefined {
  const scheme = /^\s*MAC\s+/i.exec(header);
  if (scheme === null) return undefined;
  const param = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  param.lastIndex = scheme[0].length;
  const fields = new Map<string, string>();
  while (param.lastIndex < header.length) {
    const match = param.exec(header);
    if (match === null) return undefined;
    const name = match[1] ?? '';
    if (fields.has(name)) return undefined;
    fields.set(name, (match[2] ?? '').replace(/\\(.)/g, '$1'));
  }
  const [id, ts, nonce, mac] = ['id', 'ts', 'nonce', 'mac'].map((n) => fields.get(n));
  if (id === undefined || ts === undefined || nonce === undefined || mac === undefined) return undefined;
  return { id, ts, nonce, mac, ext: fields.get('ext') ?? '' };
}

/**
 * The MAC a correctly signed request carries: base64 of HMAC-SHA256 keyed with the MAC key over
 * ts, nonce, method, request-uri (as on the request line), host, port and ext (raw), each
 * followed by a newline.
 */
export function requestMac(macKey: string, auth: Pick<MacAuthorization, 'ts' | 'nonce' | 'ext'>, request: { method: string; target: string; host: string; port: number }): string {
  const lines = [auth.ts, auth.nonce, request.method.toUpperCase(), request.target, request.host, String(request.port), auth.ext];
  return createHmac('sha256', macKey).update(`${lines.join('\n')}\n`).digest('base64');
}

function sha256Base64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

function unauthorized(description: string): HttpError {
  return new HttpError(401, 'unauthorized', description, { 'WWW-Authenticate': 'MAC' });
}

/** Constant-time equality; unequal lengths still take one comparison's time. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
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
