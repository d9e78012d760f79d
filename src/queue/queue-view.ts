import { formatMoney } from '../domain/money.js';
import { formatWallTime } from '../i18n/conventions.js';
import { isMaybePrinted, isRetryableAfterRestart } from '../printing/print-failures.js';
import { isRetrying } from '../engine/outbox/retrying.js';
import type { Store } from '../store/store.js';
import { REFUND_OP_KINDS } from '../engine/refund-desk.js';
import type { OutboxOp, PrintJob, RefundRecord, SaleRecord } from '../store/types.js';

/**
 * What `counterpay queue` shows: every row that is not final or that a person should look at,
 * one line each with what to do. Read-only: building the view writes nothing.
 *
 * Order: rows waiting for a person (needs_human sales and ops), then print jobs whose paper a
 * person must check, then work the terminal still does by itself; oldest first within a group.
 */

export type QueueGroup = 'needs_human' | 'check_print' | 'in_progress';

export interface QueueItem {
  readonly group: QueueGroup;
  readonly type: 'sale' | 'refund' | 'op' | 'print';
  readonly id: string;
  readonly saleId: string | undefined;
  /** The row's state, e.g. needs_human, unknown, failed. */
  readonly state: string;
  /** What the row is, in a few words. */
  readonly what: string;
  /** Why it is here: the stored reason or error code. */
  readonly why: string | undefined;
  readonly sinceWallMs: number;
  /**
   * For an operation whose last attempt failed and that the terminal keeps retrying: since when
   * (it was queued; `sinceWallMs` is then its last attempt). Undefined otherwise.
   */
  readonly retryingSinceWallMs: number | undefined;
  /** What to do, for a person. */
  readonly todo: string;
}

export interface QueueView {
  readonly items: readonly QueueItem[];
  readonly counts: Readonly<Record<QueueGroup, number>>;
}

const GROUP_ORDER: readonly QueueGroup[] = ['needs_human', 'check_print', 'in_progress'];

export function buildQueueView(store: Store): QueueView {
  const sales = store.sales.listOpen();
  const saleById = new Map(sales.map((s) => [s.id, s]));
  const ops = store.outbox.list({ states: ['needs_human', 'in_flight', 'unknown', 'pending'] });
  const items: QueueItem[] = [
    ...sales.map(saleItem),
    ...store.refunds.listOpen().flatMap((refund) => (refund.state === 'needs_human' ? [refundItem(refund, store.sales.get(refund.saleId))] : [])),
    ...ops.map((op) => opItem(op, op.saleId === undefined ? undefined : (saleById.get(op.saleId) ?? store.sales.get(op.saleId)))),
    ...store.printJobs.listFailed().flatMap((job) => (coveredByCopy(store, job) ? [] : [failedPrintItem(job)])),
    ...store.printJobs.listQueued().map(queuedPrintItem),
  ];
  // A stable sort keeps each group's rows in their listing order (oldest first).
  const sorted = [...items].sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));
  const counts = { needs_human: 0, check_print: 0, in_progress: 0 };
  for (const item of sorted) counts[item.group] += 1;
  return { items: sorted, counts };
}

function saleWhat(sale: SaleRecord): string {
  const table = sale.tableId === undefined ? '' : ` table ${sale.tableId}`;
  // The short number staff key for a refund, once the sale is paid.
  const number = sale.number === undefined ? '' : ` no. ${sale.number}`;
  return `${sale.kind} sale${number}${table} ${formatMoney(sale.amount)}`;
}

function saleItem(sale: SaleRecord): QueueItem {
  const base = { type: 'sale' as const, id: sale.id, saleId: sale.id, state: sale.state, what: saleWhat(sale), sinceWallMs: sale.updatedWallMs, retryingSinceWallMs: undefined };
  if (sale.state === 'needs_human') {
    const where = sale.transactionKey === undefined ? 'the payment' : `transaction ${sale.transactionKey}`;
    return {
      ...base,
      group: 'needs_human',
      why: sale.needsHumanReason,
      todo: `check ${where} in the back office, then: counterpay queue --resolve ${sale.id} --paid|--not-paid --reason "what you found"`,
    };
  }
  return { ...base, group: 'in_progress', why: sale.declineReason, todo: 'nothing: the terminal finishes it' };
}

/** A refund whose outcome the terminal could not read: a person checks the back office and decides. */
function refundItem(refund: RefundRecord, sale: SaleRecord | undefined): QueueItem {
  const number = sale?.number === undefined ? '' : ` no. ${sale.number}`;
  return {
    group: 'needs_human',
    type: 'refund',
    id: refund.id,
    saleId: refund.saleId,
    state: refund.state,
    what: `refund of ${refund.method} sale${number} ${formatMoney(refund.amount)}`,
    why: refund.needsHumanReason,
    sinceWallMs: refund.updatedWallMs,
    retryingSinceWallMs: undefined,
    todo: `check the payment in the ${refund.method === 'centrapay' ? 'Centrapay' : 'Paysera'} back office, then: counterpay queue --resolve ${refund.id} --refunded|--not-refunded --reason "what you found"`,
  };
}

