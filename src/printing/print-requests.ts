import { CodedError } from '../platform/coded-error.js';
import type { PrintJobs } from '../store/print-jobs.js';
import type { SaleJournal } from '../store/sale-journal.js';
import type { NewPrintJob, PrintJob } from '../store/types.js';
import { readJobPayload, receiptSchema, reportSchema, tableCardSchema, type CopyJobPayload, type ReportJobPayload, type TableCardJobPayload } from './job-payloads.js';

/**
 * What staff (the menu) and the support commands may ask to print, and when it is refused: a
 * copy of a receipt, the table cards, a day report. Each request becomes new print job rows; a
 * refusal is a PrintRequestError whose code the UI turns into one line.
 *
 * "Not printed yet" counts the jobs the spooler holds for a retry (`waiting`): their rows say
 * failed, but the spooler requeues them after its backoff.
 */

export class PrintRequestError extends CodedError {
  declare readonly code: 'no_receipt' | 'receipt_pending' | 'copy_pending' | 'report_pending';
}

/** Ids of the jobs the spooler failed without anything printed and requeues after its backoff. */
export type WaitingForRetry = ReadonlySet<string>;

const unsettled = (job: PrintJob, waiting: WaitingForRetry): boolean => job.state === 'queued' || job.state === 'printing' || waiting.has(job.id);

/**
 * A `copy` of a sale's receipt (payload copied, printed marked COPY). Refused while the receipt
 * itself is still to print (it will print on its own) or a copy is already waiting.
 */
export function copyJob(printJobs: Pick<PrintJobs, 'listBySale'>, saleId: string, waiting: WaitingForRetry): NewPrintJob {
  const jobs = printJobs.listBySale(saleId);
  const receipt = jobs.find((j) => j.kind === 'receipt');
  if (receipt === undefined) throw new PrintRequestError('no_receipt', `sale ${saleId} has no receipt`);
  if (unsettled(receipt, waiting)) throw new PrintRequestError('receipt_pending', `the receipt of sale ${saleId} has not printed yet`);
  if (jobs.some((j) => j.kind === 'copy' && unsettled(j, waiting))) {
    throw new PrintRequestError('copy_pending', `a copy of sale ${saleId}'s receipt is already waiting`);
  }
  const payload: CopyJobPayload = { ...readJobPayload(receiptSchema, receipt.payload, receipt.id), copyOf: receipt.id };
  return { saleId, kind: 'copy', payload };
}

/**
 * The sale whose receipt a "copy of the last receipt" copies, after a restart (the spooler
 * remembers the last one it printed in this run): the newest sale with a receipt that printed
 * or was given up on.
 */
export function lastReceiptSaleId(store: { readonly printJobs: Pick<PrintJobs, 'listBySale'>; readonly sales: Pick<SaleJournal, 'list'> }, waiting: WaitingForRetry): string | undefined {
  for (const sale of store.sales.list({ limit: 50 })) {
    const receipt = store.printJobs.listBySale(sale.id).find((j) => j.kind === 'receipt');
    if (receipt !== undefined && (receipt.state === 'printed' || receipt.state === 'failed') && !waiting.has(receipt.id)) return sale.id;
  }
  return undefined;
}

/** One table card per table, in order. */
export function tableCardJobs(tables: readonly { readonly id: string; readonly name: string }[], locationId: number): NewPrintJob[] {
  return tables.map((table) => {
    const payload: TableCardJobPayload = readJobPayload(tableCardSchema, { locationId, table: { id: table.id, name: table.name } }, table.id);
    return { kind: 'table-card', payload };
  });
}

const reportDay = reportSchema.pick({ day: true });

/**
 * A day report. Refused while a report of the same day has not printed yet (queued, printing, or
 * waiting for its retry): staff who press the key again while the paper is out would otherwise
 * get the day twice once the paper is back.
 */
export function reportJob(printJobs: Pick<PrintJobs, 'listUnsettled' | 'get'>, report: ReportJobPayload, waiting: WaitingForRetry): NewPrintJob {
  const payload = readJobPayload(reportSchema, report, report.day);
  const retrying = [...waiting].map((id) => printJobs.get(id)).filter((job): job is PrintJob => job?.kind === 'report');
  if ([...printJobs.listUnsettled('report'), ...retrying].some((job) => reportDay.safeParse(job.payload).data?.day === payload.day)) {
    throw new PrintRequestError('report_pending', `the day report of ${payload.day} has not printed yet`);
  }
  return { kind: 'report', payload };
}
