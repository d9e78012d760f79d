import type { Refund } from '../domain/refund.js';
import type { NewPrintJob, SaleRecord } from '../store/types.js';
import type { RefundSlipJobPayload } from './job-payloads.js';

/**
 * A refund's slip (`refund-slip`): the facts frozen when the provider took the refund, queued in
 * that same commit (one per refund). The one producer of `refund-slip` jobs.
 */
export function refundSlipJob(refund: Refund, sale: SaleRecord, terminalName: string | undefined, refundedWallMs: number, clockSynced: boolean): NewPrintJob {
  const payload: RefundSlipJobPayload = {
    refundId: refund.id,
    saleId: sale.id,
    saleNumber: sale.number,
    kind: sale.kind,
    amountMinor: refund.amount.minor,
    currency: refund.amount.currency,
    terminalName,
    refundedWallMs,
    clockSynced,
  };
  return { saleId: sale.id, kind: 'refund-slip', payload };
}
