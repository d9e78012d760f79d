import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printerErrorFromSystem } from '../printer-error.js';
import type { PrintJob } from '../printer-port.js';
import { TransportBase } from './transport-base.js';

export interface FileTransportOptions {
  /** The directory of `file:DIR`. Created at start. */
  readonly dir: string;
}

/**
 * `file:DIR`: every job becomes DIR/NNNNNN-<kind>.bin (six-digit sequence, continuing after the
 * highest number already in DIR, so restarts never overwrite). Files are created exclusively.
 * For development, end-to-end tests and `counterpay preview`.
 */
export class FileTransport extends TransportBase {
  readonly description: string;
  private next = 1;

  constructor(private readonly options: FileTransportOptions) {
    super();
    this.description = `file ${options.dir}`;
  }

  override async start(): Promise<void> {
    try {
      await mkdir(this.options.dir, { recursive: true });
      const names = await readdir(this.options.dir);
      const highest = names.reduce((max, name) => {
        const match = /^(\d{6,})-/.exec(name);
        return match ? Math.max(max, Number(match[1])) : max;
      }, 0);
      this.next = highest + 1;
    } catch (error) {
      throw printerErrorFromSystem(error, this.description, null, false);
    }
  }

  /** The path the next job will be written to (for logs and tests). */
  nextPath(kind: string): string {
    return join(this.options.dir, `${String(this.next).padStart(6, '0')}-${kind}.bin`);
  }

  protected override async deliver(job: PrintJob): Promise<void> {
    const path = this.nextPath(job.kind);
    try {
      await writeFile(path, job.bytes, { flag: 'wx' });
    } catch (error) {
      throw printerErrorFromSystem(error, this.description, job.id, false);
    }
    this.next += 1;
  }
}
