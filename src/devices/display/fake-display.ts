import { DeviceError } from '../device-error.js';
import { FrameDisplay } from './frame-display.js';
import type { Charset } from '../../i18n/transliterate.js';

/** Records every frame written; `failNext(n)` makes the next n writes fail, as an unplug would. */
export class FakeDisplay extends FrameDisplay {
  readonly frames: string[][] = [];
  private failures = 0;

  constructor(options: { columns?: number; rows?: number; charset?: Charset } = {}) {
    super(options.rows ?? 2, options.columns ?? 20, options.charset ?? 'ascii');
  }

  failNext(count = 1): void {
    this.failures = count;
  }

  /** The last frame with trailing spaces trimmed, or null before any frame. */
  lastText(): string[] | null {
    const last = this.frames[this.frames.length - 1];
    return last === undefined ? null : last.map((line) => line.trimEnd());
  }

  protected override async open(): Promise<void> {}

  protected override async writeFrame(frame: readonly string[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new DeviceError('display', 'display_write_failed', 'fake display write failed', { retryable: true });
    }
    this.frames.push([...frame]);
  }

  protected override async close(): Promise<void> {}
}
