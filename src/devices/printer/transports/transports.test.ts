import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTool, skipReason } from '../../../../test/support/debian-tools.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FakeClock } from '../../../platform/fake-clock.js';
import type { SerialPortLike } from '../../scanner/serial-scanner.js';
import type { Printout } from '../printer-port.js';
import { CaptureTransport } from './capture.js';
import { FakeNetworkPrinter } from './fake-network-printer.js';
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

describe('condition(): the DLE EOT status request', () => {
  it('a write-only transport says not_checked without touching the device', async () => {
    expect(await new FileTransport({ dir: join(dir, 'nowhere') }).condition()).toEqual({ kind: 'not_checked' });
    expect(await new CaptureTransport().condition()).toEqual({ kind: 'not_checked' });
  });

  it('tcp: paper ok, near end, out; a printer that ignores DLE EOT is unknown within the deadline; one that is not there too', async () => {
    const printer = new FakeNetworkPrinter({ paper: 'ok' });
    const port = await printer.start();
    try {
      const t = new TcpTransport({ host: '127.0.0.1', port, statusTimeoutMs: 300 });
      expect(await t.condition()).toMatchObject({ kind: 'answered', paperOut: false, paperNearEnd: false });
      printer.state = { paper: 'near_end' };
      expect(await t.condition()).toMatchObject({ kind: 'answered', paperOut: false, paperNearEnd: true });
      printer.state = { paper: 'out' };
      expect(await t.condition()).toMatchObject({ kind: 'answered', paperOut: true });
      printer.state = 'silent';
      expect(await t.condition()).toEqual({ kind: 'unknown' });
      // The status requests were no jobs: nothing printed.
      printer.state = { paper: 'ok' };
      await t.send(job('after', 10));
      await waitFor(() => printer.printed.length === 1, 'the job');
      expect(printer.printed[0]!.length).toBe(10);
      expect(printer.statusRequests).toBe(16);
    } finally {
      await printer.stop();
    }
    expect(await new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 300 }).condition()).toEqual({ kind: 'unknown' });
  });

  it('serial: writes DLE EOT and reads the answer; a missing port is unknown', async () => {
    SerialPortMock.binding.reset();
    const openPort = ({ path, baudRate }: { path: string; baudRate: number }): SerialPortLike => {
      const p = new SerialPortMock({ path, baudRate, autoOpen: false });
      // The printer's answer: one byte per request, paper near its end.
      p.on('open', () => p.on('data', () => undefined));
      const write = p.write.bind(p);
      (p as unknown as { write: (b: Buffer) => boolean }).write = (bytes: Buffer) => {
        const ok = write(bytes);
        if (bytes[0] === 0x10) setImmediate(() => p.port?.emitData(Buffer.from([0x12, 0x12, 0x12, 0x1e])));
        return ok;
      };
      return p as unknown as SerialPortLike;
    };
    const t = new SerialTransport({ path: '/dev/ttyS1', openPort, statusTimeoutMs: 300 });
    expect(await t.condition()).toEqual({ kind: 'unknown' });
    SerialPortMock.binding.createPort('/dev/ttyS1');
    expect(await t.condition()).toMatchObject({ kind: 'answered', paperNearEnd: true, paperOut: false });
  });

  const hasSocat = hasTool('socat', ['-V']);
  it.skipIf(!hasSocat)(`usblp: a bidirectional device file (a pty) answers; one that stays silent is unknown${skipReason(hasSocat, 'socat', 'socat')}`, async () => {
    // The printer side is a shell at the pty's other end: it reads the 12 request bytes and
    // answers paper out, or reads and never answers.
    const answer = join(dir, 'answer.bin');
    writeFileSync(answer, Buffer.from([0x1a, 0x32, 0x12, 0x7e]));
    const printerOnPty = async (name: string, script: string): Promise<{ path: string; stop: () => void }> => {
      const path = join(dir, name);
      const socat = spawn('socat', [`pty,raw,echo=0,link=${path}`, `SYSTEM:${script}`], { stdio: 'ignore' });
      await waitFor(() => existsSync(path), 'the socat pty');
      return { path, stop: () => socat.kill('SIGKILL') };
    };
    const answering = await printerOnPty('lp0', `head -c 12 >/dev/null; cat ${answer}; sleep 5`);
    const silent = await printerOnPty('lp1', 'cat >/dev/null');
    try {
      expect(await new UsblpTransport({ path: answering.path, statusTimeoutMs: 5000 }).condition()).toMatchObject({ kind: 'answered', paperOut: true });
      expect(await new UsblpTransport({ path: silent.path, statusTimeoutMs: 200 }).condition()).toEqual({ kind: 'unknown' });
    } finally {
      answering.stop();
      silent.stop();
    }
    expect(await new UsblpTransport({ path: join(dir, 'gone') }).condition()).toEqual({ kind: 'unknown' });
  });
});
