import { createServer, type Server, type Socket } from 'node:net';
import { statusReply } from '../realtime-status.js';
import type { FakePrinterState } from './capture.js';

/**
 * A network ESC/POS printer on loopback, for tests through the production wiring (`tcp://`): it
 * answers every DLE EOT request in what it receives as a printer in `state` would (one byte per
 * request, at once, even when out of paper; nothing when `silent`), and keeps each connection's
 * other bytes as a printed job, unless it is out of paper or its cover is open: then the bytes
 * are taken and nothing prints, as on a real printer.
 */
export class FakeNetworkPrinter {
  /** The bytes of each job that reached paper, in order. */
  readonly printed: Buffer[] = [];
  /** Jobs taken while the printer could not print (paper out, cover open): lost receipts. */
  readonly lost: Buffer[] = [];
  statusRequests = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(public state: FakePrinterState = { paper: 'ok' }) {}

  /** Listens on 127.0.0.1; resolves the port. */
  async start(): Promise<number> {
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    const job: Buffer[] = [];
    let tail = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      const data = Buffer.concat([tail, chunk]);
      let rest = 0;
      for (let i = 0; i + 2 < data.length; i++) {
        const n = data[i + 2]!;
        if (data[i] !== 0x10 || data[i + 1] !== 0x04 || n < 1 || n > 4) continue;
        this.statusRequests += 1;
        if (this.state !== 'silent') socket.write(statusReply(this.state).subarray(n - 1, n));
        job.push(data.subarray(rest, i));
        rest = i + 3;
        i += 2;
      }
      // A request cut between two chunks is completed by the next one.
      const keep = Math.max(rest, data.length - 2);
      job.push(data.subarray(rest, keep));
      tail = Buffer.from(data.subarray(keep));
    });
    socket.on('end', () => {
      const bytes = Buffer.concat([...job, tail]);
      if (bytes.length > 0) {
        const state = this.state;
        if (state !== 'silent' && (state.paper === 'out' || state.coverOpen === true)) this.lost.push(bytes);
        else this.printed.push(bytes);
      }
      socket.end();
    });
  }
}
