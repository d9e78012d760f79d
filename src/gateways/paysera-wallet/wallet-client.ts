import { randomBytes } from 'node:crypto';
import { CodedError } from '../../platform/coded-error.js';
import { HttpEndpoint, type HttpClientOptions } from '../http/http-endpoint.js';
import type { RawHttpResponse } from '../http/transport.js';
import { classifyHttpError, classifyTransportError, invalidResponse, isWrite, parseRetryAfter, type ErrorBody } from './wallet-error-classification.js';
import { computeMac, extForBody, formatAuthorizationHeader } from './mac-signature.js';
import type { RequestBudget, RequestPriority } from './request-budget.js';
import { ServerClock } from './server-clock.js';
import type { WalletApi } from './wallet-api.js';
import {
  decodeEmptyObject,
  decodeOrder,
  decodeServerTime,
  decodeSpot,
  decodeSpotPage,
  decodeTransaction,
  decodeTransactionPage,
  type DecodedPage,
  type SkippedItem,
} from './wallet-decoders.js';
import { WalletError } from './wallet-error.js';
import type { CreateTransactionInput, Order, Spot, SpotStatus, Transaction, TransactionStatus } from './wallet-types.js';
import { DecodeError } from '../http/response-decoding.js';

export interface WalletClientOptions extends HttpClientOptions {
  /** https://wallet.paysera.com, or any base with a path prefix; http only for loopback (config enforces). */
  baseUrl: string;
  macId: string;
  macKey: string;
  /** Nonce source; default 32 base64url characters from crypto.randomBytes. */
  nonce?: () => string;
  /** Every signed attempt waits here first (reads as polls, writes as writes). */
  budget?: RequestBudget;
  /**
   * The body field of reserve-by-code: `reservation_code` (the cash-out page's example and Paysera's
   * SDKs) or `code` (Paysera's newer API pages); docs/apis.md#paysera-wallet-reservation-codes. Default `reservation_code`.
   */
  reservationCodeField?: ReservationCodeField;
}

export type ReservationCodeField = 'reservation_code' | 'code';

/** A response as the `wallet` command shows it: whatever came back, error or not. */
export interface RawResponse {
  status: number;
  json: unknown;
  text: string;
}

type Sent = RawHttpResponse;

const API_PREFIX = '/rest/v1';
const DEFAULT_PAGE_SIZE = 100;
/** A list longer than this many pages is a server bug, not a shop. */
const MAX_PAGES = 200;
/** How many left-out list items are remembered, so each is logged once (not at every poll). */
const WARNED_LIMIT = 1000;

export class PayseraWalletClient implements WalletApi {
  private readonly options: WalletClientOptions;
  private readonly serverClock: ServerClock;
  private readonly endpoint: HttpEndpoint;
  private readonly warned = new Set<string>();

  constructor(options: WalletClientOptions) {
    this.options = options;
    this.serverClock = new ServerClock(options.clock);
    this.endpoint = new HttpEndpoint({ ...options, name: 'paysera' });
  }

  /** Whether the signing clock has been set from the server's time (receipts say so when not). */
  get timeSynced(): boolean {
    return this.serverClock.synced;
  }

  /** System clock minus server clock in ms, once known. */
  get systemSkewMs(): number | undefined {
    return this.serverClock.systemSkewMs();
  }

  serverNowSeconds(): number {
    return this.serverClock.nowSeconds();
  }

  start(): Promise<void> {
    return this.endpoint.start();
  }

  stop(): Promise<void> {
    return this.endpoint.stop();
  }

  // --- spots and orders -------------------------------------------------------------------

  async listSpots(filter: { status: SpotStatus | 'open'; locationId?: number; pageSize?: number }): Promise<Spot[]> {
    const query: Record<string, string> = { status: filter.status };
    if (filter.locationId !== undefined) query['location_id'] = String(filter.locationId);
    return this.listAll('/spots', query, filter.pageSize, decodeSpotPage, (s) => s.id, 'skip');
  }

