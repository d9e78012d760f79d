import { PrinterError } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { TransportBase } from './transport-base.js';

/**
 * The printer fake: records every delivered job. `failNext(code)` makes the next send fail with
 * that printer error code (e.g. printer_paper_out), once, as a real printer would.
 */
export class CaptureTransport extends TransportBase {
  readonly description = 'capture';
  readonly jobs: Printout[] = [];
  private failures: { code: string; ambiguous: boolean }[] = [];

  failNext(code: string, ambiguous = false): void {
    this.failures.push({ code, ambiguous });
  }

  protected override async deliver(job: Printout): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw new PrinterError(failure.code, `capture printer: ${failure.code}`, { ambiguous: failure.ambiguous, jobId: job.id });
    this.jobs.push({ ...job, bytes: Buffer.from(job.bytes) });
  }
}
