import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';

interface TimeSource {
  serverTime(): Promise<number>;
  readonly timeSynced: boolean;
  readonly systemSkewMs: number | undefined;
}

/** Wall-clock error tolerated before receipts and the status screen say the time is not synced. */
export const CLOCK_TOLERANCE_MS = 60_000;

/**
 * Reads Paysera's server time at start and then every hour (one unsigned GET), so the signing
 * clock is right before the first payment and the terminal knows whether its own wall clock can
 * be trusted (a Pi has no RTC). Until the first success it retries every 30 s.
 */
export class ServerTimeSync {
  private cancel: (() => void) | undefined;
  private running = false;
  private trusted = false;

  constructor(
    private readonly source: TimeSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Called when wallClockTrusted() changes, so the display can drop or show its mark. */
    private readonly onTrustChanged: (trusted: boolean) => void = () => {},
  ) {}

  /** Whether the wall clock is known to be within tolerance of the server's. */
  wallClockTrusted(): boolean {
    const skew = this.source.systemSkewMs;
    return this.source.timeSynced && skew !== undefined && Math.abs(skew) < CLOCK_TOLERANCE_MS;
  }

  /** Starts syncing; resolves when the first read has succeeded or failed. */
  start(): Promise<void> {
    this.running = true;
    return this.tick();
  }

  stop(): void {
    this.running = false;
    this.cancel?.();
    this.cancel = undefined;
  }

  private async tick(): Promise<void> {
    let next = 3_600_000;
    try {
      await this.source.serverTime();
      if (!this.wallClockTrusted()) this.logger.warn({ skewMs: this.source.systemSkewMs }, 'system clock differs from Paysera; signing with server time, receipts marked');
      if (this.wallClockTrusted() !== this.trusted) {
        this.trusted = this.wallClockTrusted();
        this.onTrustChanged(this.trusted);
      }
    } catch (error) {
      next = 30_000;
      this.logger.debug({ err: error }, 'server time not read; retrying in 30 s');
    }
    if (this.running) this.cancel = this.clock.setTimeout(() => void this.tick(), next);
  }
}
