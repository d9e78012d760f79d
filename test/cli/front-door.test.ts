import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitQuietlyOnBrokenPipe } from '../../src/cli/broken-pipe.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import { runCli } from '../support/cli-run.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'counterpay.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'counterpay-front-door-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify({ dataDir: 'data', paysera: { macId: 'wkVd93h2uS', macKey: KEY, locationId: 3, tables: ['TABLE1'] }, ...extra }));
  return path;
}

describe('counterpay --version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version, exit 0', async (flag) => {
    const { code, out, err } = await runCli([flag]);
    expect(code).toBe(0);
    expect(out).toBe(`${VERSION}\n`);
    expect(err).toBe('');
  });

  it('the overview names it', async () => {
    const { out } = await runCli(['--help']);
    expect(out).toContain('--version');
  });
});

describe('every command --help says what it does', () => {
  const names = Object.keys(COMMANDS);

  it.each(names)('%s --help: usage, a description, exit status 0', async (name) => {
    const { code, out, err } = await runCli([name, '--help']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out.startsWith(`Usage: counterpay ${name}`)).toBe(true);
    // More than the usage line: what it does, in sentences.
    expect(out.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(3);
  });

  it('print-tables: --out DIR relative to the current directory, created if missing (as its help says)', async () => {
    const path = config();
    expect((await runCli(['print-tables', '--help'])).out).toMatch(/relative DIR is relative\s+to the current directory, and is created if missing/);
    const before = process.cwd();
    process.chdir(dir);
    try {
      const { code, lines } = await runCli(['print-tables', '--config', path, '--out', 'cards/new']);
      expect(code).toBe(0);
      expect(lines[0]).toContain(join(dir, 'cards', 'new', 'table-TABLE1.bin'));
      expect(existsSync(join(dir, 'cards', 'new', 'table-TABLE1.png'))).toBe(true);
    } finally {
      process.chdir(before);
    }
  });

  it('report and queue say that reading works while the terminal runs, and what happens before the first run', async () => {
    for (const name of ['report', 'queue']) {
      const { out } = await runCli([name, '--help']);
      expect(out).toMatch(/works while the terminal runs/);
      expect(out).toMatch(/"no sales yet" and exits 0/);
    }
  });

  it('doctor says its database check is read-only while the service runs', async () => {
    const { out } = await runCli(['doctor', '--help']);
    expect(out).toMatch(/read-only/);
  });
});

describe('before the first run (no journal yet)', () => {
  it('report says there are no sales yet, exit 0, and creates nothing', async () => {
    const path = config();
    const { code, out, err } = await runCli(['report', '--config', path, '--date', '2026-12-01']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(`report 2026-12-01: no sales yet (no journal at ${join(dir, 'data', 'counterpay.db')}: the terminal creates it at its first start)\n`);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('queue says there are no sales yet, exit 0; --json gives an empty list', async () => {
    const path = config();
    const plain = await runCli(['queue', '--config', path]);
    expect(plain.code).toBe(0);
    expect(plain.lines).toEqual([`queue: no sales yet (no journal at ${join(dir, 'data', 'counterpay.db')}: the terminal creates it at its first start)`]);
    const json = await runCli(['queue', '--config', path, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ items: [], counts: { needs_human: 0, check_print: 0, in_progress: 0 } });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});

describe('config errors point at the place', () => {
  it('a JSON syntax error by line and column; a misspelt field with the one it meant; exit 78', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{\n  "paysera": {\n    "macId": "m",\n    "macKey": "k"\n    "locationId": 3\n  }\n}\n');
    const broken = await runCli(['report', '--config', path]);
    expect(broken.code).toBe(78);
    expect(broken.err).toBe(`counterpay report: config error: ${path}: not valid JSON: line 5, column 5: expected , or } after a value (a missing comma?)\n`);

    writeFileSync(path, JSON.stringify({ paysera: { macId: 'm', macKey: 'k', locationId: 3, tabels: ['TABLE1'] } }));
    const typo = await runCli(['queue', '--config', path]);
    expect(typo.code).toBe(78);
    expect(typo.err).toBe(`counterpay queue: config error: ${path}: paysera: unknown field "tabels": did you mean "tables"?\n`);
  });
});

describe('a reader that closes the pipe early', () => {
  it('EPIPE on stdout ends the process quietly with the status so far; other errors still throw', () => {
    const stream = new EventEmitter() as unknown as NodeJS.WritableStream;
    const exits: number[] = [];
    exitQuietlyOnBrokenPipe([stream], (code) => exits.push(code));
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([0]);
    expect(() => stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('EIO');
  });

  it(
    'counterpay ... | head -1 prints no stack trace (the built CLI, a real pipe)',
    () => {
      if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build (npm test does)');
      // Far more than a pipe buffer, so the writer is still writing when head has gone.
      const log = join(dir, 'log.jsonl');
      writeFileSync(log, `${JSON.stringify({ level: 30, time: '2026-12-01T08:00:00.000Z', msg: 'journal opened (WAL, synchronous=FULL)', path: '/var/lib/counterpay/counterpay.db' })}\n`.repeat(20_000));
      const path = config({ paysera: { baseUrl: 'http://127.0.0.1:9', macId: 'wkVd93h2uS', macKey: KEY, locationId: 3 } });
      for (const command of [`logs --from '${log}'`, `--help`, `doctor --config '${path}'`, `logs --help`]) {
        const result = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${command} | head -1`], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
        expect(result.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
        expect(result.stderr, command).not.toMatch(/EPIPE|\n\s+at /);
      }
    },
    PROCESS_TEST_MS,
  );
});