  getSpot(spotId: number): Promise<Spot> {
    return this.call('GET', `/spot/${id(spotId)}`, undefined, decodeSpot);
  }

  closeSpot(spotId: number): Promise<Spot> {
    // Nobody waits for it (the sale is paid, or a fabricated check-in is being turned away).
    return this.call('PUT', `/spot/${id(spotId)}/close`, undefined, decodeSpot, 'background');
  }

  createOrder(spotId: number, order: { transaction: CreateTransactionInput } | { transactionKey: string }): Promise<Order> {
    return this.call('POST', `/spot/${id(spotId)}/order`, encodeOrder(order), decodeOrder);
  }

  getOrder(orderId: number): Promise<Order> {
    return this.call('GET', `/order/${id(orderId)}`, undefined, decodeOrder);
  }

  editOrder(orderId: number, order: { transaction: CreateTransactionInput } | { transactionKey: string }): Promise<Order> {
    return this.call('PUT', `/order/${id(orderId)}`, encodeOrder(order), decodeOrder);
  }

  deleteOrder(orderId: number): Promise<Order> {
    return this.call('DELETE', `/order/${id(orderId)}`, undefined, decodeOrder, 'background');
  }

  // --- transactions -----------------------------------------------------------------------

  createTransaction(input: CreateTransactionInput): Promise<Transaction> {
    return this.call('POST', '/transaction', encodeTransaction(input), decodeTransaction);
  }

  getTransaction(key: string): Promise<Transaction> {
    return this.call('GET', `/transaction/${encodeURIComponent(key)}`, undefined, decodeTransaction);
  }

  reserveTransaction(key: string, reservationCode: string): Promise<Transaction> {
    const field = this.options.reservationCodeField ?? 'reservation_code';
    return this.call('PUT', `/transaction/${encodeURIComponent(key)}/reserve`, { [field]: reservationCode }, decodeTransaction);
  }

  confirmTransaction(key: string, lowerPrices?: Map<number, { price: number; currency: string }>): Promise<Transaction> {
    const body = lowerPrices === undefined || lowerPrices.size === 0 ? undefined : Object.fromEntries(lowerPrices);
    // The most urgent call there is: the customer's money is held and the sale waits for it.
    return this.call('PUT', `/transaction/${encodeURIComponent(key)}/confirm`, body, decodeTransaction, 'confirm');
  }

  async cancelPayment(paymentId: number): Promise<void> {
    // A refund staff are waiting for: a write like a confirm's, not background cleaning.
    await this.call('DELETE', `/payment/${id(paymentId)}`, undefined, decodeEmptyObject);
  }

  revokeTransaction(key: string): Promise<Transaction> {
    // Cleaning up after a cancel or a decline: the sale's outcome is already decided.
    return this.call('DELETE', `/transaction/${encodeURIComponent(key)}`, undefined, decodeTransaction, 'background');
  }

  listTransactions(filter: { statuses: TransactionStatus[]; from?: number; to?: number; locationId?: number; pageSize?: number; unreadable?: 'skip' | 'fail' }, options?: { urgent?: boolean }): Promise<Transaction[]> {
    const query: Record<string, string> = { status: filter.statuses.join(',') };
    if (filter.from !== undefined) query['from'] = String(filter.from);
    if (filter.to !== undefined) query['to'] = String(filter.to);
    if (filter.locationId !== undefined) query['location_id'] = String(filter.locationId);
    return this.listAll('/transactions', query, filter.pageSize, decodeTransactionPage, (t) => t.key, filter.unreadable ?? 'skip', options?.urgent === true ? 'watch' : undefined);
  }

  async serverTime(): Promise<number> {
    const path = `${this.endpoint.basePath}${API_PREFIX}/server`;
    const sentAt = this.options.clock.monoMs();
    const response = await this.transport('GET', path, undefined, undefined);
    const receivedAt = this.options.clock.monoMs();
    if (response.status !== 200) throw classifyHttpError(response.status, tryJson(response.text) as ErrorBody | undefined, 'GET', path, undefined);
    const time = this.decode('GET', path, response, decodeServerTime);
    this.serverClock.sync(time, sentAt, receivedAt);
    this.options.logger?.info({ serverTime: time, skewMs: this.serverClock.systemSkewMs() }, 'paysera: signing clock set from server time');
    return time;
  }

