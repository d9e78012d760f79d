import { openRealSerialPort, type SerialPortLike, type SerialPortOpener } from '../../scanner/serial-scanner.js';
import { PrinterError, printerErrorFromSystem } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { DEFAULT_STATUS_TIMEOUT_MS, TransportBase } from './transport-base.js';

export interface SerialPrinterOptions {
  readonly path: string;
  readonly baudRate?: number;
  readonly timeoutMs?: number;
  /** How long a status request waits for the answer once the port is open (default 500 ms). */
  readonly statusTimeoutMs?: number;
  readonly openPort?: SerialPortOpener;
}

/**
 * A serial (RS-232 / USB-serial) printer on node-serialport. The port is opened per job and
 * closed after it, so an unplug between jobs needs no reconnect logic: the next job opens a new
 * port object. Write + drain must finish within the timeout (default 15 s). A status request opens
 * the port the same way, writes DLE EOT and reads the answer back.
 */
export class SerialTransport extends TransportBase {
  readonly description: string;

  constructor(private readonly options: SerialPrinterOptions) {
    super();
    this.description = `serial ${options.path}`;
  }

  protected override async deliver(job: Printout): Promise<void> {
    const port = (this.options.openPort ?? openRealSerialPort)({ path: this.options.path, baudRate: this.options.baudRate ?? 9600 });
    port.on('error', () => {});
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error === null ? resolve() : reject(printerErrorFromSystem(withCode(error), this.description, job.id, false)))),
    );
    try {
      await this.write(port, job);
    } finally {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  }

  protected override async exchange(query: Buffer, replyBytes: number): Promise<Buffer | null> {
    const port = (this.options.openPort ?? openRealSerialPort)({ path: this.options.path, baudRate: this.options.baudRate ?? 9600 });
    port.on('error', () => {});
    await new Promise<void>((resolve, reject) => port.open((error) => (error === null ? resolve() : reject(error))));
    try {
      return await new Promise<Buffer | null>((resolve) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const done = (): void => {
          clearTimeout(timer);
          port.off('data', onData);
          resolve(received >= replyBytes ? Buffer.concat(chunks).subarray(0, replyBytes) : null);
        };
        const onData = (chunk: Buffer): void => {
          chunks.push(chunk);
          received += chunk.length;
          if (received >= replyBytes) done();
        };
        const timer = setTimeout(done, this.options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS);
        port.on('data', onData);
        port.write(query);
      });
    } finally {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  }

  private write(port: SerialPortLike, job: Printout): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (error: PrinterError | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        port.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onClose = (): void => done(new PrinterError('printer_connection_lost', `${this.description}: port closed during the job`, { ambiguous: true, jobId: job.id }));
      const timer = setTimeout(() => done(new PrinterError('printer_timeout', `${this.description}: job not taken in ${timeoutMs} ms`, { ambiguous: true, jobId: job.id })), timeoutMs);
      port.once('close', onClose);
      port.write(job.bytes, (error) => {
        if (error) {
          done(printerErrorFromSystem(withCode(error), this.description, job.id, true));
          return;
        }
        (port as unknown as { drain(cb: (e: Error | null) => void): void }).drain((drainError) =>
          done(drainError ? printerErrorFromSystem(withCode(drainError), this.description, job.id, true) : null),
        );
      });
    });
  }
}

/** serialport reports "No such file or directory, cannot open ..." without an errno code. */
function withCode(error: Error): Error {
  if ((error as { code?: unknown }).code !== undefined) return error;
  if (/No such file|does not exist/i.test(error.message)) return Object.assign(error, { code: 'ENOENT' });
  if (/Permission denied/i.test(error.message)) return Object.assign(error, { code: 'EACCES' });
  return error;
}
