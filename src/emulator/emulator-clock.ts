import type { Clock } from '../platform/clock.js';

/**
 * The emulator's idea of "now": the injected clock plus a skew (seconds) that fault injection can
 * change at run time. MAC timestamp checks, created_at, confirmed_at and GET /rest/v1/server all
 * read it, so a skewed emulator looks exactly like a server whose clock is off.
 */
export class EmulatorClock {
  private skewS: number;

  constructor(
    readonly base: Clock,
    skewS = 0,
  ) {
    this.skewS = skewS;
  }

  get skewSeconds(): number {
    return this.skewS;
  }

  setSkewSeconds(skewS: number): void {
    this.skewS = skewS;
  }

  nowMs(): number {
    return this.base.wallMs() + this.skewS * 1000;
  }

  /** Unix seconds, as the API reports them. */
  nowS(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
