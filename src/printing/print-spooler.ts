import type { PrinterPort, Printout } from '../devices/printer/printer-port.js';
import { backoffCeilingMs, type BackoffParams } from '../platform/backoff.js';
import type { Clock } from '../platform/clock.js';
import { CodedError } from '../platform/coded-error.js';
import { Listeners, type Unsubscribe } from '../platform/listeners.js';
import type { PrintJobs } from '../store/print-jobs.js';
import type { SaleJournal } from '../store/sale-journal.js';
import type { NewPrintJob, PrintJob } from '../store/types.js';
import type { ReportJobPayload } from './job-payloads.js';
import type { PrinterCondition } from '../devices/printer/printer-port.js';
import { holdCode, isRetryableAfterRestart, MAYBE_PRINTED, paperOf, statusLine, type PaperState, type SpoolerStatus } from './print-failures.js';
import { copyJob, lastReceiptSaleId, PrintRequestError, reportJob, tableCardJobs } from './print-requests.js';
import { renderJob, type RenderOptions } from './render-job.js';

/**
 * The print spooler: the durable bridge from print-job rows to the PrinterPort.
 *
 * Invariants (receipts print once: docs/architecture.md, invariant 4):
 * - One job at a time, oldest first. A job is claimed (queued -> printing, committed) BEFORE its
 *   bytes go to the printer, and marked printed after; a crash in between leaves it `printing`,
 *   and start() sweeps such jobs to failed/`interrupted`: never printed again automatically.
 * - A printer error that proves nothing reached paper (`ambiguous: false`: offline, paper out
 *   before the job, permission) marks the job failed with the transport's code, shows it on the
 *   status line, and after a backoff on the Clock requeues THE SAME JOB (same id, same row); a
 *   new job is never made for a retry, so a sale still has exactly one receipt row.
 * - An `ambiguous` printer error (timeout or broken link after some bytes went out) means the
 *   receipt may be partly on paper. It is NOT printed again automatically: the row is marked
 *   failed with code `maybe_printed:<transport code>` and left for a person, who checks the
 *   paper and reprints a COPY (menu) or requeues it (`counterpay queue`). A second full receipt
 *   is worse than a torn one the staff can see.
 * - Anything other than a DeviceError-shaped error from the transport counts as ambiguous.
 * - Idle costs nothing: no timer and no database read while nothing is queued. The spooler
 *   drains on start(), whenever the store has queued a job (its listener, so whoever enqueues,
 *   a sale's receipt or slip or a menu request, needs to know nothing about printing), and on
 *   its retry timer, which only exists while a failed job waits for its retry.
 * - Before each job the printer is asked for its real-time status (PrinterPort.condition, DLE EOT).
 *   Paper out, cover open or a printer error HOLDS the job: it is not claimed (it stays queued,
 *   nothing is written), the status says why, and the printer is asked again every
 *   `paperCheckMs`; the job prints, once, when the printer says it can. A printer that does not
 *   answer, or a transport that cannot ask, is printed to as before.
 * - stop() waits for the job in flight; jobs waiting for their retry are requeued (they never
 *   printed), so the next start prints them. After a crash the retry timer is gone: start()
 *   requeues failed jobs whose code is a plain printer error (isRetryableAfterRestart).
 *
 * The spooler does not start or stop the PrinterPort: the composition root owns device
 * lifecycles.
 */

export type SpoolerEvent =
  | { readonly type: 'printed'; readonly job: PrintJob }
  /** `retryInMs` is set when the same job will be requeued after that delay. */
  | { readonly type: 'failed'; readonly job: PrintJob; readonly code: string; readonly retryInMs: number | undefined }
  | { readonly type: 'requeued'; readonly jobId: string }
  /** At start: jobs left `printing` by a previous run, now failed/interrupted. */
  | { readonly type: 'interrupted'; readonly count: number }
  /** The database refused a step; the job stays as the database last saw it. */
  | { readonly type: 'error'; readonly jobId: string | undefined; readonly error: unknown };

