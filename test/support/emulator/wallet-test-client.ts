import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { computeMac, extForBody, formatAuthorizationHeader } from '../../../src/gateways/paysera-wallet/mac-signature.js';

/**
 * A tiny test-only signer and HTTP sender for the emulator, built on node:http (one connection per
 * request, so connection faults hit exactly the request under test). It is not the product
 * client: it exists so the emulator is tested against the documented signing rules alone.
 */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface SendOptions {
  /** A raw string body is sent (and hashed) as is; anything else is JSON.stringify'd. */
  body?: unknown;
  ts?: number;
  nonce?: string;
  /** Override the ext in the header (the MAC is computed over it). */
  ext?: string;
  /** Bytes actually sent instead of the signed body (a tamper). */
  sendBody?: string;
  macKey?: string;
  macId?: string;
  headers?: Record<string, string>;
}

export interface Credentials {
  macId: string;
  macKey: string;
}

export class TestWalletClient {
  constructor(
    readonly baseUrl: string,
    readonly credentials: Credentials,
    private readonly nowS: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** Signs and sends; the same header can be re-sent with `replay`. */
  async send(method: string, target: string, options: SendOptions = {}): Promise<TestResponse> {
    const prepared = this.prepare(method, target, options);
    return rawRequest(this.baseUrl, method, target, { headers: prepared.headers, body: options.sendBody ?? prepared.body });
  }

  prepare(method: string, target: string, options: SendOptions = {}): { headers: Record<string, string>; body: string } {
    const body = options.body === undefined ? '' : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const url = new URL(this.baseUrl);
    const ext = options.ext ?? extForBody(Buffer.from(body, 'utf8'));
    const ts = String(options.ts ?? this.nowS());
    const nonce = options.nonce ?? randomBytes(16).toString('hex');
    const macKey = options.macKey ?? this.credentials.macKey;
    const mac = computeMac(macKey, { ts, nonce, method, requestUri: target, host: url.hostname, port: url.port || 80, ext });
    const headers: Record<string, string> = {
      Authorization: formatAuthorizationHeader({ id: options.macId ?? this.credentials.macId, ts, nonce, mac, ext }),
      ...(body === '' ? {} : { 'Content-Type': 'application/json;charset=utf-8' }),
      ...options.headers,
    };
    return { headers, body };
  }
}

/** One HTTP request on a fresh connection; rejects with the socket error (ECONNRESET, ...) if there is no response. */
export function rawRequest(
  baseUrl: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<TestResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: target, agent: false, headers: { ...options.headers, ...(options.body ? { 'Content-Length': Buffer.byteLength(options.body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** Unauthenticated JSON call to a /_sim/ endpoint. */
export function sim(baseUrl: string, method: string, target: string, body?: unknown): Promise<TestResponse> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return rawRequest(baseUrl, method, target, text === undefined ? {} : { body: text, headers: { 'Content-Type': 'application/json' } });
}
