import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../src/emulator/index.js';
import { spawnService } from './process/service-launch.js';
import { percentile, sleep } from './util.js';

/**
 * Start to ready: `node bin/counterpay.js run` as a child process (file display, stdin keypad,
 * file printer, the emulator in this process), from spawn to the first idle frame in the display
 * file. Median of RUNS starts, each on a fresh data directory. Baseline: spawning `node -e ""` to
 * its exit, i.e. what Node itself costs on this machine.
 */
export interface StartToReady {
  ms: number | undefined;
  runsMs: number[];
  nodeBareMs: number | undefined;
  note: string;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const IDLE_FRAME = /A table/;
const RUNS = 3;

export async function benchStartToReady(): Promise<StartToReady> {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'commands', 'run.js'))) {
    return { ms: undefined, runsMs: [], nodeBareMs: undefined, note: 'n/a (counterpay run not yet)' };
  }
  const emu = await startEmulator({ port: 0, seed: 9 });
  const runsMs: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const ms = await oneStart(emu.url);
      if (ms === undefined) return { ms: undefined, runsMs, nodeBareMs: undefined, note: 'n/a (no idle frame within 20 s)' };
      runsMs.push(ms);
    }
  } finally {
    await emu.stop();
  }
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    bare.push(performance.now() - t0);
  }
  return { ms: percentile(runsMs, 50), runsMs, nodeBareMs: percentile(bare, 50), note: `median of ${RUNS}` };
}

async function oneStart(emulatorUrl: string): Promise<number | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-bench-start-'));
  const frames = join(dir, 'frames.jsonl');
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      logLevel: 'warn',
      paysera: { baseUrl: emulatorUrl, macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables: ['TABLE1', 'TABLE2'], pollIntervalMs: 3000 },
      devices: {
        scanner: { driver: 'none' },
        keypad: { driver: 'stdin' },
        display: { driver: 'file', path: frames },
        printer: { interface: `file:${join(dir, 'prints')}` },
      },
    }),
  );
  const t0 = performance.now();
  // Started as systemd starts it: node with the unit's V8 options.
  const child = spawnService(config, { stdio: ['pipe', 'ignore', 'ignore'], cwd: dir });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let readyMs: number | undefined;
  try {
    while (performance.now() - t0 < 20_000 && child.exitCode === null) {
      if (existsSync(frames) && IDLE_FRAME.test(readFileSync(frames, 'utf8'))) {
        readyMs = performance.now() - t0;
        break;
      }
      await sleep(5);
    }
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return readyMs;
}
