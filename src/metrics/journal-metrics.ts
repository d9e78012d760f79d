import type { Store } from '../store/store.js';
import type { TotalOutcome } from '../store/sale-totals.js';
import type { MetricFamily, Sample } from './exposition.js';

/**
 * The outcomes `counterpay_sales_total` always shows, at 0 until the first: a series that appears
 * only with its first sale makes increase() miss that sale. `refunded` joins them with refunds
 * (a trigger in the migration that brings them, src/store/migrations.ts).
 */
export const SALE_OUTCOMES: readonly TotalOutcome[] = ['paid', 'declined', 'cancelled', 'needs_human'];

/** Open operations: what the outbox still has to send or find out (not those waiting for a person). */
const BACKLOG_STATES = ['pending', 'in_flight', 'unknown'] as const;

/**
 * What the journal says, read at each scrape (a few indexed reads; nothing is written, so scrapes
 * keep an idle terminal idle):
 * - `counterpay_sales_total{kind,outcome}` and `counterpay_takings_minor_total{kind,currency}`
 *   from the cumulative totals the store keeps in the commit of each sale's outcome
 *   (store/sale-totals.ts): they never drop when old sales are pruned and never double across a
 *   restart, because they are not counted in memory at all;
 * - `counterpay_outbox_pending` and `counterpay_outbox_oldest_age_seconds`: the backlog of
 *   payment API writes and how long its oldest has waited (ages count downtime by wall clock).
 */
export class JournalMetrics {
  constructor(
    private readonly store: Pick<Store, 'totals' | 'outbox'>,
    /** The sale kinds this terminal sells (table and code; centrapay when configured). */
    private readonly kinds: readonly string[],
    private readonly currency: string,
  ) {}

  families(): MetricFamily[] {
    const totals = this.store.totals.list();
    const sales = new Map<string, Sample>();
    const takings = new Map<string, Sample>();
    for (const kind of this.kinds) {
      for (const outcome of SALE_OUTCOMES) sales.set(`${kind}/${outcome}`, { labels: { kind, outcome }, value: 0 });
      takings.set(`${kind}/${this.currency}`, { labels: { kind, currency: this.currency }, value: 0 });
    }
    for (const total of totals) {
      const key = `${total.kind}/${total.outcome}`;
      sales.set(key, { labels: { kind: total.kind, outcome: total.outcome }, value: (sales.get(key)?.value ?? 0) + total.sales });
      if (total.outcome === 'paid') {
        const tkey = `${total.kind}/${total.currency}`;
        takings.set(tkey, { labels: { kind: total.kind, currency: total.currency }, value: (takings.get(tkey)?.value ?? 0) + total.amountMinor });
      }
    }
    const backlog = this.store.outbox.list({ states: BACKLOG_STATES });
    const oldestMs = backlog.reduce((max, op) => Math.max(max, op.ageMs), 0);
    return [
      { name: 'counterpay_sales_total', help: 'Sales by kind and outcome since the journal began: paid at the confirm, declined and cancelled at the close, needs_human when handed to a person (counted again under the outcome it is resolved to).', type: 'counter', samples: [...sales.values()] },
      { name: 'counterpay_takings_minor_total', help: 'Takings of paid sales in minor units (cents) of the currency, since the journal began.', type: 'counter', samples: [...takings.values()] },
      { name: 'counterpay_outbox_pending', help: 'Payment API writes not yet done (pending, in flight or unknown).', type: 'gauge', samples: [{ value: backlog.length }] },
      { name: 'counterpay_outbox_oldest_age_seconds', help: 'Age of the oldest payment API write not yet done; 0 when there is none.', type: 'gauge', samples: [{ value: oldestMs / 1000 }] },
    ];
  }
}
