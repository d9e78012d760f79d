import type { SaleKind } from '../domain/sale.js';
import { type StoreContext } from './store-context.js';

/** The outcomes sale_totals counts (schema 4; `refunded` from schema 5, counted per refund with its amount). */
export type TotalOutcome = 'paid' | 'declined' | 'cancelled' | 'needs_human' | 'refunded';

export interface SaleTotal {
  readonly kind: SaleKind;
  readonly outcome: TotalOutcome;
  readonly currency: string;
  /** Sales counted under this outcome since the journal began (or since schema 4). */
  readonly sales: number;
  /** For `paid`: the takings of those sales in minor units; for `refunded` the amount refunded; 0 for the other outcomes. */
  readonly amountMinor: number;
}

/**
 * Cumulative sale counts and takings, kept by triggers in the commit that decides a sale's
 * outcome or hands it to a person (migration 4), and never pruned: they only grow, across
 * restarts and retention, which is what a Prometheus counter must do (docs/monitoring.md).
 * Reading them is one small scan and writes nothing, so a scrape keeps an idle terminal idle.
 */
export class SaleTotals {
  constructor(private readonly ctx: StoreContext) {}

  list(): SaleTotal[] {
    const rows = this.ctx
      .prepare(
        `SELECT kind, outcome, currency, sales, amount_minor FROM sale_totals
         UNION ALL SELECT kind, 'refunded', currency, refunds, amount_minor FROM refund_totals
         ORDER BY kind, outcome, currency`,
      )
      .all() as Array<{ kind: SaleKind; outcome: TotalOutcome; currency: string; sales: number; amount_minor: number }>;
    return rows.map((r) => ({ kind: r.kind, outcome: r.outcome, currency: r.currency, sales: r.sales, amountMinor: r.amount_minor }));
  }
}
