import type { TableConfig } from '../../../src/config/load-config.js';

/** One sale of a scenario: when the customer arrives (ms after the run's start) and how they pay. */
export interface ScheduledSale {
  atMs: number;
  kind: 'table' | 'code';
  /** Table sales: the table the customer sits at. */
  table?: TableConfig;
}

/**
 * A counter's day, compressed: which sales arrive when. Sales at one table run one after
 * another (a customer arriving while the table's last sale runs waits for it); code sales at the
 * counter do not wait for each other. The customer pays (table: in the app; code: shows the
 * code) at a random moment `payDelayMs` after the order appears, uniform over more than one 4 s
 * baseline period, so the moment is random with respect to every poll's phase.
 */
export interface Scenario {
  name: string;
  tables: TableConfig[];
  payDelayMs: readonly [number, number];
  schedule(sales: number, offsetMs: number): ScheduledSale[];
}

const table = (n: number): TableConfig => ({ id: `TABLE${n}`, number: n, name: `Table ${n}` });

/** One customer per table every this many ms in the stress scenario. */
export const STRESS_ARRIVAL_MS = 10_000;

/**
 * Stress: 10 tables, a customer at each every 10 s (tables staggered), table sales only: about
 * 60 sales a minute, far beyond a real counter, so the terminal's request budget is under
 * pressure all the time.
 */
export const STRESS: Scenario = {
  name: 'stress',
  tables: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(table),
  payDelayMs: [300, 4300],
  schedule(sales, offsetMs) {
    const out: ScheduledSale[] = [];
    for (let i = 0; out.length < sales; i++) {
      const t = this.tables[i % this.tables.length];
      const round = Math.floor(i / this.tables.length);
      out.push({ atMs: offsetMs + ((i % this.tables.length) * STRESS_ARRIVAL_MS) / this.tables.length + round * STRESS_ARRIVAL_MS, kind: 'table', ...(t === undefined ? {} : { table: t }) });
    }
    return out;
  },
};

/** A sale every this many ms in the café scenario (2 a minute). */
export const CAFE_ARRIVAL_MS = 30_000;

/**
 * Café: 4 tables, 2 sales a minute, alternately a table sale (the tables in turn) and a code
 * sale at the counter; the terminal has the production default budget of 60 requests a minute.
 */
export const CAFE: Scenario = {
  name: 'cafe',
  tables: [1, 2, 3, 4].map(table),
  payDelayMs: [300, 4300],
  schedule(sales, offsetMs) {
    const out: ScheduledSale[] = [];
    for (let i = 0; i < sales; i++) {
      const t = this.tables[Math.floor(i / 2) % this.tables.length];
      out.push(i % 2 === 0 && t !== undefined ? { atMs: offsetMs + i * CAFE_ARRIVAL_MS, kind: 'table', table: t } : { atMs: offsetMs + i * CAFE_ARRIVAL_MS, kind: 'code' });
    }
    return out;
  },
};
