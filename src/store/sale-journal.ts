import { createSale, type NewSaleInput, type SaleEvent, type SaleKind, type SaleState } from '../domain/sale.js';
import { StoreError } from './store-error.js';
import { appendEvent } from './event-rows.js';
import { applyEffects } from './store-effects.js';
import { applySaleEvent, getSaleRow, toSaleRecord, type SaleRow } from './sale-rows.js';
import { mapConstraint, type StoreContext } from './store-context.js';
import type { SaleRecord, StoreEffects } from './types.js';

/**
 * The sales journal. Every change is a named domain transition (src/domain/sale.ts), committed
 * in one immediate transaction with its event-log row and with the intents it causes (outbox
 * ops, print jobs), so a sale never reaches a state without the work that state implies.
 */
export class SaleJournal {
  constructor(private readonly ctx: StoreContext) {}

  /** Journals a new sale in `created` (plus effects, typically its first outbox op). */
  create(input: NewSaleInput, effects?: StoreEffects): SaleRecord {
    const sale = createSale(input);
    return this.ctx.tx(() => {
      const now = this.ctx.stamp();
      try {
        this.ctx
          .prepare(
            `INSERT INTO sales (id, kind, state, amount_minor, currency, table_id, spot_id,
               created_wall_ms, created_mono_ms, created_run, updated_wall_ms, updated_mono_ms, updated_run)
             VALUES (@id, @kind, @state, @minor, @currency, @tableId, @spotId, @wallMs, @monoMs, @runId, @wallMs, @monoMs, @runId)`,
          )
          .run({
            id: sale.id,
            kind: sale.kind,
            state: sale.state,
            minor: sale.amount.minor,
            currency: sale.amount.currency,
            tableId: sale.tableId ?? null,
            spotId: sale.spotId ?? null,
            ...now,
          });
      } catch (error) {
        mapConstraint(error, 'sale_conflict', `sale ${sale.id} conflicts with an existing sale (same id, or an open sale on spot ${sale.spotId ?? '-'})`, {
          saleId: sale.id,
          spotId: sale.spotId,
        });
      }
      appendEvent(this.ctx, { type: 'sale.created', saleId: sale.id, data: { kind: sale.kind, amount: sale.amount, tableId: sale.tableId, spotId: sale.spotId } }, now);
      applyEffects(this.ctx, effects);
      return this.require(sale.id);
    });
  }

  /**
   * Applies a named transition. Throws SaleTransitionError (illegal_transition, ...) from the
   * domain, or StoreError: not_found, state_conflict (when `expectState` is given and differs),
   * sale_conflict, and whatever the effects raise; in every case nothing is written.
   */
  apply(saleId: string, event: SaleEvent, effects?: StoreEffects, expectState?: SaleState): SaleRecord {
    return this.ctx.tx(() => {
      if (expectState !== undefined) {
        const current = this.require(saleId);
        if (current.state !== expectState) {
          throw new StoreError('state_conflict', `sale ${saleId} is ${current.state}, expected ${expectState}`, { saleId, state: current.state, expectState });
        }
      }
      applySaleEvent(this.ctx, saleId, event);
      applyEffects(this.ctx, effects);
      return this.require(saleId);
    });
  }

  get(saleId: string): SaleRecord | undefined {
    const row = getSaleRow(this.ctx, saleId);
    return row === undefined ? undefined : toSaleRecord(row);
  }

  require(saleId: string): SaleRecord {
    const sale = this.get(saleId);
    if (sale === undefined) throw new StoreError('not_found', `no sale ${saleId}`, { saleId });
    return sale;
  }

  /** Sales not yet done/cancelled/declined (needs_human included), oldest first. */
  listOpen(): SaleRecord[] {
    const rows = this.ctx.prepare('SELECT * FROM sales WHERE closed = 0 ORDER BY rowid').all() as SaleRow[];
    return rows.map(toSaleRecord);
  }

  /** Newest first. The filters and the limit are applied by SQLite (no row beyond them is read into memory). */
  list(filter: { states?: readonly SaleState[]; kind?: SaleKind; limit?: number } = {}): SaleRecord[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.states !== undefined) {
      where.push(`state IN (${filter.states.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...filter.states);
    }
    if (filter.kind !== undefined) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    if (filter.limit !== undefined) params.push(filter.limit);
    const sql = `SELECT * FROM sales${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY rowid DESC${filter.limit === undefined ? '' : ' LIMIT ?'}`;
    return (this.ctx.prepare(sql).all(...params) as SaleRow[]).map(toSaleRecord);
  }

  /**
   * Sales that reached done/cancelled/declined at a wall time in [fromWallMs, toWallMs), in the
   * order they closed. For the day report; uses the closed-at index.
   */
  listClosedBetween(fromWallMs: number, toWallMs: number): SaleRecord[] {
    const rows = this.ctx
      .prepare('SELECT * FROM sales WHERE closed = 1 AND closed_wall_ms >= ? AND closed_wall_ms < ? ORDER BY closed_wall_ms, rowid')
      .all(Math.floor(fromWallMs), Math.ceil(toWallMs)) as SaleRow[];
    return rows.map(toSaleRecord);
  }

  /** The sale with that short number (schema 5), if the journal still holds it. */
  findByNumber(number: number): SaleRecord | undefined {
    const row = this.ctx.prepare('SELECT * FROM sales WHERE number = ?').get(number) as SaleRow | undefined;
    return row === undefined ? undefined : toSaleRecord(row);
  }

  /** The most recently numbered (so most recently paid) sale. */
  lastNumbered(): SaleRecord | undefined {
    const row = this.ctx.prepare('SELECT * FROM sales WHERE number IS NOT NULL ORDER BY number DESC LIMIT 1').get() as SaleRow | undefined;
    return row === undefined ? undefined : toSaleRecord(row);
  }

  findByTransactionKey(transactionKey: string): SaleRecord | undefined {
    const row = this.ctx.prepare('SELECT * FROM sales WHERE transaction_key = ?').get(transactionKey) as SaleRow | undefined;
    return row === undefined ? undefined : toSaleRecord(row);
  }

  countOpen(): number {
    return (this.ctx.prepare('SELECT count(*) AS n FROM sales WHERE closed = 0').get() as { n: number }).n;
  }
}
