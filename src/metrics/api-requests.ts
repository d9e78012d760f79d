import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { MetricFamily, Sample } from './exposition.js';

/** A payment API the terminal calls, told apart by where its requests go. */
export interface ApiEndpoint {
  /** The label value: `paysera`, `centrapay`, `pos`. */
  readonly api: string;
  /** The configured base URL; a request under it (origin and path) is this API's. */
  readonly baseUrl: string;
  /**
   * The path under the base every request of this API has (`/rest/`, `/api/`): tells two APIs
   * configured on one origin apart (the emulator serves all three on one).
   */
  readonly pathPrefix?: string;
}

/** What an undici request looks like on its diagnostics channels (the fields read here only). */
interface ChannelRequest {
  readonly origin?: unknown;
  readonly path?: unknown;
}

/**
 * `counterpay_api_requests_total{api,result}`: every HTTP request to a payment API, by the
 * answer's status class (`2xx`, `3xx`, `4xx`, `429`, `5xx`) or `error` (no answer: refused,
 * reset, timed out before the headers). Counted from undici's diagnostics channels
 * (`undici:request:headers` and `undici:request:error`), which every request of every gateway
 * passes through: no gateway code changes, and the gateways' HTTP layer stays the one place that
 * talks HTTP. A request counts once: at its headers, or at its error when none came. Only the API
 * name and the class: never a path (transaction keys are in paths), header or body.
 */
export class ApiRequestCounter {
  private readonly counts = new Map<string, number>();
  /** Requests that got headers: an error after them (a body cut short) is not counted again. */
  private readonly answered = new WeakSet<object>();
  private readonly endpoints: Array<ApiEndpoint & { base: string }>;
  private subscribed = false;

  private readonly onHeaders = (message: unknown): void => {
    const { request, response } = message as { request?: ChannelRequest & object; response?: { statusCode?: unknown } };
    if (request === undefined) return;
    this.answered.add(request);
    const status = typeof response?.statusCode === 'number' ? response.statusCode : 0;
    this.count(request, statusClass(status));
  };

  private readonly onError = (message: unknown): void => {
    const { request } = message as { request?: ChannelRequest & object };
    if (request === undefined || this.answered.has(request)) return;
    this.count(request, 'error');
  };

  constructor(endpoints: readonly ApiEndpoint[]) {
    this.endpoints = endpoints.map((e) => ({ ...e, base: e.baseUrl.replace(/\/+$/, '') }));
    // Every series at 0 from the first scrape: one that appears only with its first request
    // would make increase() miss that request (the first 5xx of an outage, say).
    for (const { api } of endpoints) for (const result of RESULTS) this.counts.set(`${api}\u0000${result}`, 0);
  }

  start(): void {
    if (this.subscribed) return;
    subscribe('undici:request:headers', this.onHeaders);
    subscribe('undici:request:error', this.onError);
    this.subscribed = true;
  }

  stop(): void {
    if (!this.subscribed) return;
    unsubscribe('undici:request:headers', this.onHeaders);
    unsubscribe('undici:request:error', this.onError);
    this.subscribed = false;
  }

  /** The API a request went to: the longest matching base, its path prefix breaking ties. */
  apiOf(origin: string, path: string): string | undefined {
    const url = `${origin.replace(/\/+$/, '')}${path}`;
    let best: { api: string; score: number } | undefined;
    for (const endpoint of this.endpoints) {
      if (url !== endpoint.base && !url.startsWith(`${endpoint.base}/`) && !url.startsWith(`${endpoint.base}?`)) continue;
      const rest = url.slice(endpoint.base.length);
      const hinted = endpoint.pathPrefix !== undefined && rest.startsWith(endpoint.pathPrefix);
      const score = endpoint.base.length * 2 + (hinted ? 1 : 0);
      if (best === undefined || score > best.score) best = { api: endpoint.api, score };
    }
    return best?.api;
  }

  family(): MetricFamily {
    const samples: Sample[] = [];
    for (const [key, value] of this.counts) {
      const [api = '', result = ''] = key.split('\u0000');
      samples.push({ labels: { api, result }, value });
    }
    return { name: 'counterpay_api_requests_total', help: 'HTTP requests to the payment APIs, by API and result (status class, or error: no answer).', type: 'counter', samples };
  }

  private count(request: ChannelRequest, result: string): void {
    if (typeof request.origin !== 'string' && !(request.origin instanceof URL)) return;
    const api = this.apiOf(String(request.origin), typeof request.path === 'string' ? request.path : '/');
    if (api === undefined) return;
    const key = `${api}\u0000${result}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

const RESULTS = ['2xx', '3xx', '4xx', '429', '5xx', 'error'] as const;

function statusClass(status: number): string {
  if (status === 429) return '429';
  if (status >= 200 && status < 600) return `${Math.floor(status / 100)}xx`;
  return 'error';
}