/** How jobs are rendered (RenderOptions), and where they come from and go to. */
export interface PrintSpoolerOptions extends RenderOptions {
  /** `store.printJobs` and `store.sales` (sales: to find the last receipt after a restart). */
  readonly store: { readonly printJobs: PrintJobs; readonly sales: SaleJournal };
  readonly printer: PrinterPort;
  readonly clock: Clock;
  /** Wait before requeueing a failed job: base * 2^n, capped. Default 5 s .. 60 s. */
  readonly retry?: BackoffParams;
  /**
   * While this says yes (a confirm is on its way: the engine's `confirming()`), no next job is
   * started: its claim, rendering and commits would hold the event loop the confirm's answer
   * needs. Asked again every `holdCheckMs` (default 50) until it says no.
   */
  readonly holdWhile?: () => boolean;
  readonly holdCheckMs?: number;
  /** While a job is held (paper out, cover open), how often the printer is asked again. Default 5 s. */
  readonly paperCheckMs?: number;
}

const DEFAULT_RETRY: BackoffParams = { baseMs: 5_000, capMs: 60_000 };

type State = 'stopped' | 'running' | 'stopping';

export class PrintSpooler {
  private state: State = 'stopped';
  private draining: Promise<void> | undefined;
  private again = false;
  /** Set while the spooler waits before retrying; draining is paused meanwhile. */
  private cancelRetry: (() => void) | undefined;
  /** Set while a held drain waits to ask `holdWhile` again. */
  private cancelHold: (() => void) | undefined;
  /** Jobs this spooler failed without anything printed; requeued when the retry timer fires. */
  private readonly retryIds = new Set<string>();
  /** Consecutive failures, for the backoff; reset by a successful print. */
  private failures = 0;
  private lastReceiptSaleId: string | undefined;
  private current: SpoolerStatus = { state: 'ok' };
  /** What the printer last said of its paper; undefined until asked. */
  private paper: PaperState | undefined;
  private printedAny = false;
  /** Observers: one that throws (a broken status display) never stops printing. */
  private readonly statusListeners = new Listeners<SpoolerStatus>();
  private readonly listeners = new Listeners<SpoolerEvent>();
  private stopListening: Unsubscribe | undefined;

  constructor(private readonly options: PrintSpoolerOptions) {}

