import { z } from 'zod';
import type { EncoderOptions } from '../devices/printer/escpos-document.js';
import { centrapaySlipJob, dayReportJob, saleReceiptJob, tableCardJob, type LayoutContext, type SaleMethod, type Venue } from './layouts.js';
import type { PrinterPort, Printout } from '../devices/printer/printer-port.js';
import { money } from '../domain/money.js';
import type { SaleKind } from '../domain/sale.js';
import type { LanguageCode } from '../i18n/language.js';
import type { Clock } from '../platform/clock.js';
import { CodedError } from '../platform/coded-error.js';
import type { PrintJobs } from '../store/print-jobs.js';
import type { SaleJournal } from '../store/sale-journal.js';
import type { PrintJob } from '../store/types.js';
import { backoffCeilingMs, type BackoffParams } from '../platform/backoff.js';

/**
 * The print spooler: the durable bridge from print-job rows to the PrinterPort.
 *
 * Invariants (DESIGN.md §4.4, receipts print once):
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
 *   drains on start(), on kick() (call it after enqueueing) and on its retry timer, which only
 *   exists while a failed job waits for its retry.
 * - stop() waits for the job in flight; jobs waiting for their retry are requeued (they never
 *   printed), so the next start prints them. After a crash the retry timer is gone: start()
 *   requeues failed jobs whose code is a plain printer error (isRetryableAfterRestart).
 *
 * The spooler does not start or stop the PrinterPort: the composition root owns device
 * lifecycles.
 */

/** What the engine stores for a sale's receipt (print job kind `receipt`, one per sale). */
export interface ReceiptJobPayload {
  readonly saleId: string;
  readonly kind: SaleKind;
  readonly amountMinor: number;
  /** ISO 4217, e.g. "EUR". */
  readonly currency: string;
  /** Table sales: the configured table (id = spot identifier, name as printed). */
  readonly table?: { readonly id: string; readonly name: string } | undefined;
  /** Paysera transaction key or Centrapay payment request id. */
  readonly transactionKey?: string | undefined;
  /** Wall time the sale was paid (server said confirmed/paid). */
  readonly paidWallMs: number;
  /** False while the clock was not synchronised: the printed time is marked. */
  readonly clockSynced: boolean;
}

/** A reprint (`copy`): the receipt's payload, and the id of the receipt job it copies. */
export interface CopyJobPayload extends ReceiptJobPayload {
  readonly copyOf: string;
}

/** A table card (`table-card`): prints a QR of PAYSERA*{locationId}:{table.id}. */
export interface TableCardJobPayload {
  readonly locationId: number;
  readonly table: { readonly id: string; readonly name: string };
}

/** A day report (`report`). */
export interface ReportJobPayload {
  /** The business day, e.g. "2026-11-21". */
  readonly day: string;
  readonly rows: readonly { readonly kind: SaleKind; readonly count: number; readonly totalMinor: number; readonly currency: string }[];
  /** Sales that ended without payment, and those waiting for a person (absent in older jobs). */
  readonly outcomes?: ReportOutcomes;
  readonly printedWallMs: number;
  readonly clockSynced: boolean;
}

export interface ReportOutcomes {
  readonly declined: number;
  readonly cancelled: number;
  readonly needsHuman: number;
}

/** A Centrapay slip (`centrapay-slip`): QR of the payment request url and its short code. */
export interface CentrapaySlipJobPayload {
  readonly saleId: string;
  readonly url: string;
  readonly shortCode: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly expiresWallMs: number;
  readonly clockSynced: boolean;
}

const currency = z.string().regex(/^[A-Z]{3}$/);
const minor = z.number().int().nonnegative();
const saleKind = z.enum(['table', 'code', 'centrapay']);

