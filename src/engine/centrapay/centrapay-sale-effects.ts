import { paidRequestMismatch } from '../../domain/amount-check.js';
import type { Sale } from '../../domain/sale.js';
import type { PaymentRequest } from '../../gateways/centrapay/centrapay-types.js';
import type { NewPrintJob, StoreEffects } from '../../store/types.js';
import type { CentrapaySlipJobPayload } from '../../printing/job-payloads.js';

/**
 * The decisions that follow a Centrapay fact, as store effects committed with it: what a
 * request's status means for its sale, and the slip once a request exists. Shared by the
 * handlers and the watcher, as paysera/sale-effects.ts is for Paysera.
 */

const WAITING: readonly Sale['state'][] = ['awaiting_payment', 'voiding'];

/**
 * What a request's remote status means for its sale, as store effects. Shared by the poll (the
 * watcher) and the void handler, so "paid" leads to the same commit whichever path saw it.
 * Paid counts only when the request's value and what was paid are the sale's amount in the
 * sale's currency; otherwise the sale goes to a person (nothing is refunded automatically).
 */
export function requestStatusEffects(
  sale: Sale | undefined,
  request: Pick<PaymentRequest, 'status' | 'cancellationReason' | 'id' | 'value' | 'paidBy'>,
): StoreEffects | undefined {
  if (sale === undefined || !WAITING.includes(sale.state)) return undefined;
  switch (request.status) {
    // `unknown`: not paid, not final; the watcher's deadline hands it to a person.
    case 'new':
    case 'unknown':
      return undefined;
    case 'paid': {
      const totals = (request.paidBy?.assetTotals ?? []).flatMap((a) => (a.total === undefined ? [] : [a.total]));
      const mismatch = paidRequestMismatch(sale.amount, request.value, totals);
      if (mismatch !== undefined) return { sale: { saleId: sale.id, event: { type: 'needsHuman', reason: mismatch } } };
      return {
        sale: { saleId: sale.id, event: { type: 'paid' } },
        events: [{ type: 'sale.paid', saleId: sale.id, data: { amountMinor: sale.amount.minor, currency: sale.amount.currency, paymentRequestId: request.id } }],
      };
    }
    case 'expired':
      return { sale: { saleId: sale.id, event: { type: 'expired' } } };
    case 'cancelled':
      // During a void, whoever cancelled it, the outcome is the void's; otherwise the customer's reason.
      if (sale.state === 'voiding') return { sale: { saleId: sale.id, event: { type: 'voidCompleted' } } };
      return { sale: { saleId: sale.id, event: { type: 'requestCancelled', reason: request.cancellationReason ?? 'cancelled' } } };
  }
}

/** The slip: the QR of `url` exactly as Centrapay returned it, the short code, amount and expiry. */
export function slipJob(sale: Sale, request: PaymentRequest, fallbackExpiresWallMs: number, clockSynced: boolean): NewPrintJob {
  const serverExpiry = Date.parse(request.expiresAt);
  const payload: CentrapaySlipJobPayload = {
    saleId: sale.id,
    url: request.url,
    shortCode: request.shortCode,
    amountMinor: sale.amount.minor,
    currency: sale.amount.currency,
    // The server's expiresAt, not the Pi's clock (which may be wrong without an RTC).
    expiresWallMs: Number.isFinite(serverExpiry) ? serverExpiry : Math.round(fallbackExpiresWallMs),
    clockSynced: Number.isFinite(serverExpiry) ? true : clockSynced,
  };
  return { saleId: sale.id, kind: 'centrapay-slip', payload };
}
