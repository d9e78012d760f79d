import { PassThrough } from 'node:stream';
import type { CliIo, Command } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

/** What one in-process `counterpay` run wrote and returned. `lines` are stdout's non-empty lines. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  lines: string[];
}

/**
 * Streams for one in-process command run: stdout and stderr collected as text, an empty stdin,
 * and a stop that is never requested (the command ends by itself or the test fails on its deadline).
 */
export function capturedIo(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, stdin: new PassThrough(), env, stopRequested: new Promise(() => {}) }, out: () => out, err: () => err };
}

async function collect(captured: ReturnType<typeof capturedIo>, exit: Promise<number>): Promise<CliRun> {
  const code = await exit;
  // A 'data' event for the last write may still be queued behind the command's return.
  await new Promise((r) => setImmediate(r));
  const out = captured.out();
  return { code, out, err: captured.err(), lines: out.split('\n').filter((l) => l !== '') };
}

/** Runs `counterpay ARGV...` in-process, as bin/counterpay.js would, with `env` as its environment. */
export function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const captured = capturedIo(env);
  return collect(captured, main(argv, captured.io));
}

/** Runs one command built by the test (e.g. with an injected clock) on ARGV, in-process. */
export function runCommand(command: Command, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const captured = capturedIo(env);
  return collect(captured, command.run(argv, captured.io));
}
