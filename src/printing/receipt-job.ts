import type { TableConfig } from '../config/load-config.js';
import type { Sale } from '../domain/sale.js';

/**
 * What a receipt print job carries: everything the printer needs, frozen at the moment of
 * payment, so a reprint (COPY) prints the same facts even after config changes.
 */
export interface ReceiptJobPayload {
  saleId: string;
  kind: Sale['kind'];
  amountMinor: number;
  currency: string;
  table: { id: string; name: string } | undefined;
  transactionKey: string | undefined;
  paidWallMs: number;
  /** false: the wall clock was not synchronised, the receipt says so. */
  clockSynced: boolean;
}

export function receiptPayload(sale: Sale, table: TableConfig | undefined, paidWallMs: number, clockSynced: boolean): ReceiptJobPayload {
  return {
    saleId: sale.id,
    kind: sale.kind,
    amountMinor: sale.amount.minor,
    currency: sale.amount.currency,
    table: table === undefined ? undefined : { id: table.id, name: table.name },
    transactionKey: sale.transactionKey,
    paidWallMs,
    clockSynced,
  };
}
