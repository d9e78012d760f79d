import { connect, type Socket } from 'node:net';
import { PrinterError, printerErrorFromSystem } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { DEFAULT_STATUS_TIMEOUT_MS, TransportBase } from './transport-base.js';

export interface TcpPrinterOptions {
  readonly host: string;
  readonly port?: number;
  /** Connect timeout (default 3 s) and whole-job timeout (default 15 s). */
  readonly connectTimeoutMs?: number;
  readonly timeoutMs?: number;
  /** How long a status request waits for the answer once connected (default 500 ms). */
  readonly statusTimeoutMs?: number;
}

/**
 * A network printer on raw TCP (port 9100). One connection per job: connect, write, half-close,
 * wait for the printer to close or for the socket to finish. Refused/unreachable before any byte
 * was sent is `printer_offline`; a reset after is `printer_connection_lost` (ambiguous). A status
 * request is a connection of its own: the DLE EOT bytes, the answer read back, closed.
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

  protected override exchange(query: Buffer, replyBytes: number): Promise<Buffer | null> {
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 3000;
    const statusTimeoutMs = this.options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
    return new Promise<Buffer | null>((resolve) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let settled = false;
      const socket: Socket = connect({ host: this.options.host, port: this.options.port ?? 9100 });
      const finish = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(received >= replyBytes ? Buffer.concat(chunks).subarray(0, replyBytes) : null);
      };
      let timer = setTimeout(finish, connectTimeoutMs);
      socket.on('error', finish);
      socket.on('close', finish);
      socket.on('connect', () => {
        clearTimeout(timer);
        timer = setTimeout(finish, statusTimeoutMs);
        socket.write(query);
      });
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= replyBytes) finish();
      });
    });
  }
}
