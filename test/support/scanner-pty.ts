import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/**
 * A serial scanner without hardware: a socat pty pair. The terminal opens `scannerPath` as its
 * scanner; `scan(text)` writes a line at the other end as a scanner in CR-suffix mode would;
 * `close()` kills socat, which is an unplug.
 */
export interface ScannerPty {
  readonly scannerPath: string;
  scan(text: string | Buffer): void;
  close(): void;
}

export async function openScannerPty(): Promise<ScannerPty> {
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-pty-'));
  const scannerPath = join(dir, 'scanner');
  const host = join(dir, 'host');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${scannerPath}`, `pty,raw,echo=0,link=${host}`], { stdio: 'ignore' });
  await waitFor(() => {
    try {
      closeSync(openSync(host, 'w'));
      return true;
    } catch {
      return false;
    }
  }, 'the socat pty pair');
  return {
    scannerPath,
    scan(text) {
      const fd = openSync(host, 'w');
      writeFileSync(fd, Buffer.concat([typeof text === 'string' ? Buffer.from(text) : text, Buffer.from('\r')]));
      closeSync(fd);
    },
    close() {
      socat.kill();
    },
  };
}
