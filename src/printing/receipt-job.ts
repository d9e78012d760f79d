import type { TableConfig } from '../config/load-config.js';
import type { NewPrintJob, SaleRecord } from '../store/types.js';
import type { ReceiptJobPayload } from './job-payloads.js';

/**
 * A paid sale's receipt job: everything the printer needs, frozen at the moment of payment, so
 * a reprint (COPY) prints the same facts even after config changes. The one producer of
 * `receipt` jobs (one per sale, which the store enforces).
 */
export function receiptJob(sale: SaleRecord, table: TableConfig | undefined, paidWallMs: number, clockSynced: boolean, terminalName?: string): NewPrintJob {
  const payload: ReceiptJobPayload = {
    saleId: sale.id,
    kind: sale.kind,
    amountMinor: sale.amount.minor,
    currency: sale.amount.currency,
    table: table === undefined ? undefined : { id: table.id, name: table.name },
    // Paysera's transaction key, or Centrapay's payment request id.
    transactionKey: sale.transactionKey ?? sale.paymentRequestId,
    paidWallMs,
    clockSynced,
    ...(sale.number === undefined ? {} : { saleNumber: sale.number }),
    ...(terminalName === undefined ? {} : { terminalName }),
  };
  return { saleId: sale.id, kind: 'receipt', payload };
}
