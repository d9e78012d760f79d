import { HttpEndpoint, type HttpClientOptions } from '../http/http-endpoint.js';
import type { CentrapayApi } from './centrapay-api.js';
import { CentrapayError } from './centrapay-error.js';
import { classifyHttpError, invalidArgument, type CentrapayErrorBody } from './centrapay-error-classification.js';
import { decodeActivity, decodePaymentRequest, decodePaymentRequestPage } from './centrapay-decoders.js';
import type { CreatePaymentRequestInput, PaymentActivity, PaymentRequest, PaymentRequestListItem } from './centrapay-types.js';
import { jsonCall, jsonCallErrors } from '../http/json-call.js';


export interface CentrapayClientOptions extends HttpClientOptions {
  /** https://service.centrapay.com (paths are /api/...); http only for loopback (config enforces). */
  baseUrl: string;
  /** A key with role `merchant-terminal`, sent as X-Api-Key. Never logged. */
  apiKey: string;
  configId: string;
  /** Needed by the external-ref lookup, the only way back to a request whose create was lost. */
  merchantAccountId: string;
  terminalId: string;
  deviceId: string;
  /** Default expiry of a request; the terminal's own deadline is this plus 5-10 s. */
  expirySeconds: number;
}

const API = '/api/payment-requests';
/** The documented limit: amounts are positive and below 100000000 minor units. */
const MAX_AMOUNT = 100_000_000;
/** More pages than this for one sale id is a server bug, not a shop. */
const MAX_PAGES = 50;

/** This gateway's errors for each way a JSON call can fail. */
const ERRORS = jsonCallErrors(
  (init) => new CentrapayError(init),
  (status, body, method, path, retryAfterMs) => classifyHttpError(status, body as CentrapayErrorBody | undefined, method, path, retryAfterMs),
);

/**
 * The Centrapay payment-request client over undici. One call is one request: no retries, no
 * polling, no idempotency tricks (the engine reconciles through findByExternalRef).
 * The constructor only assigns; start() opens the connection pool, stop() closes it.
 */
export class CentrapayClient implements CentrapayApi {
  private readonly endpoint: HttpEndpoint;

  constructor(private readonly options: CentrapayClientOptions) {
    this.endpoint = new HttpEndpoint({ ...options, name: 'centrapay' });
  }

  start(): Promise<void> {
    return this.endpoint.start();
  }

  stop(): Promise<void> {
    return this.endpoint.stop();
  }

  async createPaymentRequest(input: CreatePaymentRequestInput): Promise<PaymentRequest> {
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || input.amountMinor >= MAX_AMOUNT) {
      throw invalidArgument('POST', API, `amount must be 1..${MAX_AMOUNT - 1} minor units, got ${input.amountMinor}`);
    }
    if (!/^[A-Z]{3}$/.test(input.currency)) throw invalidArgument('POST', API, `not a currency: ${input.currency}`);
    if (input.externalRef === '' || input.externalRef.length > 128) throw invalidArgument('POST', API, 'externalRef must be 1..128 characters');
    const body: Record<string, unknown> = {
      configId: this.options.configId,
      value: { amount: String(input.amountMinor), currency: input.currency },
      expirySeconds: input.expirySeconds ?? this.options.expirySeconds,
      externalRef: input.externalRef,
      terminalId: this.options.terminalId,
      deviceId: this.options.deviceId,
    };
    if (input.operatorId !== undefined) body['operatorId'] = input.operatorId;
    return this.call('POST', API, body, decodePaymentRequest);
  }

  async getPaymentRequest(id: string): Promise<PaymentRequest> {
    return this.call('GET', `${API}/${segment(id)}`, undefined, decodePaymentRequest);
  }

  async findByExternalRef(externalRef: string): Promise<PaymentRequest[]> {
    const found = new Map<string, PaymentRequestListItem>();
    const keysSent = new Set<string>();
    let pageKey: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ merchantAccountId: this.options.merchantAccountId });
      if (pageKey !== undefined) query.set('pageKey', pageKey);
      const result = await this.call('GET', `${API}/external-ref/${segment(externalRef)}?${query.toString()}`, undefined, decodePaymentRequestPage);
      // The lookup is by our ref; anything else in the answer is not ours to adopt or void.
      for (const item of result.items) if (item.externalRef === undefined || item.externalRef === externalRef) found.set(item.id, item);
      // A cursor already sent (an answer that echoes the current page's key) ends the walk.
      if (result.nextPageKey === undefined || keysSent.has(result.nextPageKey)) return this.completed([...found.values()]);
      keysSent.add(result.nextPageKey);
      pageKey = result.nextPageKey;
    }
    throw new CentrapayError({
      code: 'invalid_response',
      message: `GET ${API}/external-ref: more than ${MAX_PAGES} pages`,
      method: 'GET',
      path: `${API}/external-ref`,
      ambiguous: false,
      retryable: true,
    });
  }

  /** List items without `shortCode`, `url` or `expiresAt` (as the documented example) are read in full by id. */
  private async completed(items: readonly PaymentRequestListItem[]): Promise<PaymentRequest[]> {
    const requests: PaymentRequest[] = [];
    for (const item of items) {
      const { shortCode, url, expiresAt } = item;
      const whole = shortCode !== undefined && url !== undefined && expiresAt !== undefined;
      requests.push(whole ? { ...item, shortCode, url, expiresAt } : await this.getPaymentRequest(item.id));
    }
    return requests;
  }

  async voidPaymentRequest(id: string): Promise<PaymentActivity> {
    return this.call('POST', `${API}/${segment(id)}/void`, undefined, decodeActivity);
  }

  async refundPaymentRequest(id: string, refund: { amountMinor: number; currency: string; externalRef: string }): Promise<PaymentActivity> {
    const path = `${API}/${segment(id)}/refund`;
    if (!Number.isSafeInteger(refund.amountMinor) || refund.amountMinor < 1 || refund.amountMinor > 99_999_999) throw invalidArgument('POST', path, `amount must be 1..99999999 minor units, got ${refund.amountMinor}`);
    if (!/^[A-Z]{3}$/.test(refund.currency)) throw invalidArgument('POST', path, `not a currency: ${refund.currency}`);
    if (refund.externalRef === '' || refund.externalRef.length > 128) throw invalidArgument('POST', path, 'externalRef must be 1..128 characters');
    const body = { value: { amount: String(refund.amountMinor), currency: refund.currency }, externalRef: refund.externalRef };
    return this.call('POST', path, body, decodeActivity);
  }

  private call<T>(method: string, path: string, body: unknown, decode: (json: unknown) => T): Promise<T> {
    const headers = { 'x-api-key': this.options.apiKey, accept: 'application/json' };
    return jsonCall(this.endpoint, this.options.clock, { method, path: `${this.endpoint.basePath}${path}`, headers, body }, ERRORS, decode);
  }

}

function segment(value: string): string {
  if (value === '') throw invalidArgument('-', API, 'empty id or reference');
  return encodeURIComponent(value);
}