function opItem(op: OutboxOp, sale: SaleRecord | undefined): QueueItem {
  const number = sale?.number === undefined ? '' : ` (no. ${sale.number})`;
  const what = `${op.kind}${op.saleId === undefined ? '' : ` of sale ${op.saleId}${number}`}, ${op.attempts} attempt${op.attempts === 1 ? '' : 's'}`;
  const base = {
    type: 'op' as const,
    id: op.id,
    saleId: op.saleId,
    state: op.state,
    what,
    why: op.lastErrorCode,
    sinceWallMs: op.updatedWallMs,
    retryingSinceWallMs: isRetrying(op) ? op.createdWallMs : undefined,
  };
  switch (op.state) {
    case 'needs_human':
      return {
        ...base,
        group: 'needs_human',
        todo: REFUND_OP_KINDS.includes(op.kind)
          ? `decide refund ${op.transactionKey ?? ''} (--resolve ${op.transactionKey ?? ''} ...)`
          : sale?.state === 'needs_human'
            ? `decide sale ${sale.id} (--resolve ${sale.id} ...), or counterpay queue --retry ${op.id} to read the remote state again`
            : `counterpay queue --retry ${op.id} (the terminal reads the remote state first, then finishes it)`,
      };
    case 'in_flight':
      return { ...base, group: 'in_progress', todo: 'nothing: the running terminal is sending it now' };
    case 'unknown':
      return { ...base, group: 'in_progress', todo: `nothing: the terminal reads the remote state next; counterpay queue --retry ${op.id} skips the wait` };
    default:
      return { ...base, group: 'in_progress', todo: `nothing: the terminal sends it next; counterpay queue --retry ${op.id} skips the wait` };
  }
}

/**
 * A failed receipt (or copy) the staff already reprinted: a copy of the same sale printed after
 * it. The row stays failed (history), but nothing is left to do.
 */
function coveredByCopy(store: Store, job: PrintJob): boolean {
  if (job.saleId === undefined || (job.kind !== 'receipt' && job.kind !== 'copy')) return false;
  const jobs = store.printJobs.listBySale(job.saleId);
  const after = jobs.slice(jobs.findIndex((j) => j.id === job.id) + 1);
  return after.some((j) => j.kind === 'copy' && j.state === 'printed');
}

function printWhat(job: PrintJob): string {
  return `${job.kind} print${job.saleId === undefined ? '' : ` of sale ${job.saleId}`}`;
}

function failedPrintItem(job: PrintJob): QueueItem {
  const base = { type: 'print' as const, id: job.id, saleId: job.saleId, state: job.state, what: printWhat(job), why: job.lastErrorCode, sinceWallMs: job.updatedWallMs, retryingSinceWallMs: undefined };
  const code = job.lastErrorCode;
  if (isRetryableAfterRestart(code)) {
    return { ...base, group: 'in_progress', todo: `nothing: printed again when the terminal (re)starts; counterpay queue --requeue-print ${job.id} queues it now` };
  }
  if (code !== undefined && code.startsWith('print_')) {
    return { ...base, group: 'check_print', todo: 'the job itself is invalid and fails again if requeued: keep it for a bug report' };
  }
  const how = isMaybePrinted(code) ? 'the printer failed midway' : 'the terminal stopped while printing';
  return {
    ...base,
    group: 'check_print',
    todo: `${how}: check the paper; if it is missing or torn, counterpay queue --requeue-print ${job.id} (or reprint a COPY from the menu)`,
  };
}

function queuedPrintItem(job: PrintJob): QueueItem {
  return {
    type: 'print',
    group: 'in_progress',
    id: job.id,
    saleId: job.saleId,
    state: job.state,
    what: printWhat(job),
    why: undefined,
    sinceWallMs: job.updatedWallMs,
    retryingSinceWallMs: undefined,
    todo: 'nothing: prints when the terminal runs',
  };
}

const LABEL: Record<QueueGroup, string> = { needs_human: 'NEEDS A PERSON', check_print: 'CHECK PRINT', in_progress: 'IN PROGRESS' };

/**
 * One line per item: `GROUP  type id  state (why)  what  since TIME  -> todo`; an operation being
 * retried says `retrying since TIME, last attempt TIME` instead of `since TIME`.
 */
export function formatQueueLine(item: QueueItem, timeZone?: string): string {
  const why = item.why === undefined ? '' : ` (${item.why})`;
  const when =
    item.retryingSinceWallMs === undefined
      ? `since ${formatWallTime(item.sinceWallMs, timeZone)}`
      : `retrying since ${formatWallTime(item.retryingSinceWallMs, timeZone)}, last attempt ${formatWallTime(item.sinceWallMs, timeZone)}`;
  return `${LABEL[item.group]}  ${item.type} ${item.id}  ${item.state}${why}  ${item.what}  ${when}  -> ${item.todo}`;
}

export function formatQueueSummary(view: QueueView, timeZone?: string): string {
  const { needs_human: human, check_print: check, in_progress: busy } = view.counts;
  if (human + check + busy === 0) return 'queue: empty, nothing waits';
  const retrying = view.items.flatMap((item) => (item.retryingSinceWallMs === undefined ? [] : [item.retryingSinceWallMs]));
  const storm = retrying.length === 0 ? '' : ` (${retrying.length} being retried, since ${formatWallTime(Math.min(...retrying), timeZone)})`;
  return `queue: ${human} need${human === 1 ? 's' : ''} a person, ${check} print${check === 1 ? '' : 's'} to check, ${busy} in progress${storm}`;
}
