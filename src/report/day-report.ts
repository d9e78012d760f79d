import type { SaleKind } from '../domain/sale.js';
import type { ReportJobPayload } from '../printing/job-payloads.js';
import type { Store } from '../store/store.js';
import type { SaleRecord } from '../store/types.js';
import { localDayBounds } from './local-day.js';

/**
 * The day report, from the journal alone (no API calls): what closed during one local day.
 *
 * - Paid: sales that reached `done` that day, per method and currency (a sale a person resolved
 *   as paid counts: a person checked the back office). Counts and totals in minor units.
 * - Declined, cancelled (expired Centrapay requests included), and how many of those closed
 *   sales a person decided.
 * - Refunds: refunds the providers took that day, per method and currency, and the net takings
 *   (paid less refunded) per currency. A refund belongs to the day it was taken.
 * - Needs a person / in progress: sales created that day and still open now (their money is
 *   not in the totals until they close).
 * A sale belongs to the day it closed, by the terminal's wall clock (which may have been wrong
 * before it synchronised; the journal keeps no better time).
 */

export interface DayReportRow {
  readonly kind: SaleKind;
  readonly currency: string;
  readonly count: number;
  readonly totalMinor: number;
}

export interface DayReport {
  readonly day: string;
  readonly timeZone: string;
  readonly fromWallMs: number;
  readonly toWallMs: number;
  /** Paid sales per method (table, code, centrapay order) and currency; methods without sales are left out. */
  readonly rows: readonly DayReportRow[];
  readonly paid: number;
  readonly declined: number;
  readonly cancelled: number;
  /** Of the cancelled: ended by another counter or the back office (docs/configuration.md#several-counters). */
  readonly closedElsewhere: number;
  readonly resolvedByPerson: number;
  readonly needsHuman: number;
  readonly inProgress: number;
  /** Refunds the providers took that day (refunded), per method and currency. */
  readonly refunds: readonly DayReportRow[];
  /** How many refunds were taken that day (the sum of `refunds`' counts). */
  readonly refunded: number;
  /** Takings less refunds, per currency. */
  readonly net: readonly { readonly currency: string; readonly minor: number }[];
}

const KIND_ORDER: readonly SaleKind[] = ['table', 'code', 'centrapay'];

export function buildDayReport(store: Store, day: string, timeZone: string): DayReport {
  const { fromWallMs, toWallMs } = localDayBounds(day, timeZone);
  const closed = store.sales.listClosedBetween(fromWallMs, toWallMs);
  const totals = new Map<string, { kind: SaleKind; currency: string; count: number; totalMinor: number }>();
  let declined = 0;
  let cancelled = 0;
  for (const sale of closed) {
    if (isPaid(sale)) {
      const key = `${sale.kind}/${sale.amount.currency}`;
      const row = totals.get(key) ?? { kind: sale.kind, currency: sale.amount.currency, count: 0, totalMinor: 0 };
      totals.set(key, { ...row, count: row.count + 1, totalMinor: row.totalMinor + sale.amount.minor });
    } else if (sale.state === 'declined') declined += 1;
    else cancelled += 1;
  }
  const rows = [...totals.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.currency.localeCompare(b.currency));
  const refundTotals = new Map<string, DayReportRow>();
  for (const refund of store.refunds.listClosedBetween(fromWallMs, toWallMs)) {
    if (refund.state !== 'refunded') continue;
    const key = `${refund.method}/${refund.amount.currency}`;
    const row = refundTotals.get(key) ?? { kind: refund.method, currency: refund.amount.currency, count: 0, totalMinor: 0 };
    refundTotals.set(key, { ...row, count: row.count + 1, totalMinor: row.totalMinor + refund.amount.minor });
  }
  const refunds = [...refundTotals.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.currency.localeCompare(b.currency));
  const net = new Map<string, number>();
  for (const r of rows) net.set(r.currency, (net.get(r.currency) ?? 0) + r.totalMinor);
  for (const r of refunds) net.set(r.currency, (net.get(r.currency) ?? 0) - r.totalMinor);
  const openToday = store.sales.listOpen().filter((s) => s.createdWallMs >= fromWallMs && s.createdWallMs < toWallMs);
  return {
    day,
    timeZone,
    fromWallMs,
    toWallMs,
    rows,
    paid: rows.reduce((n, r) => n + r.count, 0),
    declined,
    cancelled,
    closedElsewhere: closed.filter((s) => s.state === 'cancelled' && ELSEWHERE.includes(s.declineReason ?? '')).length,
    resolvedByPerson: closed.filter((s) => s.resolvedPaid !== undefined).length,
    needsHuman: openToday.filter((s) => s.state === 'needs_human').length,
    inProgress: openToday.filter((s) => s.state !== 'needs_human').length,
    refunds,
    refunded: refunds.reduce((n, r) => n + r.count, 0),
    net: [...net.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ currency, minor })),
  };
}

/** Cancel reasons that another counter or the back office caused (engine/paysera-wallet/shared-spots.ts). */
const ELSEWHERE: readonly string[] = ['busy_elsewhere', 'closed_elsewhere'];

function isPaid(sale: SaleRecord): boolean {
  return sale.state === 'done';
}

/** The print job payload: the printed layout carries the paid rows and their totals. */
export function reportJobPayload(report: DayReport, printedWallMs: number, clockSynced: boolean, terminalName?: string): ReportJobPayload {
  return {
    day: report.day,
    rows: report.rows.map((r) => ({ ...r })),
    refunds: report.refunds.map((r) => ({ ...r })),
    ...(terminalName === undefined ? {} : { terminalName }),
    outcomes: { declined: report.declined, cancelled: report.cancelled, needsHuman: report.needsHuman },
    printedWallMs,
    clockSynced,
  };
}
