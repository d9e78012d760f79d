import { spawn } from 'node:child_process';

/**
 * Keeps one core busy for as long as it runs: another process spinning (a plain Node busy loop),
 * as when something else on the Pi (an update, a log rotation) takes a core. `stop()` ends it.
 */
export function busyCore(): { stop(): Promise<void> } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
