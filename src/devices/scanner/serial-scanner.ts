import { stat } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import type { Clock } from '../../platform/clock.js';
import { messageOf } from '../device-error.js';
import type { ClassifierOptions } from './scan-classifier.js';
import type { ScanEmitter } from './scan-emitter.js';
import { ScannerBase } from './scanner-base.js';

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
  /** How often the device node of a connected scanner is checked (default 1 s); see `nodeIdentity`. */
  readonly checkMs?: number;
  /** Test seam: what names the device node now (default: stat of the path); null when it is gone. */
  readonly nodeIdentity?: (path: string) => Promise<string | null>;
}

/**
 * The identity of the node a path names now: device, inode, device number and inode change time.
 * A replugged USB scanner gets a new node; a re-created pty may get the same number and inode
 * (devpts numbers them), but never the same change time.
 */
export async function statIdentity(path: string): Promise<string | null> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.rdev}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

/**
 * A scanner in USB CDC-ACM or RS-232 mode, on node-serialport (see ScannerPort for the contract).
 *
 * Reconnect: on `close` (unplug: DisconnectedError) or a failed open, it waits on the injected
 * Clock (500 ms doubling to 5 s by default), then creates a NEW port object and opens it; a closed
 * SerialPort is never reused. The wait resets after a successful open.
 *
 * A dead node does not always close the port: a tty hung up before its first read answers every
 * read with 0 bytes, which serialport reads again at once, for ever, and never reports (seen with
 * a pty whose other end went away: docs/hardware.md#scanner-a-dead-node-is-not-always-reported).
 * So while connected the path is checked every `checkMs`: when it names no node, or another node
 * than the one opened (a replug), or the port reports an error, the port is closed and opened
 * again as after an unplug, and the problem is reported.
 */
export class SerialScanner extends ScannerBase {
  private port: SerialPortLike | null = null;
  private reader: ReturnType<ScanEmitter['lineReader']> | null = null;
  private cancelRetry: (() => void) | null = null;
  private attempt = 0;
  private running = false;
  private lastOpenError: string | null = null;
  private generation = 0;
  /** The identity of the node opened (statIdentity); undefined until it has been read. */
  private node: string | undefined;
  private cancelCheck: (() => void) | null = null;

  constructor(private readonly options: SerialScannerOptions) {
    super(options.clock, options.classifier, options.maxLineBytes);
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
    port.on('error', (error: Error) => {
      if (port === this.port && this.emitter.state() === 'connected') this.dead(port, 'scanner_read_failed', `scanner ${this.options.path} failed: ${messageOf(error)}`, error);
    });
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
        this.watchNode(port);
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

  /**
   * Reads the identity of the node just opened, then checks every `checkMs` that the path still
   * names it. Only while this port is the one connected.
   */
  private watchNode(port: SerialPortLike): void {
    const identify = this.options.nodeIdentity ?? statIdentity;
    this.node = undefined;
    const check = async (): Promise<void> => {
      const now = await identify(this.options.path);
      if (port !== this.port || !this.running) return;
      if (now === null) {
        this.dead(port, 'scanner_node_gone', `scanner ${this.options.path}: the device node is gone`);
        return;
      }
      if (this.node === undefined) this.node = now;
      else if (now !== this.node) {
        this.dead(port, 'scanner_node_replaced', `scanner ${this.options.path} now names another device node (replugged)`);
        return;
      }
      this.cancelCheck = this.options.clock.setTimeout(() => {
        this.cancelCheck = null;
        void check();
      }, this.options.checkMs ?? 1000);
    };
    void check();
  }

  /** The open port no longer reads its device: closed, reported, and opened again after the backoff. */
  private dead(port: SerialPortLike, code: string, message: string, cause?: unknown): void {
    if (port !== this.port || !this.running) return;
    this.detach();
    this.emitter.setState('disconnected');
    this.emitter.problem(code, message, cause, true);
    // Closing also ends serialport's read loop on a hung-up tty.
    if (port.isOpen) port.close();
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
    this.cancelCheck?.();
    this.cancelCheck = null;
    const port = this.port;
    this.port = null;
    if (port !== null) port.removeAllListeners('data');
    this.reader?.destroy();
    this.reader = null;
  }
}
