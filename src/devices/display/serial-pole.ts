import { DeviceError, messageOf } from '../device-error.js';
import { openRealSerialPort, type SerialPortLike, type SerialPortOpener } from '../scanner/serial-scanner.js';
import { FrameDisplay } from './frame-display.js';
import { poleCommandSet, type PoleCommandSet } from './pole-commands.js';

export interface SerialPoleOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly commandSet: 'epson' | 'cd5220';
  readonly columns: number;
  readonly rows?: number;
  /** Defaults to the real serialport; tests pass SerialPortMock. */
  readonly openPort?: SerialPortOpener;
  /** A write that takes longer fails with display_write_timeout (default 2000 ms). */
  readonly writeTimeoutMs?: number;
}

/**
 * A serial customer pole display (Epson customer-display or CD5220 command set) on node-serialport.
 * After an unplug the next `show()` opens a new port object, re-initialises and writes the frame.
 */
export class SerialPoleDisplay extends FrameDisplay {
  private readonly commands: PoleCommandSet;
  private port: SerialPortLike | null = null;

  constructor(private readonly options: SerialPoleOptions) {
    const commands = poleCommandSet(options.commandSet);
    super(options.rows ?? 2, options.columns, 'ascii');
    this.commands = commands;
  }

  protected override async open(): Promise<void> {
    await this.ensureOpen();
  }

  /** Rejects with display_config_invalid for a size the command set cannot address. */
  override async start(): Promise<void> {
    if (this.rows > this.commands.maxRows || this.columns > this.commands.maxColumns) {
      throw new DeviceError(
        'display',
        'display_config_invalid',
        `${this.commands.name} displays have at most ${this.commands.maxRows} rows of ${this.commands.maxColumns} columns, configured ${this.rows}x${this.columns}`,
      );
    }
    await super.start();
  }

  protected override async writeFrame(frame: readonly string[]): Promise<void> {
    const port = await this.ensureOpen();
    await this.write(port, this.commands.frame(frame));
  }

  protected override async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port === null || !port.isOpen) return;
    try {
      await this.write(port, this.commands.clear());
    } finally {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  }

  private async ensureOpen(): Promise<SerialPortLike> {
    if (this.port?.isOpen === true) return this.port;
    this.port = null;
    const port = (this.options.openPort ?? openRealSerialPort)({ path: this.options.path, baudRate: this.options.baudRate });
    port.on('error', () => {});
    await new Promise<void>((resolve, reject) =>
      port.open((error) =>
        error === null
          ? resolve()
          : reject(new DeviceError('display', 'display_open_failed', `cannot open display ${this.options.path}: ${error.message}`, { cause: error, retryable: true })),
      ),
    );
    port.once('close', () => {
      if (this.port === port) this.port = null;
    });
    try {
      await this.write(port, this.commands.init());
    } catch (error) {
      if (port.isOpen) port.close();
      throw error;
    }
    this.port = port;
    return port;
  }

  private write(port: SerialPortLike, bytes: Buffer): Promise<void> {
    const timeoutMs = this.options.writeTimeoutMs ?? 2000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new DeviceError('display', 'display_write_timeout', `display ${this.options.path} did not take ${bytes.length} bytes in ${timeoutMs} ms`, { retryable: true }));
      }, timeoutMs);
      port.write(bytes, (error) => {
        if (error) {
          clearTimeout(timer);
          reject(new DeviceError('display', 'display_write_failed', `display ${this.options.path}: ${messageOf(error)}`, { cause: error, retryable: true }));
          return;
        }
        (port as unknown as { drain(cb: (e: Error | null) => void): void }).drain((drainError) => {
          clearTimeout(timer);
          if (drainError) reject(new DeviceError('display', 'display_write_failed', `display ${this.options.path}: ${drainError.message}`, { cause: drainError, retryable: true }));
          else resolve();
        });
      });
    });
  }
}
