import { PrinterError } from '../printer-error.js';
import type { PrinterCondition, Printout, PrinterPort } from '../printer-port.js';
import { parseStatusReply, STATUS_QUERY, STATUS_REPLY_BYTES } from '../realtime-status.js';

/** How long a status request waits for the printer's answer by default: printers answer at once. */
export const DEFAULT_STATUS_TIMEOUT_MS = 500;

/**
 * Shared rules of every transport: one job at a time, in order; a job id that was delivered is
 * refused (`printer_job_already_sent`) so a confused caller cannot double-print; no retries. A
 * status request waits its turn like a job, so its bytes never land inside a job's.
 */
export abstract class TransportBase implements PrinterPort {
  abstract readonly description: string;
  private queue: Promise<void> = Promise.resolve();
  private readonly delivered: string[] = [];
  private readonly deliveredSet = new Set<string>();
  private static readonly REMEMBERED = 1000;

  protected abstract deliver(job: Printout): Promise<void>;

  /**
   * Writes `query` and reads back up to `replyBytes` bytes within the transport's status deadline;
   * null when nothing usable came. Absent on a transport that cannot read (its condition is
   * `not_checked`). May reject: any failure is an `unknown` condition.
   */
  protected exchange?(query: Buffer, replyBytes: number): Promise<Buffer | null>;

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.queue;
  }

  send(job: Printout): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.deliveredSet.has(job.id)) {
        throw new PrinterError('printer_job_already_sent', `print job ${job.id} was already sent to ${this.description}`, { jobId: job.id });
      }
      await this.deliver(job);
      this.remember(job.id);
    };
    const result = this.queue.then(run);
    this.queue = result.catch(() => {});
    return result;
  }

  condition(): Promise<PrinterCondition> {
    const exchange = this.exchange?.bind(this);
    if (exchange === undefined) return Promise.resolve({ kind: 'not_checked' });
    const run = async (): Promise<PrinterCondition> => {
      try {
        return parseStatusReply(await exchange(STATUS_QUERY, STATUS_REPLY_BYTES));
      } catch {
        return { kind: 'unknown' };
      }
    };
    const result = this.queue.then(run);
    this.queue = result.then(() => undefined);
    return result;
  }

  private remember(id: string): void {
    this.deliveredSet.add(id);
    this.delivered.push(id);
    if (this.delivered.length > TransportBase.REMEMBERED) {
      const old = this.delivered.shift();
      if (old !== undefined) this.deliveredSet.delete(old);
    }
  }
}
