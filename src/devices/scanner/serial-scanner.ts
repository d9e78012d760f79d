import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import type { Clock } from '../../platform/clock.js';
import type { DeviceError } from '../device-error.js';
import { messageOf } from '../device-error.js';
import type { Unsubscribe } from '../../platform/listeners.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-sanitizer.js';
import type { ClassifierOptions } from './scan-classifier.js';
import { ScanEmitter } from './scan-emitter.js';
import type { Scan, ScannerPort, ScannerState, ScanReject } from './scanner-port.js';

/** The part of a node-serialport SerialPortStream the scanner uses (SerialPort and SerialPortMock fit). */
export type SerialPortLike = Duplex & {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
};

/** Creates a new, not yet opened port object. Called again for every reconnect. */
export type SerialPortOpener = (options: { path: string; baudRate: number }) => SerialPortLike;

export const openRealSerialPort: SerialPortOpener = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false, lock: true }) as unknown as SerialPortLike;

export interface SerialScannerOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly clock: Clock;
  readonly classifier: ClassifierOptions;
  /** Defaults to the real serialport; tests pass SerialPortMock. */
  readonly openPort?: SerialPortOpener;
  readonly maxLineBytes?: number;
  /** Reconnect backoff: first delay, doubled per failed attempt up to `maxMs`. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/**
 * A scanner in USB CDC-ACM or RS-232 mode, on node-serialport (see ScannerPort for the contract).
 *
 * Reconnect: on `close` (unplug: DisconnectedError) or a failed open, it waits on the injected
 * Clock (500 ms doubling to 5 s by default), then creates a NEW port object and opens it; a closed
 * SerialPort is never reused. The wait resets after a successful open.
 */
export class SerialScanner implements ScannerPort {
  private readonly emitter: ScanEmitter;
  private port: SerialPortLike | null = null;
  private reader: ReturnType<ScanEmitter['lineReader']> | null = null;
  private cancelRetry: (() => void) | null = null;
  private attempt = 0;
  private running = false;
  private lastOpenError: string | null = null;
  private generation = 0;

  constructor(private readonly options: SerialScannerOptions) {
    this.emitter = new ScanEmitter(options.clock, options.classifier, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.lastOpenError = null;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.generation += 1;
    this.cancelRetry?.();
    this.cancelRetry = null;
    const port = this.port;
    this.detach();
    if (port?.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.emitter.setState('stopped');
  }

  state(): ScannerState {
    return this.emitter.state();
  }

  onScan(listener: (scan: Scan) => void): Unsubscribe {
    return this.emitter.scans.add(listener);
  }

  onReject(listener: (reject: ScanReject) => void): Unsubscribe {
    return this.emitter.rejects.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.emitter.problems.add(listener);
  }

  onState(listener: (state: ScannerState) => void): Unsubscribe {
    return this.emitter.states.add(listener);
  }

  /** One open attempt; resolves when it has succeeded or a retry is scheduled. */
  private connect(): Promise<void> {
    const generation = this.generation;
    this.emitter.setState(this.emitter.state() === 'disconnected' ? 'disconnected' : 'connecting');
    let port: SerialPortLike;
    try {
      port = (this.options.openPort ?? openRealSerialPort)({ path: this.options.path, baudRate: this.options.baudRate });
    } catch (error) {
      this.openFailed(error);
      return Promise.resolve();
    }
    this.port = port;
    // A port emits 'error' for failed writes/opens; an unhandled 'error' would crash the process.
    port.on('error', () => {});
    return new Promise<void>((resolve) => {
      port.open((error) => {
        if (generation !== this.generation || !this.running) {
          if (error === null) port.close();
          resolve();
          return;
        }
        if (error !== null) {
          this.port = null;
          this.openFailed(error);
          resolve();
          return;
        }
        this.attempt = 0;
        this.lastOpenError = null;
        const reader = this.emitter.lineReader();
        this.reader = reader;
        port.on('data', (chunk: Buffer) => {
          try {
            reader.input.write(chunk);
          } catch (err) {
            this.emitter.problem('scanner_internal', `scanner input failed: ${messageOf(err)}`, err);
          }
        });
        port.once('close', (closeError: (Error & { disconnected?: boolean }) | null | undefined) => this.closed(port, closeError ?? null));
        this.emitter.setState('connected');
        resolve();
      });
    });
  }

  private closed(port: SerialPortLike, error: (Error & { disconnected?: boolean }) | null): void {
    if (port !== this.port || !this.running) return;
    this.detach();
    this.emitter.setState('disconnected');
    this.emitter.problem(
      'scanner_disconnected',
      error?.disconnected === true ? `scanner ${this.options.path} unplugged: ${error.message}` : `scanner ${this.options.path} closed`,
      error ?? undefined,
      true,
    );
    this.scheduleRetry();
  }

  private openFailed(error: unknown): void {
    const message = messageOf(error);
    // Report the first failure and every change, not every retry of the same failure.
    if (message !== this.lastOpenError) {
      this.emitter.problem('scanner_open_failed', `cannot open scanner ${this.options.path}: ${message}`, error, true);
      this.lastOpenError = message;
    }
    if (this.emitter.state() !== 'disconnected') this.emitter.setState('disconnected');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 5000 };
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt, 20));
    this.attempt += 1;
    const generation = this.generation;
    this.cancelRetry = this.options.clock.setTimeout(() => {
      this.cancelRetry = null;
      if (generation === this.generation && this.running) void this.connect();
    }, delay);
  }

  private detach(): void {
    const port = this.port;
    this.port = null;
    if (port !== null) port.removeAllListeners('data');
    this.reader?.destroy();
    this.reader = null;
  }
}
