import type { Logger } from 'pino';
import type { CentrapayApi } from '../../gateways/centrapay/centrapay-api.js';
import type { PaymentRequest } from '../../gateways/centrapay/centrapay-types.js';
import type { Clock } from '../../platform/clock.js';
import { PollLoop } from '../poll-loop.js';
import { isOpError } from '../outbox/outbox-runner.js';

/** A Centrapay sale waiting for the customer. */
export interface AwaitedRequest {
  saleId: string;
  paymentRequestId: string;
  /** The request's lifetime; the terminal's deadline is this plus the grace, on the monotonic clock. */
  expirySeconds: number;
}

export interface CentrapayWatcherOptions {
  centrapay: Pick<CentrapayApi, 'getPaymentRequest'>;
  clock: Clock;
  logger: Logger;
  /** Documented: poll every second. */
  intervalMs: number;
  /** How long after the request's expiry the terminal gives up (docs/apis.md#centrapay-polling-and-deadline: 5-10 s). */
  graceMs: number;
  /** The sales awaiting payment right now. */
  awaited: () => AwaitedRequest[];
  /** A request left `new` (paid, expired, cancelled). */
  onSettled: (saleId: string, request: PaymentRequest) => void;
  /**
   * The terminal's deadline passed and the last read did not show a final status. `last` is the
   * last request read (undefined when no read succeeded): `new` is voided, a status no document
   * lists goes to a person.
   */
  onDeadline: (saleId: string, last: PaymentRequest | undefined) => void;
}

/**
 * Polls every awaited payment request about once a second, one request at a time (never two at
 * once, even with several sales open), and only while some sale awaits payment: an idle terminal
 * makes no Centrapay calls.
 *
 * Deadline (docs/apis.md#centrapay-polling-and-deadline): `expirySeconds` plus the grace, measured on the MONOTONIC clock from
 * the moment this watcher first saw the sale awaiting payment, which is after the request was
 * created, so the deadline always falls after Centrapay's own expiry. A sale found at start
 * (after a restart) is measured from then: later than needed, never earlier. At the deadline the
 * poll just made is the last read; if it did not show a final status, onDeadline asks for the void
 * (whose handler reads once more before voiding).
 *
 * A 429 delays the next poll by its Retry-After; the deadline stays where it was.
 *
 * A status outside new/paid/cancelled/expired is neither paid nor final: it is logged once per
 * sale (warn, code `centrapay_unknown_status`, with the server's value), polling goes on (it may
 * still become paid), and at the deadline the sale goes to a person instead of being voided.
 */
export class CentrapayWatcher {
  private readonly options: CentrapayWatcherOptions;
  private readonly deadlines = new Map<string, number>();
  /** The last request read per awaited sale, and the sales whose unknown status was logged. */
  private readonly lastRead = new Map<string, PaymentRequest>();
  private readonly unknownLogged = new Set<string>();
  private readonly loop: PollLoop;
  private running = false;

  constructor(options: CentrapayWatcherOptions) {
    this.options = options;
    this.loop = new PollLoop({
      clock: options.clock,
      intervalMs: options.intervalMs,
      hasWork: () => this.refresh().length > 0,
      poll: () => this.poll(),
    });
  }

  start(): void {
    this.running = true;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop.stop();
  }

  isActive(): boolean {
    return this.loop.isActive();
  }

  /** The monotonic deadline of an awaited sale, once seen. */
  deadlineOf(saleId: string): number | undefined {
    return this.deadlines.get(saleId);
  }

  /** A sale started awaiting payment: its deadline starts now; polling begins if not already. */
  wake(): void {
    if (!this.running) return;
    // Start the deadlines of new sales now, whether or not the loop is already running.
    this.refresh();
    this.loop.wake();
  }

  /** Reads the awaited sales, starts the deadline of new ones and forgets those no longer awaited. */
  private refresh(): AwaitedRequest[] {
    const awaited = this.options.awaited();
    const now = this.options.clock.monoMs();
    const ids = new Set(awaited.map((a) => a.saleId));
    for (const saleId of this.deadlines.keys()) {
      if (ids.has(saleId)) continue;
      this.deadlines.delete(saleId);
      this.lastRead.delete(saleId);
      this.unknownLogged.delete(saleId);
    }
    for (const a of awaited) {
      if (!this.deadlines.has(a.saleId)) this.deadlines.set(a.saleId, now + a.expirySeconds * 1000 + this.options.graceMs);
    }
    return awaited;
  }

  /** One round over the awaited sales, one request at a time. Resolves with a Retry-After to honour. */
  private async poll(): Promise<number> {
    for (const awaited of this.refresh()) {
      if (!this.running) return 0;
      let request: PaymentRequest | undefined;
      let retryAfterMs: number | undefined;
      try {
        request = await this.options.centrapay.getPaymentRequest(awaited.paymentRequestId);
      } catch (error) {
        this.options.logger.debug({ err: error, saleId: awaited.saleId }, 'centrapay poll failed; next poll at the interval');
        if (isOpError(error)) retryAfterMs = error.retryAfterMs;
      }
      if (!this.running) return 0;
      if (request !== undefined && request.status !== 'new' && request.status !== 'unknown') {
        this.safely(() => this.options.onSettled(awaited.saleId, request), awaited.saleId);
        continue;
      }
      if (request !== undefined) this.lastRead.set(awaited.saleId, request);
      if (request?.status === 'unknown') this.logUnknownOnce(awaited.saleId, request);
      // The deadline holds whatever the poll got: a failed last read still leads to the void,
      // whose handler reads again before voiding.
      const deadline = this.deadlines.get(awaited.saleId);
      if (deadline !== undefined && this.options.clock.monoMs() >= deadline) {
        const last = this.lastRead.get(awaited.saleId);
        this.safely(() => this.options.onDeadline(awaited.saleId, last), awaited.saleId);
      }
      // Rate limited: the rest of this round would be refused too.
      if (retryAfterMs !== undefined) return retryAfterMs;
    }
    return 0;
  }

  private logUnknownOnce(saleId: string, request: PaymentRequest): void {
    if (this.unknownLogged.has(saleId)) return;
    this.unknownLogged.add(saleId);
    this.options.logger.warn(
      { saleId, paymentRequestId: request.id, status: request.reportedStatus, code: 'centrapay_unknown_status' },
      'payment request in a status no document lists; waiting for a known one until the deadline, then a person decides',
    );
  }

  private safely(fn: () => void, saleId: string): void {
    try {
      fn();
    } catch (error) {
      this.options.logger.error({ err: error, saleId }, 'could not record a payment request outcome; the next poll tries again');
    }
  }
}
