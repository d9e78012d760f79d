import { FrameDisplay } from './frame-display.js';
import type { Charset } from '../../i18n/transliterate.js';

export interface ConsoleDisplayOptions {
  /** Where the frames are drawn (process.stderr in development; a capture in tests). */
  readonly output: NodeJS.WritableStream;
  readonly columns?: number;
  readonly rows?: number;
  /** `ascii` (default) shows exactly what a pole display would. */
  readonly charset?: Charset;
}

/**
 * The customer display drawn in the terminal, framed:
 * ```
 * +--------------------+
 * |12.99 EUR           |
 * |Scan the QR code    |
 * +--------------------+
 * ```
 * Every frame is drawn below the previous one (log lines may be interleaved; redrawing in place
 * would overwrite them).
 */
export class ConsoleDisplay extends FrameDisplay {
  constructor(private readonly options: ConsoleDisplayOptions) {
    super(options.rows ?? 2, options.columns ?? 20, options.charset ?? 'ascii');
  }

  static render(frame: readonly string[], columns: number): string {
    const border = `+${'-'.repeat(columns)}+`;
    return [border, ...frame.map((line) => `|${line}|`), border, ''].join('\n');
  }

  protected override async open(): Promise<void> {}

  protected override async writeFrame(frame: readonly string[]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.options.output.write(ConsoleDisplay.render(frame, this.columns), (error) => (error ? reject(error) : resolve()));
    });
  }

  protected override async close(): Promise<void> {}
}
