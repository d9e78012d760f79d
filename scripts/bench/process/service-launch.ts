import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bin/counterpay.js`, found from this file built (dist/scripts/bench/process) or from source. */
export const BIN = ['../../../..', '../../..']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .map((root) => join(root, 'bin', 'counterpay.js'))
  .find((path) => existsSync(path)) ?? join('bin', 'counterpay.js');

/** The unit, found from this file whether it runs built (dist/scripts/bench/process) or from source. */
const UNIT = ['../../../../systemd/counterpay.service', '../../../systemd/counterpay.service']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((path) => existsSync(path)) ?? 'systemd/counterpay.service';

/**
 * The V8 options the service runs with, read from the systemd unit's ExecStart
 * (`/usr/bin/env node OPTIONS /usr/local/bin/counterpay run ...`), so that the bench starts
 * `counterpay run` exactly as systemd does and a change to the unit is measured by the next run.
 * Throws when the unit no longer has that shape (the bench would measure something else).
 */
export function serviceNodeArgs(): string[] {
  const execStart = /^ExecStart=(.*)$/m.exec(readFileSync(UNIT, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
  const node = execStart.indexOf('node');
  const bin = execStart.findIndex((word) => word.endsWith('/counterpay'));
  if (node < 0 || bin < node) throw new Error(`systemd/counterpay.service: ExecStart is not "... node OPTIONS .../counterpay run ...": ${execStart.join(' ')}`);
  return execStart.slice(node + 1, bin);
}

/**
 * The environment the unit gives the service (its `Environment=` lines, `KEY=VALUE` words), so
 * the bench runs `counterpay run` with it too: `MALLOC_ARENA_MAX` changes its resident size.
 */
export function serviceEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, line] of readFileSync(UNIT, 'utf8').matchAll(/^Environment=(.*)$/gm)) {
    for (const word of (line ?? '').trim().split(/\s+/)) {
      const eq = word.indexOf('=');
      if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return env;
}

/**
 * Spawns `counterpay run --config CONFIG` as systemd starts it: node with the unit's V8 options
 * (or `nodeArgs`, for development: heap snapshots, other options) and the unit's environment on
 * top of this process's.
 */
export function spawnService(config: string, options: { cwd: string; stdio: StdioOptions; nodeArgs?: string[] | undefined }): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? serviceNodeArgs()), BIN, 'run', '--config', config], {
    stdio: options.stdio,
    cwd: options.cwd,
    env: { ...process.env, ...serviceEnvironment() },
  });
}
