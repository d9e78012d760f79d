import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeEscPos } from '../../src/printing/escpos/escpos-decoder.js';
import { qrFromPrintedBytes } from './qr/printed-qr.js';
import { DEFAULT_WAIT_MS, waitFor } from './wait-for.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'counterpay.js');

export interface Frame {
  ts: string;
  lines: string[];
}

/**
 * `counterpay run` as a child process with the stdin keypad, the file display and the file
 * printer, driven like a person at the counter. The same directory (journal, frames, prints)
 * survives restarts, so kill -9 and start again continues the same terminal.
 */
export class TerminalProcess {
  readonly dir: string;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  stdout = '';
  stderr = '';

  constructor(
    private readonly emulatorUrl: string,
    private readonly options: {
      scannerPath?: string;
      /** paysera.tables: identifiers or {id, number, name} objects. */
      tables?: unknown[];
      /** paysera.otherTables: tables other terminals sell. */
      otherTables?: string[];
      /** terminal.name; default the hostname. */
      terminalName?: string;
      centrapayAndPos?: boolean;
      /** ui.language; default English. */
      language?: 'en' | 'lt';
      /** ui.timeZone; default the system's. */
      timeZone?: string;
      /** ui.codeScanTimeoutSeconds; default the config's (120). */
      codeScanTimeoutSeconds?: number;
      /** ui.supervisorPin (menu 6, Refund); default none: refunds disabled. */
      supervisorPin?: string;
      /** devices.printer fields beside the interface (code page, venue...). */
      printer?: Record<string, unknown>;
      /** devices.buzzer; default none. */
      buzzer?: Record<string, unknown>;
      /** paysera.requestBudgetPerMinute; default the config's. */
      requestBudgetPerMinute?: number;
      /** Node options before the bin (a preload such as intl-tally.mjs). */
      nodeArgs?: string[];
      /** Environment added to the test's own. */
      env?: Record<string, string>;
    } = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'counterpay-e2e-'));
  }

  get configPath(): string {
    return join(this.dir, 'config.json');
  }

  writeConfig(): void {
    writeFileSync(
      this.configPath,
      JSON.stringify({
        dataDir: join(this.dir, 'data'),
        logLevel: 'debug',
        ...(this.options.terminalName === undefined ? {} : { terminal: { name: this.options.terminalName } }),
        paysera: {
          baseUrl: this.emulatorUrl,
          macId: 'wkVd93h2uS',
          macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU',
          locationId: 3,
          tables: this.options.tables ?? ['TABLE1', 'TABLE2', 'TABLE3'],
          ...(this.options.otherTables === undefined ? {} : { otherTables: this.options.otherTables }),
          pollIntervalMs: 3000,
          ...(this.options.requestBudgetPerMinute === undefined ? {} : { requestBudgetPerMinute: this.options.requestBudgetPerMinute }),
          connectTimeoutMs: 1000,
          headersTimeoutMs: 2000,
          bodyTimeoutMs: 2000,
        },
        ...(this.options.centrapayAndPos === true
          ? {
              centrapay: {
                baseUrl: this.emulatorUrl,
                apiKey: 'emulator-centrapay-key',
                configId: 'mc_e2e',
                merchantAccountId: 'emulator-merchant-account',
                terminalId: 'e2e-counter',
                deviceId: 'e2e-pi',
                expirySeconds: 60,
              },
              pos: { baseUrl: `${this.emulatorUrl}/eapi/v1`, token: 'emulator-pos-token', cashRegisterNumber: '123', orderNumberPrefix: 'E2E-' },
            }
          : {}),
        devices: {
          scanner: this.options.scannerPath === undefined ? { driver: 'none' } : { driver: 'serial', path: this.options.scannerPath, baudRate: 9600 },
          keypad: { driver: 'stdin' },
          display: { driver: 'file', path: join(this.dir, 'frames.jsonl') },
          printer: { interface: `file:${join(this.dir, 'prints')}`, venue: { name: 'E2E Cafe', lines: ['Gedimino pr. 1, Vilnius'] }, ...this.options.printer },
          ...(this.options.buzzer === undefined ? {} : { buzzer: this.options.buzzer }),
        },
        ui: {
          ...(this.options.language === undefined ? {} : { language: this.options.language }),
          ...(this.options.timeZone === undefined ? {} : { timeZone: this.options.timeZone }),
          ...(this.options.codeScanTimeoutSeconds === undefined ? {} : { codeScanTimeoutSeconds: this.options.codeScanTimeoutSeconds }),
          ...(this.options.supervisorPin === undefined ? {} : { supervisorPin: this.options.supervisorPin }),
        },
      }),
    );
  }

  start(): void {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build (npm test does)');
    if (!existsSync(this.configPath)) this.writeConfig();
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), BIN, 'run', '--config', this.configPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: this.dir,
      env: { ...process.env, ...this.options.env },
    });
    child.stdout?.on('data', (c: Buffer) => (this.stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** Keys as on the keypad: one character each. */
  async type(keys: string): Promise<void> {
    for (const key of keys) {
      this.child?.stdin?.write(key);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  frames(): Frame[] {
    const path = join(this.dir, 'frames.jsonl');
    if (!existsSync(path)) return [];
    // Only whole lines: the terminal may be appending the next frame while we read.
    const text = readFileSync(path, 'utf8');
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Frame);
  }

  /** The display as one string per frame, lines joined by " | ". */
  screens(): string[] {
    return this.frames().map((f) => f.lines.join(' | '));
  }

  async waitForScreen(pattern: RegExp, what = String(pattern), timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    return waitFor(
      () => {
        this.failIfExited();
        return this.screens().find((s) => pattern.test(s));
      },
      `${what} on the display (last: ${this.screens().slice(-3).join(' // ')})`,
      timeoutMs,
    );
  }

  /** Waits until the display shows `pattern` now (its latest frame), not at some earlier time. */
  async waitForCurrentScreen(pattern: RegExp, what = String(pattern), timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    return waitFor(
      () => {
        this.failIfExited();
        const last = this.screens().at(-1);
        return last !== undefined && pattern.test(last) ? last : undefined;
      },
      `${what} on the display now (last: ${this.screens().slice(-3).join(' // ')})`,
      timeoutMs,
    );
  }

  /**
   * Printed documents, decoded from the bytes: file name, text lines, QR codes (native or read from
   * the raster). A file the printer transport has created but not yet written is not printed yet.
   */
  printed(): { file: string; lines: string[]; qr: string[] }[] {
    const dir = join(this.dir, 'prints');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.bin') && statSync(join(dir, f)).size > 0)
      .sort()
      .map((file) => {
        const bytes = readFileSync(join(dir, file));
        const doc = decodeEscPos(bytes);
        const raster = doc.rasters.length > 0 ? qrFromPrintedBytes(bytes) : null;
        return { file, lines: doc.lines, qr: [...doc.qrPayloads, ...(raster === null ? [] : [raster])] };
      });
  }

  /** Ready when the idle screen has been drawn (in English or Lithuanian). */
  async ready(): Promise<void> {
    await this.waitForScreen(/A table|A stalas/, 'the idle screen');
  }

  /** A wait for the display is pointless once the process is gone: say so at once, with why. */
  private failIfExited(): void {
    if (this.child === undefined || this.running) return;
    throw new Error(`counterpay run exited (code ${this.child.exitCode ?? this.child.signalCode}): ${this.stderr.slice(-500)}${this.stdout.slice(-1000)}`);
  }

  /** True while the process has not exited. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  kill9(): Promise<number | null> {
    this.child?.kill('SIGKILL');
    return this.exited ?? Promise.resolve(null);
  }

  async stop(): Promise<number | null> {
    if (this.child === undefined || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited ?? null;
  }
}
