import { PrinterError } from '../printer-error.js';
import type { Printout } from '../printer-port.js';
import { statusReply } from '../realtime-status.js';
import { TransportBase } from './transport-base.js';

/** What a fake printer answers to DLE EOT: `silent` for one that ignores it. */
export type FakePrinterState = { readonly paper: 'ok' | 'near_end' | 'out'; readonly coverOpen?: boolean; readonly error?: boolean } | 'silent';

/**
 * The printer fake: records every delivered job. `failNext(code)` makes the next send fail with
 * that printer error code (e.g. printer_paper_out), once, as a real printer would. Write-only
 * (`not_checked`) unless `answering` is given: then it answers DLE EOT requests as an ESC/POS
 * printer in that state would (bytes through the same parser as the real transports), and with
 * paper out or the cover open it prints nothing, as a real one.
 */
export class CaptureTransport extends TransportBase {
  readonly description = 'capture';
  readonly jobs: Printout[] = [];
  private failures: { code: string; ambiguous: boolean }[] = [];
  /** How many DLE EOT requests were answered (or ignored, when silent). */
  statusRequests = 0;

  constructor(private answering?: FakePrinterState) {
    super();
    if (answering !== undefined) this.exchange = (query) => this.answer(query);
  }

  /** Changes what the fake printer reports (paper refilled, cover opened). */
  setState(state: FakePrinterState): void {
    this.answering = state;
  }

  private async answer(query: Buffer): Promise<Buffer | null> {
    this.statusRequests += query.length > 0 ? 1 : 0;
    return this.answering === undefined || this.answering === 'silent' ? null : statusReply(this.answering);
  }

  failNext(code: string, ambiguous = false): void {
    this.failures.push({ code, ambiguous });
  }

  protected override async deliver(job: Printout): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw new PrinterError(failure.code, `capture printer: ${failure.code}`, { ambiguous: failure.ambiguous, jobId: job.id });
    // A real printer out of paper or with its cover open takes the bytes and prints nothing.
    const state = this.answering;
    if (state !== undefined && state !== 'silent' && (state.paper === 'out' || state.coverOpen === true)) return;
    this.jobs.push({ ...job, bytes: Buffer.from(job.bytes) });
  }
}
