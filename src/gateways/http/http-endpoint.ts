import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { CodedError } from '../../platform/coded-error.js';
import { Agent } from './undici-core.js';
import { abortedAtStop, classifyTransportFailure, sendRequest, type RawHttpResponse, type TransportFailure } from './transport.js';

/**
 * The connection settings every gateway client takes: its own options extend these, and it hands
 * them to its HttpEndpoint as they are.
 */
export interface HttpClientOptions {
  /** Where requests go: its origin, and its path as a prefix of every request (a proxy's). */
  baseUrl: string;
  clock: Clock;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Tests inject a dispatcher; otherwise start() makes an Agent and stop() closes it. */
  dispatcher?: Dispatcher;
  /** Responses larger than this are refused (a terminal has no use for megabytes of JSON). */
  maxResponseBytes?: number;
  logger?: Logger;
}

export interface HttpEndpointOptions extends HttpClientOptions {
  /** Name in debug logs, e.g. "centrapay". */
  name: string;
}

/** What one exchange came to: a response (any status), a body over the cap, or no response at all. */
export type Exchange =
  | { readonly kind: 'response'; readonly response: RawHttpResponse }
  | { readonly kind: 'tooLarge'; readonly status: number }
  | { readonly kind: 'failure'; readonly failure: TransportFailure; readonly cause: unknown };

/**
 * The connection side of a JSON API client: owns the undici Agent (created in start(), closed in
 * stop()), applies the timeouts and the body cap, and reports every outcome as data, so the
 * gateway alone decides codes and flags. It never retries.
 *
 * stop() does not wait for answers: a request in flight is aborted at once (a write reads as a
 * lost answer, `connection_reset`, ambiguous, and is reconciled after the next start, as after
 * kill -9), and a request asked for after stop() fails as never sent (`connect_failed`). So a
 * terminal's stop is bounded by its own grace, not by the headers timeout of a slow server.
 */
export class HttpEndpoint {
  readonly origin: string;
  /** The base URL's path without its trailing slash ('' for none): callers put it before their API paths. */
  readonly basePath: string;
  private dispatcher: Dispatcher | undefined;
  private ownsDispatcher = false;
  /** Set by stop(): no new request is sent. */
  private stopped = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: HttpEndpointOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.dispatcher = options.dispatcher;
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.dispatcher !== undefined) return;
    this.dispatcher = new Agent({
      connect: { timeout: this.options.connectTimeoutMs ?? 5000 },
      headersTimeout: this.options.headersTimeoutMs ?? 15_000,
      bodyTimeout: this.options.bodyTimeoutMs ?? 15_000,
      keepAliveTimeout: 4_000,
    });
    this.ownsDispatcher = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const controller of this.inFlight) controller.abort(abortedAtStop(this.options.name));
    this.inFlight.clear();
    if (this.ownsDispatcher && this.dispatcher !== undefined) await this.dispatcher.close();
    if (this.ownsDispatcher) this.dispatcher = undefined;
    this.ownsDispatcher = false;
  }

  /** One request to `path` (absolute, with query) on the origin. Throws only when not started. */
  async exchange(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Exchange> {
    const dispatcher = this.dispatcher;
    if (this.stopped) return { kind: 'failure', failure: stoppedFailure(this.options.name, method, path), cause: undefined };
    if (dispatcher === undefined) throw new CodedError('client_not_started', `${this.options.name} client: start() was not called`);
    const started = this.options.clock.monoMs();
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      const result = await sendRequest(dispatcher, {
        origin: this.origin,
        path,
        method,
        headers,
        body,
        headersTimeoutMs: this.options.headersTimeoutMs ?? 15_000,
        bodyTimeoutMs: this.options.bodyTimeoutMs ?? 15_000,
        maxResponseBytes: this.options.maxResponseBytes ?? 1_048_576,
        signal: controller.signal,
      });
      this.options.logger?.debug({ method, path, status: result.status, ms: Math.round(this.options.clock.monoMs() - started) }, `${this.options.name} request`);
      if ('tooLarge' in result) return { kind: 'tooLarge', status: result.status };
      return { kind: 'response', response: result };
    } catch (error) {
      this.options.logger?.debug({ method, path, err: error }, `${this.options.name} request failed`);
      return { kind: 'failure', failure: classifyTransportFailure(error, method, path), cause: error };
    } finally {
      this.inFlight.delete(controller);
    }
  }
}

/** A request asked for after stop(): nothing was sent, so even a write is not ambiguous. */
function stoppedFailure(name: string, method: string, path: string): TransportFailure {
  return { code: 'connect_failed', ambiguous: false, retryable: true, errno: undefined, message: `${method} ${path}: ${name} client stopped; not sent` };
}
