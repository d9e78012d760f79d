import { link, mkdir, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printerErrorFromSystem } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { TransportBase } from './transport-base.js';

export interface FileTransportOptions {
  /** The directory of `file:DIR`. Created at start. */
  readonly dir: string;
}

/** Where a job is written before it appears under its own name; never matches `*.bin`. */
const PARTIAL_PREFIX = '.partial-';

/**
 * `file:DIR`: every job becomes DIR/NNNNNN-<kind>.bin (six-digit sequence, continuing after the
 * highest number already in DIR, so restarts never overwrite). A job appears whole or not at all:
 * it is written to a hidden partial file, then hard-linked to its name (which fails if the name
 * exists, so nothing is overwritten) — a reader polling DIR never sees half a receipt. Partial
 * files left by a crash are removed at start. For development, end-to-end tests and `counterpay
 * preview`.
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
      for (const name of names.filter((n) => n.startsWith(PARTIAL_PREFIX))) await rm(join(this.options.dir, name), { force: true });
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

  protected override async deliver(job: Printout): Promise<void> {
    const path = this.nextPath(job.kind);
    const partial = join(this.options.dir, `${PARTIAL_PREFIX}${String(this.next).padStart(6, '0')}`);
    try {
      await writeFile(partial, job.bytes);
      await link(partial, path);
    } catch (error) {
      throw printerErrorFromSystem(error, this.description, job.id, false);
    } finally {
      await unlink(partial).catch(() => undefined);
    }
    this.next += 1;
  }
}
