import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/**
 * A serial device that can be unplugged and plugged back at the same path: a socat pty pair in
 * `dir`, the device end at `scannerPath` (what the terminal opens), the other end at `hostPath`
 * (where a test writes what the scanner reads). Killing socat is an unplug; starting it again
 * links a new pty node at the same path, as udev does for a replugged scanner.
 */
export class SocatPair {
  readonly scannerPath: string;
  readonly hostPath: string;
  private socat: ChildProcess | null = null;

  constructor(dir: string) {
    this.scannerPath = join(dir, 'scanner');
    this.hostPath = join(dir, 'host');
  }

  async plugIn(): Promise<void> {
    this.socat = spawn('socat', [`pty,raw,echo=0,link=${this.scannerPath}`, `pty,raw,echo=0,link=${this.hostPath}`], { stdio: 'ignore' });
    await waitFor(() => existsSync(this.scannerPath) && existsSync(this.hostPath), 'the socat pty pair');
  }

  /** Kills socat (SIGKILL) and waits until it is gone. */
  async unplug(): Promise<void> {
    const child = this.socat;
    this.socat = null;
    if (child === null || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
