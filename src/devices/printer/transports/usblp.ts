import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { sleep, SystemClock, type Clock } from '../../../platform/clock.js';
import { PrinterError, printerErrorFromSystem } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { DEFAULT_STATUS_TIMEOUT_MS, TransportBase } from './transport-base.js';

export interface UsblpOptions {
  /** /dev/usb/lp0 or the udev symlink /dev/counterpay-printer. */
  readonly path: string;
  /** The whole job must be taken within this time (default 10 s). */
  readonly timeoutMs?: number;
  /** How long a status request waits for the answer (default 500 ms). */
  readonly statusTimeoutMs?: number;
  readonly clock?: Clock;
}

/**
 * The Linux usblp device file. Opened per job with O_WRONLY|O_NONBLOCK and written once: the
 * bytes the kernel does not take at once (EAGAIN: the printer is busy or its buffer is full) are
 * offered again every 20 ms until the job's timeout, never from the start and never after the
 * call returned. Non-blocking I/O keeps a stuck printer from holding a libuv thread (a blocking
 * write on lp0 would: docs/hardware.md#printer-one-write-no-retries). Nothing is retried after a failure.
 * A status request opens the device read-write, non-blocking, writes DLE EOT and reads the answer
 * (a printer whose usblp device is not bidirectional fails the read: `unknown`).
 */
export class UsblpTransport extends TransportBase {
  readonly description: string;

  constructor(private readonly options: UsblpOptions) {
    super();
    this.description = `usblp ${options.path}`;
  }

  protected override async deliver(job: Printout): Promise<void> {
    const clock = this.options.clock ?? new SystemClock();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const deadline = clock.monoMs() + timeoutMs;
    let handle: FileHandle;
    try {
      handle = await open(this.options.path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_APPEND);
    } catch (error) {
      throw printerErrorFromSystem(error, this.description, job.id, false);
    }
    let offset = 0;
    try {
      while (offset < job.bytes.length) {
        try {
          const { bytesWritten } = await handle.write(job.bytes, offset, job.bytes.length - offset);
          offset += bytesWritten;
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'EAGAIN') throw printerErrorFromSystem(error, this.description, job.id, offset > 0);
          if (clock.monoMs() >= deadline) {
            throw new PrinterError('printer_timeout', `${this.description} took ${offset} of ${job.bytes.length} bytes in ${timeoutMs} ms`, {
              ambiguous: offset > 0,
              jobId: job.id,
            });
          }
          await sleep(clock, 20);
        }
      }
    } finally {
      await handle.close().catch(() => {});
    }
  }

  protected override async exchange(query: Buffer, replyBytes: number): Promise<Buffer | null> {
    const clock = this.options.clock ?? new SystemClock();
    const deadline = clock.monoMs() + (this.options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS);
    const handle = await open(this.options.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    try {
      const { bytesWritten } = await handle.write(query);
      if (bytesWritten < query.length) return null;
      const reply = Buffer.alloc(replyBytes);
      let received = 0;
      while (received < replyBytes) {
        let bytesRead = 0;
        try {
          ({ bytesRead } = await handle.read(reply, received, replyBytes - received, null));
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'EAGAIN') throw error;
        }
        received += bytesRead;
        if (received >= replyBytes) break;
        if (clock.monoMs() >= deadline) return null;
        await sleep(clock, 20);
      }
      return reply;
    } finally {
      await handle.close().catch(() => {});
    }
  }
}
