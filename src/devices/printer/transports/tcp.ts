import { connect, type Socket } from 'node:net';
import { PrinterError, printerErrorFromSystem } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { TransportBase } from './transport-base.js';

export interface TcpPrinterOptions {
  readonly host: string;
  readonly port?: number;
  /** Connect timeout (default 3 s) and whole-job timeout (default 15 s). */
  readonly connectTimeoutMs?: number;
  readonly timeoutMs?: number;
}

/**
 * A network printer on raw TCP (port 9100). One connection per job: connect, write, half-close,
 * wait for the printer to close or for the socket to finish. Refused/unreachable before any byte
 * was sent is `printer_offline`; a reset after is `printer_connection_lost` (ambiguous).
 */
export class TcpTransport extends TransportBase {
  readonly description: string;

  constructor(private readonly options: TcpPrinterOptions) {
    super();
    this.description = `tcp ${options.host}:${options.port ?? 9100}`;
  }

  protected override deliver(job: Printout): Promise<void> {
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 3000;
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      let connected = false;
      let settled = false;
      const socket: Socket = connect({ host: this.options.host, port: this.options.port ?? 9100 });
      const finish = (error: PrinterError | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(jobTimer);
        socket.destroy();
        if (error) reject(error);
        else resolve();
      };
      const connectTimer = setTimeout(() => {
        if (!connected) finish(new PrinterError('printer_offline', `${this.description}: no connection in ${connectTimeoutMs} ms`, { jobId: job.id }));
      }, connectTimeoutMs);
      const jobTimer = setTimeout(() => {
        finish(new PrinterError('printer_timeout', `${this.description}: job not delivered in ${timeoutMs} ms`, { ambiguous: connected, jobId: job.id }));
      }, timeoutMs);
      socket.on('error', (error) => finish(printerErrorFromSystem(error, this.description, job.id, connected)));
      socket.on('connect', () => {
        connected = true;
        clearTimeout(connectTimer);
        socket.end(job.bytes, () => finish(null));
      });
      socket.on('close', () => {
        if (!settled) finish(new PrinterError('printer_connection_lost', `${this.description}: closed during the job`, { ambiguous: connected, jobId: job.id }));
      });
      // Printers may answer (status bytes); read and ignore so the socket can finish.
      socket.on('data', () => {});
    });
  }
}
