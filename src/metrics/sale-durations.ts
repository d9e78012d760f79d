import type { SaleChange } from '../engine/engine-api.js';
import type { Clock } from '../platform/clock.js';
import type { MetricFamily } from './exposition.js';
import { Histogram } from './histogram.js';

/** Seconds: a confirm is normally under a second; the slow end shows retries and outages. */
export const SALE_DURATION_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300];

/**
 * `counterpay_sale_duration_seconds{kind}`: how long the terminal took to get a payment the
 * customer had approved confirmed, the wait staff and customer feel at the counter: for a table
 * sale from the reservation seen (the customer approved in the app) to the server's confirm, for
 * a code sale from the scanned code to the confirm. Centrapay sales are paid by the customer's
 * own app with no confirm by the terminal, so they are not timed. Measured on the monotonic
 * clock from the engine's sale changes; a sale under way at a restart is not timed.
 */
export class SaleDurations {
  private readonly histogram = new Histogram('counterpay_sale_duration_seconds', 'Seconds from the approved payment (table: reservation seen; code: code scanned) to the confirm.', SALE_DURATION_BUCKETS);
  /** Sales under way: monotonic time the clock started; removed at confirm or close. */
  private readonly started = new Map<string, number>();

  constructor(private readonly clock: Clock) {
    // Both timed kinds exist from the first scrape, so a dashboard's quantile has a series to read.
    this.histogram.declare({ kind: 'table' });
    this.histogram.declare({ kind: 'code' });
  }

  onSaleChanged({ sale }: SaleChange): void {
    if (sale.kind === 'centrapay') return;
    const startsNow = sale.kind === 'table' ? sale.state === 'reserved' : sale.reservationCode !== undefined;
    if (startsNow && !this.started.has(sale.id) && (sale.state === 'created' || sale.state === 'transaction_created' || sale.state === 'reserved')) {
      this.started.set(sale.id, this.clock.monoMs());
      return;
    }
    if (sale.state === 'confirmed') {
      const since = this.started.get(sale.id);
      this.started.delete(sale.id);
      if (since !== undefined) this.histogram.observe({ kind: sale.kind }, Math.max(0, this.clock.monoMs() - since) / 1000);
      return;
    }
    if (sale.state !== 'created' && sale.state !== 'order_created' && sale.state !== 'transaction_created' && sale.state !== 'reserved') this.started.delete(sale.id);
  }

  family(): MetricFamily {
    return this.histogram.family();
  }
}
