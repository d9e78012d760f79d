import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest test files are listed after a run. */
const SHOWN = 5;

/**
 * Prints, after every run, the run's wall time and its five slowest test files, so that a file
 * that grows slow is seen the day it does (the suite has a budget: README, "Test").
 */
export default class SlowestFilesReporter implements Reporter {
  private startedAt = 0;

  onTestRunStart(): void {
    this.startedAt = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const wallS = (performance.now() - this.startedAt) / 1000;
    const root = process.cwd() + '/';
    const slowest = modules
      .map((m) => ({ file: m.moduleId.replace(root, ''), ms: m.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOWN);
    const lines = [`vitest wall time ${wallS.toFixed(1)} s; slowest files:`, ...slowest.map((s) => `  ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.file}`)];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
