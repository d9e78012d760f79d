import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FakeClock } from '../../../platform/fake-clock.js';
import type { SerialPortLike } from '../../scanner/serial-scanner.js';
import type { Printout } from '../printer-port.js';
import { CaptureTransport } from './capture.js';
import { FileTransport } from './file.js';
import { SerialTransport } from './serial.js';
import { TcpTransport } from './tcp.js';
import { UsblpTransport } from './usblp.js';

const job = (id: string, size = 100, kind: Printout['kind'] = 'receipt'): Printout => ({ id, kind, bytes: Buffer.alloc(size, 0x41) });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'counterpay-print-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('CaptureTransport and the shared transport rules', () => {
  it('records jobs in order, fails once on demand, and refuses a job id already delivered', async () => {
    const t = new CaptureTransport();
    await t.send(job('a'));
    t.failNext('printer_paper_out');
    await expect(t.send(job('b'))).rejects.toMatchObject({ code: 'printer_paper_out', retryable: true, jobId: 'b' });
    await t.send(job('b')); // the spooler's retry of the same job
    await expect(t.send(job('a'))).rejects.toMatchObject({ code: 'printer_job_already_sent', retryable: false });
    expect(t.jobs.map((j) => j.id)).toEqual(['a', 'b']);
  });
});

describe('FileTransport (file:DIR)', () => {
  it('writes DIR/NNNNNN-<kind>.bin and continues numbering after a restart', async () => {
    const out = join(dir, 'prints');
    const t = new FileTransport({ dir: out });
    await t.start();
    await t.send(job('1', 10, 'table-card'));
    await t.send(job('2', 20, 'receipt'));
    const again = new FileTransport({ dir: out });
    await again.start();
    await again.send(job('3', 30, 'receipt'));
    expect(readdirSync(out).sort()).toEqual(['000001-table-card.bin', '000002-receipt.bin', '000003-receipt.bin']);
    expect(readFileSync(join(out, '000003-receipt.bin')).length).toBe(30);
  });

  it('a job appears whole under its name or not at all, and a partial file left by a crash is cleared at start', async () => {
    const out = join(dir, 'prints');
    const t = new FileTransport({ dir: out });
    await t.start();
    // Every name that ever appears in DIR while a large job is written is read at once: a reader
    // (the e2e tests, a person's file watcher) must only ever find the complete job.
    const big = 4 * 1024 * 1024;
    const seen: number[] = [];
    let writing = true;
    const watch = (async () => {
      while (writing) {
        for (const name of readdirSync(out).filter((n) => n.endsWith('.bin'))) seen.push(readFileSync(join(out, name)).length);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await t.send(job('big', big, 'receipt'));
    writing = false;
    await watch;
    expect(seen.every((n) => n === big)).toBe(true);
    expect(readdirSync(out)).toEqual(['000001-receipt.bin']);
    writeFileSync(join(out, '.partial-000002'), 'torn');
    const again = new FileTransport({ dir: out });
    await again.start();
    expect(readdirSync(out)).toEqual(['000001-receipt.bin']);
  });
});

describe('TcpTransport (loopback 9100 stand-in)', () => {
  let server: Server;
  let received: Buffer[];
  let behaviour: (socket: Socket) => void;
  let sockets: Socket[];

  beforeEach(async () => {
    received = [];
    sockets = [];
    behaviour = (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => {
        received.push(Buffer.concat(chunks));
        socket.end();
      });
    };
    server = createServer((socket) => {
      sockets.push(socket);
      behaviour(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (): number => (server.address() as { port: number }).port;

  it('delivers the exact bytes, one connection per job', async () => {
    const t = new TcpTransport({ host: '127.0.0.1', port: port() });
    const bytes = Buffer.from([0x1b, 0x40, 0x41, 0x0a, 0x1d, 0x56, 0x00]);
    await t.send({ id: 'j1', kind: 'receipt', bytes });
    await t.send({ id: 'j2', kind: 'receipt', bytes });
    await waitFor(() => received.length === 2, 'both jobs received');
    expect(received).toEqual([bytes, bytes]);
  });

  it('a refused connection is printer_offline, not ambiguous', async () => {
    const p = port();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const t = new TcpTransport({ host: '127.0.0.1', port: p });
    await expect(t.send(job('j'))).rejects.toMatchObject({ code: 'printer_offline', ambiguous: false, retryable: true });
  });

  it('a printer that goes offline in the middle of a job: printer_connection_lost, ambiguous, no retry', async () => {
    let connections = 0;
    behaviour = (socket) => {
      connections += 1;
      let got = 0;
      socket.on('data', (c: Buffer) => {
        got += c.length;
        if (got > 64 * 1024) socket.resetAndDestroy();
      });
    };
    const t = new TcpTransport({ host: '127.0.0.1', port: port(), timeoutMs: 5000 });
    await expect(t.send(job('big', 8 * 1024 * 1024))).rejects.toMatchObject({ code: 'printer_connection_lost', ambiguous: true, jobId: 'big' });
    // The next job is the next connection: jobs go out in order, so a retry of the torn one
    // would have connected before it.
    behaviour = (socket) => {
      connections += 1;
      socket.on('data', () => undefined);
      socket.on('end', () => socket.end());
    };
    await t.send(job('next'));
    expect(connections).toBe(2);
  });

  it('a printer that never reads times out', async () => {
    behaviour = (socket) => socket.pause();
    const t = new TcpTransport({ host: '127.0.0.1', port: port(), timeoutMs: 300 });
    await expect(t.send(job('slow', 16 * 1024 * 1024))).rejects.toMatchObject({ code: 'printer_timeout', ambiguous: true });
  });
});

describe('UsblpTransport (device file)', () => {
  it('writes the job to the device file in one go', async () => {
    const path = join(dir, 'lp0');
    writeFileSync(path, '');
    const t = new UsblpTransport({ path });
    await t.send({ id: 'j', kind: 'receipt', bytes: Buffer.from('hello\n') });
    expect(readFileSync(path, 'utf8')).toBe('hello\n');
  });

  it('a missing device is printer_offline', async () => {
    const t = new UsblpTransport({ path: join(dir, 'nope') });
    await expect(t.send(job('j'))).rejects.toMatchObject({ code: 'printer_offline', ambiguous: false });
  });

  const hasMkfifo = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;

  it.skipIf(!hasMkfifo)('a device nobody reads (FIFO without reader) is printer_offline; a stalled one times out without blocking', async () => {
    const fifo = join(dir, 'lp-fifo');
    spawnSync('mkfifo', [fifo]);
    await expect(new UsblpTransport({ path: fifo }).send(job('j1'))).rejects.toMatchObject({ code: 'printer_offline' });

    // A reader that never reads: the pipe fills, writes get EAGAIN, the job times out.
    const reader = spawn('sh', ['-c', `exec 3<"${fifo}"; sleep 60`], { stdio: 'ignore' });
    await waitFor(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        return true;
      } catch {
        return false; // ENXIO until the reader has the FIFO open
      }
    }, 'the reader to open the FIFO');
    // The deadline is on the transport's clock, which only this test moves: the event loop stays
    // free (the test runs) and the job ends at its timeout, however slow the machine is.
    const clock = new FakeClock();
    const startedMs = clock.monoMs();
    let outcome: unknown;
    new UsblpTransport({ path: fifo, timeoutMs: 300, clock }).send(job('j2', 1024 * 1024)).then(
      () => (outcome = 'delivered'),
      (error: unknown) => (outcome = error),
    );
    while (outcome === undefined) await clock.advance(20);
    expect(outcome).toMatchObject({ code: 'printer_timeout', ambiguous: true });
    expect(clock.monoMs() - startedMs).toBeGreaterThanOrEqual(300);
    reader.kill('SIGKILL');
  });
});

describe('SerialTransport (binding-mock)', () => {
  it('opens, writes the exact bytes, closes; a missing port is printer_offline', async () => {
    SerialPortMock.binding.reset();
    const ports: SerialPortMock[] = [];
    const bindings: { recording: Buffer }[] = [];
    const openPort = ({ path, baudRate }: { path: string; baudRate: number }): SerialPortLike => {
      const p = new SerialPortMock({ path, baudRate, autoOpen: false });
      p.on('open', () => bindings.push(p.port!));
      ports.push(p);
      return p as unknown as SerialPortLike;
    };
    const t = new SerialTransport({ path: '/dev/ttyS0', openPort });
    await expect(t.send(job('j0'))).rejects.toMatchObject({ code: 'printer_offline' });
    SerialPortMock.binding.createPort('/dev/ttyS0', { record: true });
    const bytes = Buffer.from([0x1b, 0x40, 0x48, 0x49, 0x0a]);
    await t.send({ id: 'j1', kind: 'receipt', bytes });
    expect(ports[1]!.isOpen).toBe(false);
    expect(bindings).toHaveLength(1);
    expect(Buffer.from(bindings[0]!.recording)).toEqual(bytes);
  });
});
