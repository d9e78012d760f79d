import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../util.js';
import { spawnService } from './service-launch.js';

export interface RunProcessOptions {
  emulatorUrl: string;
  tables: string[];
  /** Production timing: the config default spot poll. */
  pollIntervalMs?: number;
  requestBudgetPerMinute?: number;
  /** A serial scanner on a socat pty pair (code sales); without socat there is none. */
  scanner: boolean;
  logLevel?: string;
  /**
   * `node NODEARGS bin/counterpay.js run`. Default: the V8 options of the systemd unit's
   * ExecStart, so the process runs as the service does; development passes others (heap
   * snapshots, other V8 options).
   */
  nodeArgs?: string[];
  /** Serve /metrics on 127.0.0.1:metricsPort (config `metrics.listen`); absent: no metrics. */
  metricsPort?: number;
}

/**
 * The real `counterpay run` process, as on the Pi but with the stdin keypad, the file display
 * and the file printer (a serial scanner on a socat pty pair when socat is there): typed at and
 * read like the end-to-end tests do, measured from outside through /proc.
 */
export class RunProcess {
  readonly dir = mkdtempSync(join(tmpdir(), 'counterpay-bench-process-'));
  private child: ChildProcess | undefined;
  private socat: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private feed: FileHandle | undefined;
  private frameOffset = 0;
  private frameRest = '';
  private lastFrame = '';
  /** Whether code sales can be scanned (socat present). */
  scanner = false;

  constructor(private readonly options: RunProcessOptions) {}

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  async start(): Promise<void> {
    const scannerPath = join(this.dir, 'scanner');
    this.scanner = this.options.scanner && spawnSync('socat', ['-V'], { stdio: 'ignore', timeout: 5000 }).status === 0;
    if (this.scanner) {
      this.socat = spawn('socat', [`pty,raw,echo=0,link=${scannerPath}`, `pty,raw,echo=0,link=${join(this.dir, 'feed')}`], { stdio: 'ignore' });
      for (let i = 0; i < 200 && !(existsSync(scannerPath) && existsSync(join(this.dir, 'feed'))); i++) await sleep(25);
      this.feed = await open(join(this.dir, 'feed'), 'w');
    }
    const config = join(this.dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        dataDir: join(this.dir, 'data'),
        logLevel: this.options.logLevel ?? 'info',
        paysera: {
          baseUrl: this.options.emulatorUrl,
          macId: 'wkVd93h2uS',
          macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU',
          locationId: 3,
          tables: this.options.tables,
          pollIntervalMs: this.options.pollIntervalMs ?? 4000,
          ...(this.options.requestBudgetPerMinute === undefined ? {} : { requestBudgetPerMinute: this.options.requestBudgetPerMinute }),
        },
        devices: {
          scanner: this.scanner ? { driver: 'serial', path: scannerPath, baudRate: 9600 } : { driver: 'none' },
          keypad: { driver: 'stdin' },
          display: { driver: 'file', path: join(this.dir, 'frames.jsonl') },
          printer: { interface: `file:${join(this.dir, 'prints')}`, venue: { name: 'Bench Cafe' } },
        },
        ...(this.options.metricsPort === undefined ? {} : { metrics: { listen: `127.0.0.1:${this.options.metricsPort}` } }),
      }),
    );
    // Logs go where journald would take them; here nowhere, so the pipe costs nothing.
    const child = spawnService(config, { stdio: ['pipe', 'ignore', 'inherit'], cwd: this.dir, nodeArgs: this.options.nodeArgs });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await this.waitForFrame(/A table/, 20_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([this.exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await this.feed?.close();
    this.socat?.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Keys as on the keypad, one character each. */
  async type(keys: string): Promise<void> {
    for (const key of keys) {
      this.child?.stdin?.write(key);
      await sleep(5);
    }
  }

  async scan(code: string): Promise<void> {
    if (this.feed === undefined) throw new Error('bench: no scanner');
    await this.feed.write(`${code}\r`);
  }

  /** Frames drawn since the last call, each as "line 1 | line 2". */
  private newFrames(): string[] {
    const path = join(this.dir, 'frames.jsonl');
    if (!existsSync(path)) return [];
    const fd = openSync(path, 'r');
    const chunks: string[] = [];
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, this.frameOffset);
        if (n === 0) break;
        this.frameOffset += n;
        chunks.push(buffer.toString('utf8', 0, n));
      }
    } finally {
      closeSync(fd);
    }
    const text = this.frameRest + chunks.join('');
    const lines = text.split('\n');
    this.frameRest = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { lines: string[] }).lines.join(' | '));
  }

  /** The screen as last drawn. */
  screen(): string {
    const frames = this.newFrames();
    if (frames.length > 0) this.lastFrame = frames.at(-1) ?? this.lastFrame;
    return this.lastFrame;
  }

  /** Waits until a frame drawn from now on (or the current screen) matches. */
  async waitForFrame(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    if (pattern.test(this.lastFrame)) return this.lastFrame;
    for (;;) {
      for (const frame of this.newFrames()) {
        this.lastFrame = frame;
        if (pattern.test(frame)) return frame;
      }
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) throw new Error(`bench: counterpay run exited (${this.child.exitCode})`);
      if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${String(pattern)} on the display (last: ${this.lastFrame})`);
      await sleep(10);
    }
  }

  /** Resident set size of the process, in bytes (VmRSS). */
  async rssBytes(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb === undefined) throw new Error('bench: no VmRSS');
    return Number(kb) * 1024;
  }

  /** CPU time the process has used so far (user + system), in seconds. */
  async cpuSeconds(): Promise<number> {
    const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / clockTicksPerSecond();
  }

  /** Bytes of the journal's files (database, WAL, shared memory). */
  journalBytes(): number {
    return this.dataBytes(() => true);
  }

  /** Bytes in the journal's WAL: 0 once the terminal has folded it at idle. */
  walBytes(): number {
    return this.dataBytes((file) => file.endsWith('-wal'));
  }

  private dataBytes(include: (file: string) => boolean): number {
    const data = join(this.dir, 'data');
    return existsSync(data) ? readdirSync(data).filter(include).reduce((sum, f) => sum + statSync(join(data, f)).size, 0) : 0;
  }

  /** Sends a signal (the heap-snapshot signal during development). */
  signal(name: NodeJS.Signals): void {
    this.child?.kill(name);
  }
}

let ticks: number | undefined;
function clockTicksPerSecond(): number {
  // USER_HZ: 100 on every Linux a Pi or a PC runs; getconf says so where it can.
  if (ticks === undefined) {
    const value = Number.parseInt(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout ?? '', 10);
    ticks = value > 0 ? value : 100;
  }
  return ticks;
}
