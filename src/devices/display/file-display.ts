import { appendFile } from 'node:fs/promises';
import type { Clock } from '../../platform/clock.js';
import { DeviceError, messageOf } from '../device-error.js';
import { FrameDisplay } from './frame-display.js';
import type { Charset } from '../../i18n/transliterate.js';

export interface FileDisplayOptions {
  readonly path: string;
  readonly clock: Clock;
  readonly columns?: number;
  readonly rows?: number;
  readonly charset?: Charset;
}

/**
 * Appends every frame as one JSON line `{"ts": "<ISO wall time>", "lines": ["...", "..."]}` (lines
 * fitted to the display, trailing spaces trimmed). For end-to-end tests and headless runs.
 */
export class FileDisplay extends FrameDisplay {
  constructor(private readonly options: FileDisplayOptions) {
    super(options.rows ?? 2, options.columns ?? 20, options.charset ?? 'ascii');
  }

  protected override async open(): Promise<void> {}

  protected override async writeFrame(frame: readonly string[]): Promise<void> {
    const record = { ts: new Date(this.options.clock.wallMs()).toISOString(), lines: frame.map((line) => line.trimEnd()) };
    try {
      await appendFile(this.options.path, `${JSON.stringify(record)}\n`, 'utf8');
    } catch (error) {
      throw new DeviceError('display', 'display_write_failed', `display file ${this.options.path}: ${messageOf(error)}`, { cause: error, retryable: true });
    }
  }

  protected override async close(): Promise<void> {}
}
