import { PrinterError } from '../printer-error.js';
import type { Printout, PrinterPort } from '../printer-port.js';

/**
 * Shared rules of every transport: one job at a time, in order; a job id that was delivered is
 * refused (`printer_job_already_sent`) so a confused caller cannot double-print; no retries.
 */
export abstract class TransportBase implements PrinterPort {
  abstract readonly description: string;
  private queue: Promise<void> = Promise.resolve();
  private readonly delivered: string[] = [];
  private readonly deliveredSet = new Set<string>();
  private static readonly REMEMBERED = 1000;

  protected abstract deliver(job: Printout): Promise<void>;

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

  private remember(id: string): void {
    this.deliveredSet.add(id);
    this.delivered.push(id);
    if (this.delivered.length > TransportBase.REMEMBERED) {
      const old = this.delivered.shift();
      if (old !== undefined) this.deliveredSet.delete(old);
    }
  }
}