  /**
   * Sweeps jobs a crash left `printing` (never reprinted), requeues jobs a previous run failed
   * with a plain printer error, then prints what is queued, and from then on whatever the store
   * queues.
   */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    const interrupted = this.options.store.printJobs.sweepInterrupted();
    if (interrupted > 0) {
      this.emit({ type: 'interrupted', count: interrupted });
      this.setStatus({ state: 'error', code: 'interrupted', message: statusLine('interrupted'), needsCheck: true });
    }
    this.requeueFailedBeforeStart();
    this.stopListening = this.options.store.printJobs.onQueued(() => this.kick());
    this.state = 'running';
    this.kick();
  }

  /** Waits for the job in flight; jobs waiting for a retry go back to queued for the next start. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.stopListening?.();
    this.stopListening = undefined;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.cancelHold?.();
    this.cancelHold = undefined;
    await this.draining;
    this.requeueWaiting();
    this.state = 'stopped';
  }

  /** Prints what is queued now (ignored while stopped or waiting for a retry); the store's listener calls it. */
  kick(): void {
    if (this.state !== 'running' || this.cancelRetry !== undefined) return;
    if (this.draining !== undefined) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
      // A kick that came after the loop's last look (a timer firing before this settled).
      if (this.again) this.kick();
    });
  }

  /** Skips the rest of the backoff (a person refilled the paper and pressed OK). */
  retryNow(): void {
    if (this.cancelRetry === undefined) return;
    this.cancelRetry();
    this.cancelRetry = undefined;
    this.requeueWaiting();
    this.kick();
  }

  /**
   * Asks the printer for its status now (the status page); a held job prints at once when the
   * printer says it can again. Ignored unless running.
   */
  async checkPrinter(): Promise<void> {
    if (this.state !== 'running') return;
    const hold = await this.askPrinter();
    if (hold === undefined && this.current.state === 'ok') this.retryNow();
  }

  /** Whether a job is being sent to the printer right now. */
  get printing(): boolean {
    return this.draining !== undefined;
  }

  /** Resolves when nothing is being printed right now (tests, shutdown ordering). */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  status(): SpoolerStatus {
    return this.current;
  }

  onStatus(listener: (status: SpoolerStatus) => void): () => void {
    return this.statusListeners.add(listener);
  }

  on(listener: (event: SpoolerEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Enqueues a `copy` of the last receipt: the one most recently printed or given up on in this
   * run, else (after a restart) the receipt of the newest sale that has a settled one.
   */
  reprintLast(): PrintJob {
    const saleId = this.lastReceiptSaleId ?? lastReceiptSaleId(this.options.store, this.retryIds);
    if (saleId === undefined) throw new PrintRequestError('no_receipt', 'no receipt has been printed yet');
    return this.reprint(saleId);
  }

  /** Enqueues a `copy` of a sale's receipt (see copyJob for when it is refused). */
  reprint(saleId: string): PrintJob {
    return this.enqueue(copyJob(this.options.store.printJobs, saleId, this.retryIds));
  }

  /** Enqueues one table card per table, in order. */
  printTableCards(tables: readonly { readonly id: string; readonly name: string }[], locationId: number): PrintJob[] {
    return tableCardJobs(tables, locationId).map((job) => this.enqueue(job));
  }

  /** Enqueues a day report (see reportJob for when it is refused). */
  printReport(report: ReportJobPayload): PrintJob {
    return this.enqueue(reportJob(this.options.store.printJobs, report, this.retryIds));
  }

  /** Journals a job; the store's listener has it printed. */
  private enqueue(job: NewPrintJob): PrintJob {
    return this.options.store.printJobs.enqueue(job);
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      while (this.state === 'running' && this.cancelRetry === undefined) {
        // Only with something queued: an idle spooler sets no timer.
        if (this.options.holdWhile?.() === true && this.options.store.printJobs.listQueued().length > 0) {
          this.holdUntilFree();
          return;
        }
        // The printer is asked only with something to print: an idle spooler does no I/O.
        let queued: number;
        try {
          queued = this.options.store.printJobs.listQueued().length;
        } catch (error) {
          // As a refused claim: the next kick looks again.
          this.emit({ type: 'error', jobId: undefined, error });
          return;
        }
        if (queued === 0) break;
        if (this.options.printer.condition === undefined) this.noteCondition({ kind: 'not_checked' });
        else if ((await this.askPrinter()) !== undefined) {
          this.scheduleRetry(this.options.paperCheckMs ?? 5_000);
          return;
        } else if (this.state !== 'running') return;
        let job: PrintJob | undefined;
        try {
          job = this.options.store.printJobs.claimNext();
        } catch (error) {
          // The next kick tries again; nothing was claimed.
          this.emit({ type: 'error', jobId: undefined, error });
          return;
        }
        if (job === undefined) break;
        await this.printOne(job);
      }
    } while (this.again && this.state === 'running' && this.cancelRetry === undefined);
  }

  /** Asks the hold again shortly; kick() then drains what is queued. */
  private holdUntilFree(): void {
    if (this.cancelHold !== undefined) return;
    this.cancelHold = this.options.clock.setTimeout(() => {
      this.cancelHold = undefined;
      this.kick();
    }, this.options.holdCheckMs ?? 50);
  }

  private async printOne(job: PrintJob): Promise<void> {
    let bytes: Printout;
    try {
      bytes = renderJob(job, this.options);
    } catch (error) {
      // A bad row fails the same way every time: no retry, a person looks at it.
      const code = error instanceof CodedError ? error.code : 'print_render_failed';
      this.settleFailed(job, code, undefined);
      return;
    }
    try {
      await this.options.printer.send(bytes);
    } catch (error) {
      this.onSendFailed(job, error);
      return;
    }
    this.settlePrinted(job);
  }

  /**
   * Asks the printer (DLE EOT) and shows what it says; the hold code when the printer cannot
   * print now, else undefined. A held status is cleared once the printer can print again.
   */
  private async askPrinter(): Promise<string | undefined> {
    let condition: PrinterCondition;
    try {
      condition = (await this.options.printer.condition?.()) ?? { kind: 'not_checked' };
    } catch {
      // The port's contract is never to reject; a broken one is a printer that did not answer.
      condition = { kind: 'unknown' };
    }
    return this.noteCondition(condition);
  }

  /** Shows what the printer said; the hold code when it cannot print now. */
  private noteCondition(condition: PrinterCondition): string | undefined {
    this.paper = paperOf(condition);
    const hold = holdCode(condition);
    if (hold !== undefined) this.setStatus({ state: 'error', code: hold, message: statusLine(hold), held: true, paper: this.paper, printed: this.printedAny });
    else if (this.current.state === 'ok' || this.current.held === true) this.setStatus(this.okStatus());
    return hold;
  }

  private okStatus(): SpoolerStatus {
    return { state: 'ok', printed: this.printedAny, ...(this.paper === undefined ? {} : { paper: this.paper }) };
  }

  private onSendFailed(job: PrintJob, error: unknown): void {
    const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; ambiguous?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'printer_error';
    if (code === 'printer_job_already_sent') {
      // The transport delivered this very job id earlier in this process: it is on paper.
      this.settlePrinted(job);
      return;
    }
    const ambiguous = typeof e.ambiguous === 'boolean' ? e.ambiguous : true;
    const delay = backoffCeilingMs(this.failures, this.options.retry ?? DEFAULT_RETRY);
    this.failures += 1;
    if (ambiguous) {
      this.settleFailed(job, `${MAYBE_PRINTED}${code}`, undefined);
    } else if (this.settleFailed(job, code, delay)) {
      this.retryIds.add(job.id);
    }
    // Pause either way: the next job would most likely meet the same printer problem.
    this.scheduleRetry(delay);
  }

  private settlePrinted(job: PrintJob): void {
    let printed: PrintJob;
    try {
      printed = this.options.store.printJobs.markPrinted(job.id);
    } catch (error) {
      // It is on paper but still `printing` in the database: the next start sweeps it to
      // interrupted, which never reprints. Safe, if untidy.
      this.emit({ type: 'error', jobId: job.id, error });
      return;
    }
    this.failures = 0;
    this.printedAny = true;
    if (job.kind === 'receipt' && job.saleId !== undefined) this.lastReceiptSaleId = job.saleId;
    this.setStatus(this.okStatus());
    this.emit({ type: 'printed', job: printed });
  }

  /** Records the failure; true when the row is now failed. */
  private settleFailed(job: PrintJob, code: string, retryInMs: number | undefined): boolean {
    let failed: PrintJob;
    try {
      failed = this.options.store.printJobs.markFailed(job.id, code);
    } catch (error) {
      this.emit({ type: 'error', jobId: job.id, error });
      return false;
    }
    if (retryInMs === undefined && job.kind === 'receipt' && job.saleId !== undefined) this.lastReceiptSaleId = job.saleId;
    this.setStatus({
      state: 'error',
      code,
      message: statusLine(code),
      jobId: job.id,
      needsCheck: retryInMs === undefined,
      printed: this.printedAny,
      ...(this.paper === undefined ? {} : { paper: this.paper }),
    });
    this.emit({ type: 'failed', job: failed, code, retryInMs });
    return true;
  }

  private scheduleRetry(delayMs: number): void {
    if (this.state !== 'running') return;
    this.cancelRetry?.();
    this.cancelRetry = this.options.clock.setTimeout(() => {
      this.cancelRetry = undefined;
      if (this.state !== 'running') return;
      this.requeueWaiting();
      this.kick();
    }, delayMs);
  }

  private requeueWaiting(): void {
    for (const id of this.retryIds) {
      try {
        this.options.store.printJobs.requeue(id);
        this.emit({ type: 'requeued', jobId: id });
      } catch (error) {
        // A person already requeued or settled it; their decision stands.
        this.emit({ type: 'error', jobId: id, error });
      }
    }
    this.retryIds.clear();
  }

  /**
   * A job failed with a plain printer error waits for its retry on an in-memory timer, and
   * stop() requeues it; a crash or power cut loses both, and the row would stay failed for
   * ever. Nothing of it reached paper, so it is requeued here, the same row as the timer would
   * have. Rows that may be on paper or fail the same way every time stay for a person.
   */
  private requeueFailedBeforeStart(): void {
    let failed: PrintJob[];
    try {
      failed = this.options.store.printJobs.listFailed();
    } catch (error) {
      // Printing what is queued matters more; the next start looks again.
      this.emit({ type: 'error', jobId: undefined, error });
      return;
    }
    for (const job of failed) {
      if (!isRetryableAfterRestart(job.lastErrorCode)) continue;
      try {
        this.options.store.printJobs.requeue(job.id);
        this.emit({ type: 'requeued', jobId: job.id });
      } catch (error) {
        this.emit({ type: 'error', jobId: job.id, error });
      }
    }
  }

  private setStatus(status: SpoolerStatus): void {
    if (sameStatus(status, this.current)) return;
    this.current = status;
    this.statusListeners.emit(status);
  }

  private emit(event: SpoolerEvent): void {
    this.listeners.emit(event);
  }
}

/** Whether two statuses say the same to staff and the log (a repeat is not announced). */
function sameStatus(a: SpoolerStatus, b: SpoolerStatus): boolean {
  return a.state === b.state && a.code === b.code && a.jobId === b.jobId && a.needsCheck === b.needsCheck && a.paper === b.paper && a.printed === b.printed && a.held === b.held;
}
