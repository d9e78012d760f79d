import type { Clock } from '../platform/clock.js';

/**
 * How often a periodic poller may poll, given its own recent calls (monotonic ms): the request
 * budget (RequestBudget implements it).
 */
export interface PollPacer {
  minPollIntervalMs(ownCallsAtMs: readonly number[]): number;
}

export interface PollLoopOptions {
  clock: Clock;
  /** From the start of one poll to the start of the next. */
  intervalMs: number;
  /** The request budget: after every poll it may stretch the next interval, given this loop's calls (countCall). */
  pacer?: PollPacer | undefined;
  /** Whether there is anything to watch; read before the first poll and after every poll. */
  hasWork: () => boolean;
  /** One round; may resolve with a minimum wait before the next (a server's Retry-After). Must not reject. */
  poll: () => Promise<number | void>;
}

/**
 * A fixed-rate poll that runs only while there is something to watch: `wake()` starts it (the
 * first poll follows one interval), and it stops by itself after a poll that leaves nothing to
 * watch, so an idle terminal makes no such calls. Never two polls at once; `stop()` waits for the
 * one in flight. Timing on the injected clock.
 */
export class PollLoop {
  private readonly options: PollLoopOptions;
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;
  private active = false;
  /** This loop's calls within the last minute (monotonic ms), for the pacer. */
  private calls: number[] = [];

  constructor(options: PollLoopOptions) {
    this.options = options;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.active = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.inFlight;
  }

  /** Whether it is polling (something is watched). */
  isActive(): boolean {
    return this.active;
  }

  /** A request this loop's poll is about to make: counted against the pacer's budget for it. */
  countCall(): void {
    this.calls.push(this.options.clock.monoMs());
  }

  private pacedIntervalMs(): number {
    if (this.options.pacer === undefined) return 0;
    const now = this.options.clock.monoMs();
    this.calls = this.calls.filter((at) => at > now - 60_000);
    return this.options.pacer.minPollIntervalMs(this.calls);
  }

  /** Something to watch appeared: begin polling if not already. */
  wake(): void {
    if (!this.running || this.active || !this.options.hasWork()) return;
    this.active = true;
    this.schedule(this.options.intervalMs);
  }

  private schedule(delayMs: number): void {
    this.cancelTimer = this.options.clock.setTimeout(() => {
      this.cancelTimer = undefined;
      const started = this.options.clock.monoMs();
      let minWaitMs = 0;
      this.inFlight = this.options
        .poll()
        .then((wait) => {
          minWaitMs = wait ?? 0;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
      void this.inFlight.then(() => {
        if (!this.running) return;
        if (!this.options.hasWork()) {
          this.active = false;
          return;
        }
        const elapsed = this.options.clock.monoMs() - started;
        const interval = Math.max(this.options.intervalMs, this.pacedIntervalMs());
        this.schedule(Math.max(0, interval - elapsed, minWaitMs));
      });
    }, delayMs);
  }
}