// Unknown keys are stripped, not refused: the engine may add fields without breaking printing.
const receiptSchema = z.object({
  saleId: z.string().min(1),
  kind: saleKind,
  amountMinor: minor,
  currency,
  table: z.object({ id: z.string().min(1), name: z.string() }).optional(),
  transactionKey: z.string().min(1).optional(),
  paidWallMs: z.number().int(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<ReceiptJobPayload>;

const copySchema = receiptSchema.extend({ copyOf: z.string().min(1) }) satisfies z.ZodType<CopyJobPayload>;

const tableCardSchema = z.object({
  locationId: z.number().int().positive(),
  table: z.object({ id: z.string().min(1), name: z.string() }),
}) satisfies z.ZodType<TableCardJobPayload>;

const reportSchema = z.object({
  day: z.string().min(1),
  rows: z.array(z.object({ kind: saleKind, count: z.number().int().nonnegative(), totalMinor: minor, currency })),
  outcomes: z.object({ declined: z.number().int().nonnegative(), cancelled: z.number().int().nonnegative(), needsHuman: z.number().int().nonnegative() }).optional(),
  printedWallMs: z.number().int(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<ReportJobPayload>;

const slipSchema = z.object({
  saleId: z.string().min(1),
  url: z.string().min(1),
  shortCode: z.string(),
  amountMinor: minor,
  currency,
  expiresWallMs: z.number().int(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<CentrapaySlipJobPayload>;

const METHOD: Record<SaleKind, SaleMethod> = { table: 'paysera-table', code: 'paysera-code', centrapay: 'centrapay' };

export class PrintSpoolerError extends CodedError {
  declare readonly code: 'no_receipt' | 'receipt_pending' | 'copy_pending' | 'report_pending' | 'print_payload_invalid' | 'print_kind_unknown';
}

/** The printer line for the idle screen. */
export interface PrinterStatus {
  readonly state: 'ok' | 'error';
  /** The failed job's stored error code (transport code, `maybe_printed:...`, `interrupted`, ...). */
  readonly code?: string;
  /** One short line for staff, e.g. "Printer: paper out". */
  readonly message?: string;
  readonly jobId?: string;
  /** True when a printout may be missing or torn: a person should check and reprint a copy. */
  readonly needsCheck?: boolean;
}

export type SpoolerEvent =
  | { readonly type: 'printed'; readonly job: PrintJob }
  /** `retryInMs` is set when the same job will be requeued after that delay. */
  | { readonly type: 'failed'; readonly job: PrintJob; readonly code: string; readonly retryInMs: number | undefined }
  | { readonly type: 'requeued'; readonly jobId: string }
  /** At start: jobs left `printing` by a previous run, now failed/interrupted. */
  | { readonly type: 'interrupted'; readonly count: number }
  /** The database refused a step; the job stays as the database last saw it. */
  | { readonly type: 'error'; readonly jobId: string | undefined; readonly error: unknown };

export interface PrintSpoolerOptions {
  /** `store.printJobs` and `store.sales` (sales: to find the last receipt after a restart). */
  readonly store: { readonly printJobs: PrintJobs; readonly sales: SaleJournal };
  readonly printer: PrinterPort;
  readonly clock: Clock;
  /** devices.encoder (printer type, width, code page, QR mode). */
  readonly encoder: EncoderOptions;
  /** Printed at the head of receipts, cards and reports. */
  readonly venue: Venue;
  /** IANA zone of printed times; default the system's. */
  readonly timeZone?: string;
  /** Language of the printed texts, amounts and dates (ui.language); default English. */
  readonly language?: LanguageCode;
  /** Wait before requeueing a failed job: base * 2^n, capped. Default 5 s .. 60 s. */
  readonly retry?: BackoffParams;
}

/** Prefix of the stored error code of a job that may have reached paper (never auto-reprinted). */
export const MAYBE_PRINTED = 'maybe_printed:';

export function isMaybePrinted(code: string | undefined): boolean {
  return code !== undefined && code.startsWith(MAYBE_PRINTED);
}

/**
 * Whether a failed job's code proves nothing reached paper and a new attempt may succeed: a plain
 * printer error (offline, paper out, no access). Not `maybe_printed:*` (may be on paper), not
 * `interrupted` (a crash while printing), not `print_*` (the row itself is bad: fails again).
 */
export function isRetryableAfterRestart(code: string | undefined): boolean {
  return code !== undefined && !isMaybePrinted(code) && code !== 'interrupted' && !code.startsWith('print_');
}

const STATUS_LINES: Record<string, string> = {
  printer_paper_out: 'Printer: paper out',
  printer_offline: 'Printer: offline',
  printer_timeout: 'Printer: no reply',
  printer_connection_lost: 'Printer: link lost',
  printer_permission_denied: 'Printer: no access',
  printer_busy: 'Printer: busy',
  interrupted: 'Check last print',
  print_payload_invalid: 'Print job invalid',
  print_kind_unknown: 'Print job invalid',
};

function statusLine(code: string): string {
  const bare = code.startsWith(MAYBE_PRINTED) ? code.slice(MAYBE_PRINTED.length) : code;
  return STATUS_LINES[bare] ?? 'Printer: error';
}

const DEFAULT_RETRY: BackoffParams = { baseMs: 5_000, capMs: 60_000 };

type State = 'stopped' | 'running' | 'stopping';

export class PrintSpooler {
  private state: State = 'stopped';
  private draining: Promise<void> | undefined;
  private again = false;
  /** Set while the spooler waits before retrying; draining is paused meanwhile. */
  private cancelRetry: (() => void) | undefined;
  /** Jobs this spooler failed without anything printed; requeued when the retry timer fires. */
  private readonly retryIds = new Set<string>();
  /** Consecutive failures, for the backoff; reset by a successful print. */
  private failures = 0;
  private lastReceiptSaleId: string | undefined;
  private current: PrinterStatus = { state: 'ok' };
  private readonly statusListeners = new Set<(status: PrinterStatus) => void>();
  private readonly listeners = new Set<(event: SpoolerEvent) => void>();

  constructor(private readonly options: PrintSpoolerOptions) {}

  /**
   * Sweeps jobs a crash left `printing` (never reprinted), requeues jobs a previous run failed
   * with a plain printer error, then prints what is queued.
   */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    const interrupted = this.options.store.printJobs.sweepInterrupted();
    if (interrupted > 0) {
      this.emit({ type: 'interrupted', count: interrupted });
      this.setStatus({ state: 'error', code: 'interrupted', message: statusLine('interrupted'), needsCheck: true });
    }
    this.requeueFailedBeforeStart();
    this.state = 'running';
    this.kick();
  }

  /** Waits for the job in flight; jobs waiting for a retry go back to queued for the next start. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    await this.draining;
    this.requeueWaiting();
    this.state = 'stopped';
  }

  /** Something was enqueued: print it now (ignored while stopped or waiting for a retry). */
  kick(): void {
    if (this.state !== 'running' || this.cancelRetry !== undefined) return;
    if (this.draining !== undefined) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
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

  /** Whether a job is being sent to the printer right now. */
  get printing(): boolean {
    return this.draining !== undefined;
  }

  /** Resolves when nothing is being printed right now (tests, shutdown ordering). */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  status(): PrinterStatus {
    return this.current;
  }

  onStatus(listener: (status: PrinterStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  on(listener: (event: SpoolerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Enqueues a `copy` of the last receipt: the one most recently printed or given up on in this
   * run, else (after a restart) the receipt of the newest sale that has a settled one.
   */
  reprintLast(): PrintJob {
    const saleId = this.lastReceiptSaleId ?? this.findLastReceiptSale();
    if (saleId === undefined) throw new PrintSpoolerError('no_receipt', 'no receipt has been printed yet');
    return this.reprint(saleId);
  }

  /**
   * Enqueues a `copy` of a sale's receipt (payload copied, printed marked COPY). Refused while
   * the receipt itself is still to print (it will print on its own) or a copy is already waiting.
   */
  reprint(saleId: string): PrintJob {
    const jobs = this.options.store.printJobs.listBySale(saleId);
    const receipt = jobs.find((j) => j.kind === 'receipt');
    if (receipt === undefined) throw new PrintSpoolerError('no_receipt', `sale ${saleId} has no receipt`);
    if (receipt.state === 'queued' || receipt.state === 'printing' || this.retryIds.has(receipt.id)) {
      throw new PrintSpoolerError('receipt_pending', `the receipt of sale ${saleId} has not printed yet`);
    }
    if (jobs.some((j) => j.kind === 'copy' && (j.state === 'queued' || j.state === 'printing' || this.retryIds.has(j.id)))) {
      throw new PrintSpoolerError('copy_pending', `a copy of sale ${saleId}'s receipt is already waiting`);
    }
    const payload: CopyJobPayload = { ...parse(receiptSchema, receipt.payload, receipt.id), copyOf: receipt.id };
    const copy = this.options.store.printJobs.enqueue({ saleId, kind: 'copy', payload });
    this.kick();
    return copy;
  }

  /** Enqueues one table card per table, in order. */
  printTableCards(tables: readonly { readonly id: string; readonly name: string }[], locationId: number): PrintJob[] {
    const jobs = tables.map((table) => {
      const payload: TableCardJobPayload = parse(tableCardSchema, { locationId, table: { id: table.id, name: table.name } }, table.id);
      return this.options.store.printJobs.enqueue({ kind: 'table-card', payload });
    });
    this.kick();
    return jobs;
  }

  /**
   * Enqueues a day report. Refused while a report of the same day has not printed yet (queued,
   * printing, or waiting for its retry): staff who press the key again while the paper is out
   * would otherwise get the day twice once the paper is back.
   */
  printReport(report: ReportJobPayload): PrintJob {
    const payload = parse(reportSchema, report, report.day);
    const { printJobs } = this.options.store;
    const retrying = [...this.retryIds].map((id) => printJobs.get(id)).filter((job): job is PrintJob => job?.kind === 'report');
    if ([...printJobs.listUnsettled('report'), ...retrying].some((job) => (job.payload as Partial<ReportJobPayload>).day === payload.day)) {
      throw new PrintSpoolerError('report_pending', `the day report of ${payload.day} has not printed yet`);
    }
    const job = printJobs.enqueue({ kind: 'report', payload });
    this.kick();
    return job;
  }

  /** The bytes a stored job prints as (also used by previews). Throws PrintSpoolerError on a bad row. */
  render(job: Pick<PrintJob, 'id' | 'kind' | 'payload'>): Printout {
    const ctx: LayoutContext = { encoder: this.options.encoder, timeZone: this.options.timeZone, language: this.options.language };
    const venue = this.options.venue;
    switch (job.kind) {
      case 'receipt':
      case 'copy': {
        const p = job.kind === 'copy' ? parse(copySchema, job.payload, job.id) : parse(receiptSchema, job.payload, job.id);
        return saleReceiptJob(
          job.id,
          {
            venue,
            saleId: p.saleId,
            method: METHOD[p.kind],
            tableName: p.table?.name,
            amount: money(p.amountMinor, p.currency),
            paidAtWallMs: p.paidWallMs,
            clockSynced: p.clockSynced,
            transactionKey: p.transactionKey,
            copy: job.kind === 'copy',
          },
          ctx,
        );
      }
      case 'table-card': {
        const p = parse(tableCardSchema, job.payload, job.id);
        return tableCardJob(job.id, { venue, tableName: p.table.name, locationId: p.locationId, identifier: p.table.id }, ctx);
      }
      case 'report': {
        const p = parse(reportSchema, job.payload, job.id);
        const rows = p.rows.map((r) => ({ method: METHOD[r.kind], count: r.count, total: money(r.totalMinor, r.currency) }));
        return dayReportJob(job.id, { venue, reportId: job.id, day: p.day, rows, outcomes: p.outcomes, printedAtWallMs: p.printedWallMs, clockSynced: p.clockSynced }, ctx);
      }
      case 'centrapay-slip': {
        const p = parse(slipSchema, job.payload, job.id);
        return centrapaySlipJob(
          job.id,
          { venue, saleId: p.saleId, url: p.url, shortCode: p.shortCode, amount: money(p.amountMinor, p.currency), expiresAtWallMs: p.expiresWallMs, clockSynced: p.clockSynced },
          ctx,
        );
      }
      default:
        throw new PrintSpoolerError('print_kind_unknown', `print job ${job.id} has unknown kind "${job.kind}"`);
    }
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      while (this.state === 'running' && this.cancelRetry === undefined) {
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

  private async printOne(job: PrintJob): Promise<void> {
    let bytes: Printout;
    try {
      bytes = this.render(job);
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
    if (job.kind === 'receipt' && job.saleId !== undefined) this.lastReceiptSaleId = job.saleId;
    this.setStatus({ state: 'ok' });
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
    this.setStatus({ state: 'error', code, message: statusLine(code), jobId: job.id, needsCheck: retryInMs === undefined });
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

  private findLastReceiptSale(): string | undefined {
    for (const sale of this.options.store.sales.list({ limit: 50 })) {
      const receipt = this.options.store.printJobs.listBySale(sale.id).find((j) => j.kind === 'receipt');
      if (receipt !== undefined && (receipt.state === 'printed' || receipt.state === 'failed') && !this.retryIds.has(receipt.id)) return sale.id;
    }
    return undefined;
  }

  private setStatus(status: PrinterStatus): void {
    if (status.state === 'ok' && this.current.state === 'ok') return;
    this.current = status;
    for (const listener of [...this.statusListeners]) {
      try {
        listener(status);
      } catch {
        // A broken status display must not stop printing.
      }
    }
  }

  private emit(event: SpoolerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // Listeners are observers; printing goes on.
      }
    }
  }
}

function parse<T>(schema: z.ZodType<T>, payload: unknown, jobId: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new PrintSpoolerError('print_payload_invalid', `print job ${jobId} has an invalid payload${where}`, { cause: result.error });
  }
  return result.data;
}
