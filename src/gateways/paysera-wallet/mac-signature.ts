import { createHash, createHmac } from 'node:crypto';

/**
 * Paysera Wallet API MAC signing (OAuth 2.0 MAC token draft), exactly as Paysera's PHP client and
 * documentation do it. The client's signer only: the emulator verifies with its own, separately
 * written implementation (src/emulator/paysera-wallet/mac-verifier.ts), and both are held to the
 * published vectors in test/fixtures/paysera-mac-vectors.json.
 */
export interface MacRequestParts {
  /** Unix seconds as a decimal string. */
  ts: string;
  nonce: string;
  method: string;
  /** Path plus `?query`, exactly as on the request line (percent-encoding kept). */
  requestUri: string;
  /** Host name only, no port. Lower-cased here. */
  host: string;
  port: number | string;
  /** The raw ext string as it appears in the header (still URL-encoded); '' when none. */
  ext: string;
}

/** The normalized request string: seven fields, each followed by a newline. */
export function normalizedRequestString(parts: MacRequestParts): string {
  return [parts.ts, parts.nonce, parts.method.toUpperCase(), parts.requestUri, parts.host.toLowerCase(), String(parts.port), parts.ext]
    .map((field) => `${field}\n`)
    .join('');
}

/** base64(HMAC-SHA256(key, normalized string)), standard alphabet with padding. */
export function computeMac(macKey: string, parts: MacRequestParts): string {
  return createHmac('sha256', Buffer.from(macKey, 'utf8')).update(normalizedRequestString(parts), 'utf8').digest('base64');
}

/** base64(SHA-256(body bytes)). */
export function bodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

/**
 * The ext for a request body: `body_hash=<urlencoded base64>`, or '' for an empty body (PHP omits
 * ext entirely then). Over the base64 alphabet encodeURIComponent equals PHP's urlencode.
 */
export function extForBody(body: Uint8Array | undefined): string {
  if (body === undefined || body.length === 0) return '';
  return `body_hash=${encodeURIComponent(bodyHash(body))}`;
}

export interface MacHeaderFields {
  id: string;
  ts: string;
  nonce: string;
  mac: string;
  ext: string;
}

/** `MAC id="..", ts="..", nonce="..", mac=".."[, ext=".."]`, ext omitted when empty (as PHP does). */
export function formatAuthorizationHeader(fields: MacHeaderFields): string {
  const params = [`id="${fields.id}"`, `ts="${fields.ts}"`, `nonce="${fields.nonce}"`, `mac="${fields.mac}"`];
  if (fields.ext !== '') params.push(`ext="${fields.ext}"`);
  return `MAC ${params.join(', ')}`;
}

/**
 * Parses a MAC Authorization header into its parameters. Values are quoted strings that may hold
 * spaces, commas and `=` (PHP nonces do), so this is a small tokenizer, not a split on commas.
 * Returns undefined when the header is not a well-formed MAC header.
 */
export function parseAuthorizationHeader(header: string): Record<string, string> | undefined {
  const match = /^\s*MAC\s+/i.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  let i = match[0].length;
  const s = header;
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    const nameStart = i;
    while (i < s.length && /[A-Za-z0-9_-]/.test(s[i] ?? '')) i++;
    const name = s.slice(nameStart, i);
    if (name === '') return undefined;
    while (i < s.length && s[i] === ' ') i++;
    if (s[i] !== '=') return undefined;
    i++;
    while (i < s.length && s[i] === ' ') i++;
    if (s[i] !== '"') return undefined;
    i++;
    let value = '';
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      value += s[i];
      i++;
    }
    if (s[i] !== '"') return undefined;
    i++;
    if (Object.hasOwn(params, name)) return undefined;
    params[name] = value;
    while (i < s.length && s[i] === ' ') i++;
    if (i < s.length) {
      if (s[i] !== ',') return undefined;
      i++;
    }
  }
  return params;
}
