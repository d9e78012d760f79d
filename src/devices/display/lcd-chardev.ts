import { open, type FileHandle } from 'node:fs/promises';
import { DeviceError, messageOf } from '../device-error.js';
import { FrameDisplay } from './frame-display.js';

export interface LcdCharDevOptions {
  /** The kernel auxdisplay device, /dev/lcd with the hd44780(-i2c)-lcd overlays. */
  readonly path: string;
  readonly columns: number;
  readonly rows?: number;
}

const ESC = '\x1b';

/**
 * An HD44780 LCD driven by the Linux charlcd driver: plain text plus `ESC [ L` escape sequences
 * (drivers/auxdisplay/charlcd.c). Start: init, clear, cursor and blink off. Each frame moves to
 * the start of every row (`ESC [ L x0 y<row> ;`) and writes the padded row, so nothing wraps.
 */
export class LcdCharDevDisplay extends FrameDisplay {
  private handle: FileHandle | null = null;

  constructor(private readonly options: LcdCharDevOptions) {
    super(options.rows ?? 2, options.columns, 'ascii');
  }

  /** The bytes written to start the display. */
  static initSequence(): string {
    return `${ESC}[LI\f${ESC}[Lc${ESC}[Lb`;
  }

  /** The bytes written for one fitted frame. */
  static frameSequence(frame: readonly string[]): string {
    return frame.map((line, row) => `${ESC}[Lx0y${row};${line}`).join('');
  }

  protected override async open(): Promise<void> {
    await this.ensureOpen();
  }

  protected override async writeFrame(frame: readonly string[]): Promise<void> {
    const handle = await this.ensureOpen();
    try {
      await handle.write(Buffer.from(LcdCharDevDisplay.frameSequence(frame), 'latin1'));
    } catch (error) {
      await this.drop();
      throw new DeviceError('display', 'display_write_failed', `display ${this.options.path}: ${messageOf(error)}`, { cause: error, retryable: true });
    }
  }

  protected override async close(): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    try {
      await handle.write('\f');
    } finally {
      await this.drop();
    }
  }

  private async ensureOpen(): Promise<FileHandle> {
    if (this.handle !== null) return this.handle;
    let handle: FileHandle;
    try {
      handle = await open(this.options.path, 'a');
    } catch (error) {
      throw new DeviceError('display', 'display_open_failed', `cannot open display ${this.options.path}: ${messageOf(error)}`, { cause: error, retryable: true });
    }
    this.handle = handle;
    await handle.write(LcdCharDevDisplay.initSequence());
    return handle;
  }

  private async drop(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => {});
  }
}
