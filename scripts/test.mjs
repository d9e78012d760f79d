#!/usr/bin/env node
// `npm test`: typecheck, lint, build, then every vitest test, stopping at the first step that
// fails (with its exit code). Ends with the wall time of each step and of the whole, so the
// suite's budget (README, "Test") is checked on every run, not once in a while.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const steps = [
  ['typecheck', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', ['eslint', '.']],
  ['build', ['tsc', '-p', 'tsconfig.build.json']],
  ['vitest', ['vitest', 'run', ...process.argv.slice(2)]],
];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();
const times = [];
let exitCode = 0;
for (const [name, [bin, ...args]] of steps) {
  const t0 = performance.now();
  const result = spawnSync('npx', ['--no-install', bin, ...args], { stdio: 'inherit' });
  times.push(`${name} ${seconds(performance.now() - t0)}`);
  exitCode = result.status ?? 1;
  if (exitCode !== 0) {
    process.stdout.write(`\nnpm test: ${name} failed (exit ${exitCode})\n`);
    break;
  }
}
process.stdout.write(`npm test: ${exitCode === 0 ? 'passed' : 'failed'} in ${seconds(performance.now() - started)} (${times.join(', ')})\n`);
process.exit(exitCode);
