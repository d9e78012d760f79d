import type { Clock } from '../../platform/clock.js';

/**
 * The `ts` the client signs with. Until the server's time is known it is the system clock; after
 * `sync()` it is the server's time carried forward on the MONOTONIC clock, so a Pi that booted
 * with a stale clock (no RTC) signs correctly, and an NTP step during uptime cannot disturb it.
 */
export class ServerClock {
  private readonly clock: Clock;
  /** serverMs - monoMs at the moment of measurement; undefined until synced. */
  private offsetMs: number | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get synced(): boolean {
    return this.offsetMs !== undefined;
  }

  /** Unix seconds to sign with. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowMs(): number {
    return this.offsetMs === undefined ? this.clock.wallMs() : this.clock.monoMs() + this.offsetMs;
  }

  /** How far the system wall clock is from the server's, in ms (positive: system is ahead). */
  systemSkewMs(): number | undefined {
    return this.offsetMs === undefined ? undefined : this.clock.wallMs() - (this.clock.monoMs() + this.offsetMs);
  }

  /**
   * Records the server's time. The server reports whole seconds, so its true time lies within
   * [time, time + 1 s): take the middle, at the midpoint of the request's round trip.
   */
  sync(serverTimeSeconds: number, monoSentMs: number, monoReceivedMs: number): void {
    const midpoint = (monoSentMs + monoReceivedMs) / 2;
    this.offsetMs = serverTimeSeconds * 1000 + 500 - midpoint;
  }
}
