import { formatAmount } from '../domain/money.js';
import type { SaleKind } from '../domain/sale.js';
import type { SaleMethod } from '../printing/layouts.js';
import { language } from '../i18n/messages.js';
import type { DayReport } from './day-report.js';

const METHOD: Record<SaleKind, SaleMethod> = { table: 'paysera-table', code: 'paysera-code', centrapay: 'centrapay' };

/** The command line speaks English (like doctor and queue); the printed report speaks ui.language. */
const METHOD_LABEL = language('en').t.print.methods;

/**
 * The day report as a small fixed-width table for a terminal:
 *
 *   Day report 2026-11-21 (Europe/Vilnius)
 *   Terminal Bar
 *   Method              Count        Total
 *   Paysera (table)         2    25.00 EUR
 *   TOTAL                   2    25.00 EUR
 *   Refunds                 0            -
 *   NET                          25.00 EUR
 *   Declined                1
 *   ...
 * Every method is listed (0 when it had no sales), and one TOTAL line per currency.
 */
export function formatReportTable(report: DayReport, terminalName?: string): string[] {
  const row = (label: string, count: number | string, total = ''): string => `${label.padEnd(18)}${String(count).padStart(7)}${total.padStart(15)}`.trimEnd();
  const lines = [`Day report ${report.day} (${report.timeZone})`, ...(terminalName === undefined ? [] : [`Terminal ${terminalName}`]), row('Method', 'Count', 'Total')];
  for (const kind of ['table', 'code', 'centrapay'] as const) {
    const rows = report.rows.filter((r) => r.kind === kind);
    if (rows.length === 0) lines.push(row(METHOD_LABEL[METHOD[kind]], 0, '-'));
    for (const r of rows) lines.push(row(METHOD_LABEL[METHOD[kind]], r.count, `${formatAmount({ minor: r.totalMinor, currency: r.currency })} ${r.currency}`));
  }
  const currencies = [...new Set(report.rows.map((r) => r.currency))].sort();
  for (const currency of currencies) {
    const rows = report.rows.filter((r) => r.currency === currency);
    const minor = rows.reduce((n, r) => n + r.totalMinor, 0);
    lines.push(row('TOTAL', rows.reduce((n, r) => n + r.count, 0), `${formatAmount({ minor, currency })} ${currency}`));
  }
  if (currencies.length === 0) lines.push(row('TOTAL', 0, '-'));
  const amount = (minor: number, currency: string): string => `${minor < 0 ? '-' : ''}${formatAmount({ minor: Math.abs(minor), currency })} ${currency}`;
  for (const r of report.refunds) lines.push(row(`Refund ${METHOD_LABEL[METHOD[r.kind]]}`.slice(0, 18), r.count, `-${amount(r.totalMinor, r.currency)}`));
  const refundedBy = new Map<string, number>();
  for (const r of report.refunds) refundedBy.set(r.currency, (refundedBy.get(r.currency) ?? 0) + r.totalMinor);
  if (refundedBy.size === 0) lines.push(row('Refunds', 0, '-'));
  for (const [currency, minor] of refundedBy) lines.push(row('Refunds', report.refunds.filter((r) => r.currency === currency).reduce((n, r) => n + r.count, 0), `-${amount(minor, currency)}`));
  for (const n of report.net) lines.push(row('NET', '', amount(n.minor, n.currency)));
  lines.push(row('Declined', report.declined), row('Cancelled', report.cancelled), row('Needs a person', report.needsHuman), row('In progress', report.inProgress));
  if (report.closedElsewhere > 0) lines.push(`(${report.closedElsewhere} of the cancelled were closed by another counter or the back office)`);
  if (report.resolvedByPerson > 0) lines.push(`(${report.resolvedByPerson} of the closed sales were decided by a person)`);
  return lines;
}
