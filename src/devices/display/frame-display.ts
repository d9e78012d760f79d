import { DeviceError, messageOf } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import type { DisplayPort } from './display-port.js';
import { fitFrame, type Charset } from '../../i18n/transliterate.js';

/**
 * Shared behaviour of every DisplayPort adapter (see the contract there): fitting, ordering,
 * latest-frame-wins, skipping unchanged frames, reporting failures. Subclasses implement only
 * the device I/O.
 */
export abstract class FrameDisplay implements DisplayPort {
  private readonly problems = new Listeners<DeviceError>();
  private shown: string[] | null = null;
  private wanted: string[] | null = null;
  private flushing: Promise<void> | null = null;
  protected started = false;

  protected constructor(
    readonly rows: number,
    readonly columns: number,
    private readonly charset: Charset,
  ) {}

  /** Opens and initialises the device. */
  protected abstract open(): Promise<void>;
  /** Writes one whole frame (already fitted: `rows` strings of exactly `columns` characters). */
  protected abstract writeFrame(frame: readonly string[]): Promise<void>;
  /** Closes the device; best effort. */
  protected abstract close(): Promise<void>;

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.shown = null;
    try {
      await this.open();
    } catch (error) {
      this.report(error);
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.flushing;
    this.started = false;
    try {
      await this.close();
    } catch (error) {
      this.report(error);
    }
    this.shown = null;
  }

  show(lines: readonly string[]): Promise<void> {
    const frame = fitFrame(lines, this.rows, this.columns, this.charset);
    this.wanted = frame;
    if (this.flushing !== null) return this.flushing;
    if (!this.started || sameFrame(frame, this.shown)) return Promise.resolve();
    const flushing = this.flush();
    // flush() awaits at least once before it can finish, so this assignment happens first.
    this.flushing = flushing;
    return flushing;
  }

  clear(): Promise<void> {
    return this.show([]);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }

  /** The frame last written successfully (for tests and status screens). */
  current(): readonly string[] | null {
    return this.shown;
  }

  protected report(error: unknown): void {
    const problem =
      error instanceof DeviceError
        ? error
        : new DeviceError('display', 'display_write_failed', `display: ${messageOf(error)}`, { cause: error, retryable: true });
    this.problems.emit(problem);
  }

  private async flush(): Promise<void> {
    try {
      for (;;) {
        const frame = this.wanted;
        if (frame === null || sameFrame(frame, this.shown)) return;
        try {
          await this.writeFrame(frame);
          this.shown = frame;
        } catch (error) {
          this.shown = null;
          this.report(error);
          return;
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}

function sameFrame(a: readonly string[], b: readonly string[] | null): boolean {
  return b !== null && a.length === b.length && a.every((line, i) => line === b[i]);
}