  // --- raw access for `counterpay wallet` -------------------------------------------------

  /**
   * Sends one signed request to `path` (`/rest/v1/...`, or relative to it) and returns whatever
   * came back, error statuses included. Transport failures still reject with a WalletError.
   */
  async rawRequest(method: string, path: string, body?: unknown): Promise<RawResponse> {
    const relative = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : `/${path.replace(/^\/+/, '')}`;
    const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.signedWithClockRetry(method.toUpperCase(), relative, bytes);
    return { status: response.status, text: response.text, json: tryJson(response.text) };
  }

  // --- internals ----------------------------------------------------------------------------

  /**
   * Every page of a list. An item the decoder left out is logged once (a warning naming it) and
   * skipped, or with `unreadable: 'fail'` ends the call with invalid_response: a search whose
   * answer must be complete (is our transaction there?) cannot conclude from a partial list.
   */
  private async listAll<T>(
    path: string,
    query: Record<string, string>,
    pageSize: number | undefined,
    decode: (json: unknown) => DecodedPage<T>,
    key: (item: T) => string | number,
    unreadable: 'skip' | 'fail',
    priority?: RequestPriority,
  ): Promise<T[]> {
    const limit = pageSize ?? DEFAULT_PAGE_SIZE;
    const seen = new Map<string | number, T>();
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const search = new URLSearchParams({ ...query, limit: String(limit), offset: String(offset) });
      const target = `${path}?${search.toString()}`;
      const result = await this.call('GET', target, undefined, decode, priority);
      if (result.skipped.length > 0) {
        if (unreadable === 'fail') throw invalidResponse('GET', `${this.endpoint.basePath}${API_PREFIX}${target}`, 200, `unreadable item: ${result.skipped[0]?.problem ?? ''}`);
        this.warnSkipped(path, result.skipped);
      }
      // An item that moved between pages while we read is kept once.
      for (const item of result.items) seen.set(key(item), item);
      // The server's count covers the items left out too.
      const read = result.items.length + result.skipped.length;
      offset += read;
      if (read === 0 || offset >= result.total) return [...seen.values()];
    }
    throw new WalletError({
      code: 'invalid_response',
      message: `GET ${path}: more than ${MAX_PAGES} pages`,
      method: 'GET',
      path,
      ambiguous: false,
      retryable: true,
    });
  }

  /** One API call: serialize once, sign, send, classify, decode. */
  private async call<T>(method: string, path: string, body: unknown, decode: (json: unknown) => T, priority?: RequestPriority): Promise<T> {
    const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.signedWithClockRetry(method, path, bytes, priority);
    const fullPath = `${this.endpoint.basePath}${API_PREFIX}${path}`;
    if (response.status < 200 || response.status > 299) {
      throw classifyHttpError(
        response.status,
        tryJson(response.text) as ErrorBody | undefined,
        method,
        fullPath,
        parseRetryAfter(response.headers['retry-after'], this.options.clock.wallMs()),
      );
    }
    return this.decode(method, fullPath, response, decode);
  }

  /** One warning per left-out item and problem, however many polls see it. */
  private warnSkipped(path: string, skipped: readonly SkippedItem[]): void {
    for (const item of skipped) {
      const key = `${path}\n${item.id ?? `#${item.index}`}\n${item.problem}`;
      if (this.warned.has(key)) continue;
      if (this.warned.size >= WARNED_LIMIT) this.warned.clear();
      this.warned.add(key);
      this.options.logger?.warn({ path, id: item.id, problem: item.problem }, 'paysera: left out a list item it cannot use; the rest of the answer is used');
    }
  }

  private decode<T>(method: string, path: string, response: Sent, decode: (json: unknown) => T): T {
    if (response.text.trim() === '') throw invalidResponse(method, path, response.status, 'empty body');
    const json = tryJson(response.text);
    if (json === undefined) throw invalidResponse(method, path, response.status, 'not JSON');
    try {
      return decode(json);
    } catch (error) {
      if (error instanceof DecodeError) throw invalidResponse(method, path, response.status, error.message, error);
      throw error;
    }
  }

  /**
   * Signs and sends; on `invalid_timestamp` reads the server's time, re-signs and sends once
   * more. Safe for writes: a request refused at authentication was not applied.
   */
  private async signedWithClockRetry(method: string, path: string, body: Buffer | undefined, priority?: RequestPriority): Promise<Sent> {
    const first = await this.signedSend(method, path, body, priority);
    if (first.status !== 401 || errorCodeOf(first.text) !== 'invalid_timestamp') return first;
    this.options.logger?.warn({ method, path }, 'paysera: invalid_timestamp, syncing the signing clock to the server');
    try {
      await this.serverTime();
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'paysera: could not read the server time');
      return first;
    }
    return this.signedSend(method, path, body, priority);
  }

  private async signedSend(method: string, relativePath: string, body: Buffer | undefined, priority?: RequestPriority): Promise<Sent> {
    await this.options.budget?.acquire(priority ?? (isWrite(method) ? 'write' : 'poll'));
    const path = `${this.endpoint.basePath}${API_PREFIX}${relativePath}`;
    // The URL is built once: its pathname+search is both what is signed and what is sent.
    const url = new URL(path, this.endpoint.origin);
    const requestUri = `${url.pathname}${url.search}`;
    const ts = String(this.serverClock.nowSeconds());
    const nonce = this.options.nonce?.() ?? randomBytes(24).toString('base64url');
    const ext = extForBody(body);
    const mac = computeMac(this.options.macKey, {
      ts,
      nonce,
      method,
      requestUri,
      host: url.hostname,
      port: url.port !== '' ? url.port : url.protocol === 'https:' ? 443 : 80,
      ext,
    });
    const headers: Record<string, string> = {
      authorization: formatAuthorizationHeader({ id: this.options.macId, ts, nonce, mac, ext }),
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json;charset=utf-8';
    return this.transport(method, requestUri, headers, body);
  }

  private async transport(method: string, requestUri: string, headers: Record<string, string> | undefined, body: Buffer | undefined): Promise<Sent> {
    const outcome = await this.endpoint.exchange(method, requestUri, headers ?? { accept: 'application/json' }, body);
    if (outcome.kind === 'tooLarge') throw invalidResponse(method, requestUri, outcome.status, 'response too large');
    if (outcome.kind === 'failure') throw classifyTransportError(outcome.cause, method, requestUri);
    return outcome.response;
  }
}

function id(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new CodedError('invalid_argument', `not an id: ${n}`);
  return String(n);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorCodeOf(text: string): string | undefined {
  const json = tryJson(text) as ErrorBody | undefined;
  return typeof json?.error === 'string' ? json.error : undefined;
}


export function encodeTransaction(input: CreateTransactionInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    payments: input.payments.map((p) => {
      const payment: Record<string, unknown> = { description: p.description, price: p.price, currency: p.currency };
      if (p.parameters !== undefined) payment['parameters'] = p.parameters;
      return payment;
    }),
  };
  if (input.reserveForSeconds !== undefined) body['reserve'] = { for: input.reserveForSeconds };
  if (input.autoConfirm !== undefined) body['auto_confirm'] = input.autoConfirm;
  if (input.callbackUri !== undefined) body['callback_uri'] = input.callbackUri;
  if (input.redirectUri !== undefined) body['redirect_uri'] = input.redirectUri;
  return body;
}

function encodeOrder(order: { transaction: CreateTransactionInput } | { transactionKey: string }): Record<string, unknown> {
  return 'transactionKey' in order ? { transaction_key: order.transactionKey } : { transaction: encodeTransaction(order.transaction) };
}
