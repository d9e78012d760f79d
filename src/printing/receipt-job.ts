import type { TableConfig } from '../config/load-config.js';
import type { Sale } from '../domain/sale.js';
import type { NewPrintJob } from '../store/types.js';
import type { ReceiptJobPayload } from './job-payloads.js';

/**
 * A paid sale's receipt job: everything the printer needs, frozen at the moment of payment, so
 * a reprint (COPY) prints the same facts even after config changes. The one producer of
 * `receipt` jobs (one per sale, which the store enforces).
 */
export function receiptJob(sale: Sale, table: TableConfig | undefined, paidWallMs: number, clockSynced: boolean): NewPrintJob {
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
  };
  return { saleId: sale.id, kind: 'receipt', payload };
}
