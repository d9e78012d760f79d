import { formatAmount, type Money } from '../../domain/money.js';
import { EscPosDocument, type EncoderOptions } from './escpos-document.js';
import type { PrintJob } from './printer-port.js';

/**
 * The four printed layouts, as pure functions from a model to one PrintJob. Each job is one
 * document encoded with a fresh encoder (one receipt per buffer).
 */

export interface Venue {
  readonly name: string;
  /** Extra header lines (address, company code). */
  readonly headerLines?: readonly string[];
}

export interface LayoutContext {
  readonly encoder: EncoderOptions;
  /** IANA time zone used for printed times; defaults to the system's. */
  readonly timeZone?: string;
}

export interface TableCardModel {
  readonly venue: Venue;
  readonly tableName: string;
  readonly locationId: number;
  readonly identifier: string;
  /** One line for the customer; default in English. */
  readonly instruction?: string;
}

export type SaleMethod = 'paysera-table' | 'paysera-code' | 'centrapay';

export interface SaleReceiptModel {
  readonly venue: Venue;
  readonly saleId: string;
  readonly method: SaleMethod;
  /** The table's display name for table sales. */
  readonly tableName?: string;
  readonly amount: Money;
  readonly paidAtWallMs: number;
  /** False while the clock has not been synchronised since boot: the time is marked. */
  readonly clockSynced: boolean;
  /** Paysera transaction key or Centrapay payment request id. */
  readonly transactionKey?: string;
  /** True on a reprint: COPY is printed at the top and bottom. */
  readonly copy: boolean;
}

export interface CentrapaySlipModel {
  readonly venue: Venue;
  readonly saleId: string;
  /** The `url` exactly as Centrapay returned it. */
  readonly url: string;
  readonly shortCode: string;
  readonly amount: Money;
  readonly expiresAtWallMs: number;
  readonly clockSynced: boolean;
}

export interface DayReportModel {
  readonly venue: Venue;
  readonly reportId: string;
  /** The business day, e.g. "2026-11-21". */
  readonly day: string;
  readonly rows: readonly { readonly method: SaleMethod; readonly count: number; readonly total: Money }[];
  /** Sales that ended without payment and those waiting for a person; printed when given. */
  readonly outcomes?: { readonly declined: number; readonly cancelled: number; readonly needsHuman: number } | undefined;
  readonly printedAtWallMs: number;
  readonly clockSynced: boolean;
}

export const METHOD_LABEL: Record<SaleMethod, string> = {
  'paysera-table': 'Paysera (table)',
  'paysera-code': 'Paysera (code)',
  centrapay: 'Centrapay',
};

export const TIME_NOT_SYNCED = '(time not synced)';

/** "2026-11-21 14:05" in the given zone. */
export function formatWallTime(wallMs: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(wallMs));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

function header(doc: EscPosDocument, venue: Venue): void {
  doc.line(venue.name, { bold: true, size: 2, align: 'center' });
  for (const line of venue.headerLines ?? []) doc.line(line, { align: 'center' });
  doc.rule();
}

export function spotCode(locationId: number, identifier: string): string {
  return `PAYSERA*${locationId}:${identifier}`;
}

export function tableCardJob(id: string, model: TableCardModel, ctx: LayoutContext): PrintJob {
  const doc = new EscPosDocument(ctx.encoder);
  doc.line(model.venue.name, { bold: true, size: 2, align: 'center' });
  doc.feed();
  doc.line(model.tableName, { bold: true, size: 3, align: 'center' });
  doc.feed();
  doc.qr(spotCode(model.locationId, model.identifier), 16);
  doc.feed();
  doc.line(model.instruction ?? 'Scan with the Paysera app to pay', { align: 'center' });
  doc.cut();
  return { id, kind: 'table-card', bytes: doc.bytes() };
}

export function saleReceiptJob(id: string, model: SaleReceiptModel, ctx: LayoutContext): PrintJob {
  const doc = new EscPosDocument(ctx.encoder);
  if (model.copy) doc.line('*** COPY ***', { bold: true, size: 2, align: 'center' });
  header(doc, model.venue);
  const time = formatWallTime(model.paidAtWallMs, ctx.timeZone);
  doc.leftRight('Date', time);
  if (!model.clockSynced) doc.line(TIME_NOT_SYNCED, { align: 'right' });
  doc.leftRight('Sale', model.saleId);
  if (model.tableName !== undefined) doc.leftRight('Table', model.tableName);
  doc.leftRight('Method', METHOD_LABEL[model.method]);
  if (model.transactionKey !== undefined) doc.leftRight('Transaction', model.transactionKey);
  doc.rule();
  doc.leftRight('TOTAL', `${formatAmount(model.amount)} ${model.amount.currency}`, { bold: true });
  doc.rule();
  doc.line('PAID', { bold: true, align: 'center' });
  if (model.copy) doc.line('*** COPY ***', { bold: true, align: 'center' });
  doc.cut();
  return { id, kind: model.copy ? 'copy' : 'receipt', bytes: doc.bytes() };
}

export function centrapaySlipJob(id: string, model: CentrapaySlipModel, ctx: LayoutContext): PrintJob {
  const doc = new EscPosDocument(ctx.encoder);
  header(doc, model.venue);
  doc.line(`${formatAmount(model.amount)} ${model.amount.currency}`, { bold: true, size: 2, align: 'center' });
  doc.line('Scan to pay with Centrapay', { align: 'center' });
  doc.qr(model.url, 6);
  doc.line(`Code: ${model.shortCode}`, { bold: true, size: 2, align: 'center' });
  doc.line(`Valid until ${formatWallTime(model.expiresAtWallMs, ctx.timeZone).slice(11)}${model.clockSynced ? '' : ` ${TIME_NOT_SYNCED}`}`, { align: 'center' });
  doc.leftRight('Sale', model.saleId);
  doc.cut();
  return { id, kind: 'centrapay-slip', bytes: doc.bytes() };
}

export function dayReportJob(id: string, model: DayReportModel, ctx: LayoutContext): PrintJob {
  const doc = new EscPosDocument(ctx.encoder);
  header(doc, model.venue);
  doc.line(`Day report ${model.day}`, { bold: true, align: 'center' });
  doc.leftRight('Printed', formatWallTime(model.printedAtWallMs, ctx.timeZone));
  if (!model.clockSynced) doc.line(TIME_NOT_SYNCED, { align: 'right' });
  doc.rule();
  const totals = new Map<string, { count: number; minor: number }>();
  for (const row of model.rows) {
    doc.leftRight(`${METHOD_LABEL[row.method]} x${row.count}`, `${formatAmount(row.total)} ${row.total.currency}`);
    const t = totals.get(row.total.currency) ?? { count: 0, minor: 0 };
    totals.set(row.total.currency, { count: t.count + row.count, minor: t.minor + row.total.minor });
  }
  doc.rule();
  for (const [currency, t] of totals) {
    doc.leftRight(`TOTAL x${t.count}`, `${formatAmount({ minor: t.minor, currency })} ${currency}`, { bold: true });
  }
  if (totals.size === 0) doc.line('No sales', { align: 'center' });
  if (model.outcomes !== undefined) {
    doc.rule();
    doc.leftRight('Declined', String(model.outcomes.declined));
    doc.leftRight('Cancelled', String(model.outcomes.cancelled));
    doc.leftRight('Needs a person', String(model.outcomes.needsHuman), { bold: model.outcomes.needsHuman > 0 });
  }
  doc.cut();
  return { id, kind: 'day-report', bytes: doc.bytes() };
}
