import type { Money } from '../domain/money.js';
import { formatSpotCode } from '../domain/spot-code.js';
import type { LanguageCode } from '../i18n/language.js';
import { language, type Language } from '../i18n/messages.js';
import { EscPosDocument, type EncoderOptions } from './escpos/escpos-document.js';
import type { Printout } from '../devices/printer/printer-port.js';

/**
 * The printed layouts, as pure functions from a model to one Printout. Each job is one
 * document encoded with a fresh encoder (one receipt per buffer).
 */

export interface Venue {
  readonly name: string;
  /** Extra header lines (address, company code). */
  readonly headerLines?: readonly string[];
}

/** The venue as configured (`devices.printer.venue`), for every layout that prints a header. */
export function venueOf(config: { readonly name: string; readonly lines?: readonly string[] } | undefined): Venue {
  return { name: config?.name ?? '', headerLines: config?.lines ?? [] };
}

export interface LayoutContext {
  readonly encoder: EncoderOptions;
  /** IANA time zone used for printed times; defaults to the system's. */
  readonly timeZone?: string;
  /** The language of the printed texts, amounts and dates (ui.language); default English. */
  readonly language?: LanguageCode;
}

export interface TableCardModel {
  readonly venue: Venue;
  readonly tableName: string;
  readonly locationId: number;
  readonly identifier: string;
  /** One line for the customer; default: the language's instruction. */
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
  /** The short sale number staff key for a refund. */
  readonly saleNumber?: number | undefined;
  /** The terminal that sold it (config terminal.name). */
  readonly terminalName?: string | undefined;
}

export interface RefundSlipModel {
  readonly venue: Venue;
  readonly saleId: string;
  readonly saleNumber?: number | undefined;
  readonly method: SaleMethod;
  readonly amount: Money;
  readonly refundedAtWallMs: number;
  readonly clockSynced: boolean;
  readonly terminalName?: string | undefined;
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
  /** Refunds taken that day, per method; printed with the net takings when given. */
  readonly refunds?: readonly { readonly method: SaleMethod; readonly count: number; readonly total: Money }[] | undefined;
  readonly terminalName?: string | undefined;
  readonly printedAtWallMs: number;
  readonly clockSynced: boolean;
}

function header(doc: EscPosDocument, venue: Venue): void {
  doc.line(venue.name, { bold: true, size: 2, align: 'center' });
  for (const line of venue.headerLines ?? []) doc.line(line, { align: 'center' });
  doc.rule();
}

function money(m: Money, lang: Language): string {
  return lang.format.money(m.minor, m.currency);
}

/** A table card; its QR is the table's spot code (formatSpotCode: a code it would not read back throws). */
export function tableCardJob(id: string, model: TableCardModel, ctx: LayoutContext): Printout {
  const t = language(ctx.language).t.print;
  const doc = new EscPosDocument(ctx.encoder);
  doc.line(model.venue.name, { bold: true, size: 2, align: 'center' });
  doc.feed();
  doc.line(model.tableName, { bold: true, size: 3, align: 'center' });
  doc.feed();
  doc.qr(formatSpotCode({ locationId: model.locationId, identifier: model.identifier }), 16);
  doc.feed();
  doc.line(model.instruction ?? t.tableCardInstruction, { align: 'center' });
  doc.cut();
  return { id, kind: 'table-card', bytes: doc.bytes() };
}

export function saleReceiptJob(id: string, model: SaleReceiptModel, ctx: LayoutContext): Printout {
  const lang = language(ctx.language);
  const t = lang.t.print;
  const doc = new EscPosDocument(ctx.encoder);
  if (model.copy) doc.line(t.copyBanner, { bold: true, size: 2, align: 'center' });
  header(doc, model.venue);
  doc.leftRight(t.date, lang.format.dateTime(model.paidAtWallMs, ctx.timeZone));
  if (!model.clockSynced) doc.line(t.timeNotSynced, { align: 'right' });
  if (model.saleNumber !== undefined) doc.leftRight(t.saleNumber, String(model.saleNumber), { bold: true });
  if (model.terminalName !== undefined) doc.leftRight(t.terminal, model.terminalName);
  doc.leftRight(t.sale, model.saleId);
  if (model.tableName !== undefined) doc.leftRight(t.table, model.tableName);
  doc.leftRight(t.method, t.methods[model.method]);
  if (model.transactionKey !== undefined) doc.leftRight(t.transaction, model.transactionKey);
  doc.rule();
  doc.leftRight(t.total, money(model.amount, lang), { bold: true });
  doc.rule();
  doc.line(t.paid, { bold: true, align: 'center' });
  if (model.copy) doc.line(t.copyBanner, { bold: true, align: 'center' });
  doc.cut();
  return { id, kind: model.copy ? 'copy' : 'receipt', bytes: doc.bytes() };
}

/** A refund's slip: what went back to the customer, from which sale, here and when. */
export function refundSlipJob(id: string, model: RefundSlipModel, ctx: LayoutContext): Printout {
  const lang = language(ctx.language);
  const t = lang.t.print;
  const doc = new EscPosDocument(ctx.encoder);
  header(doc, model.venue);
  doc.line(t.refundBanner, { bold: true, size: 2, align: 'center' });
  doc.leftRight(t.date, lang.format.dateTime(model.refundedAtWallMs, ctx.timeZone));
  if (!model.clockSynced) doc.line(t.timeNotSynced, { align: 'right' });
  if (model.saleNumber !== undefined) doc.leftRight(t.saleNumber, String(model.saleNumber), { bold: true });
  if (model.terminalName !== undefined) doc.leftRight(t.terminal, model.terminalName);
  doc.leftRight(t.sale, model.saleId);
  doc.leftRight(t.method, t.methods[model.method]);
  doc.rule();
  doc.leftRight(t.refunded, money(model.amount, lang), { bold: true });
  doc.rule();
  doc.line(t.refundBanner, { bold: true, align: 'center' });
  doc.cut();
  return { id, kind: 'refund-slip', bytes: doc.bytes() };
}

export function centrapaySlipJob(id: string, model: CentrapaySlipModel, ctx: LayoutContext): Printout {
  const lang = language(ctx.language);
  const t = lang.t.print;
  const doc = new EscPosDocument(ctx.encoder);
  header(doc, model.venue);
  doc.line(money(model.amount, lang), { bold: true, size: 2, align: 'center' });
  doc.line(t.centrapayScanToPay, { align: 'center' });
  doc.qr(model.url, 6);
  doc.line(t.centrapayCode(model.shortCode), { bold: true, size: 2, align: 'center' });
  const until = t.validUntil(lang.format.time(model.expiresAtWallMs, ctx.timeZone));
  doc.line(model.clockSynced ? until : `${until} ${t.timeNotSynced}`, { align: 'center' });
  doc.leftRight(t.sale, model.saleId);
  doc.cut();
  return { id, kind: 'centrapay-slip', bytes: doc.bytes() };
}

export function dayReportJob(id: string, model: DayReportModel, ctx: LayoutContext): Printout {
  const lang = language(ctx.language);
  const t = lang.t.print;
  const doc = new EscPosDocument(ctx.encoder);
  header(doc, model.venue);
  doc.line(t.reportTitle(model.day), { bold: true, align: 'center' });
  if (model.terminalName !== undefined) doc.leftRight(t.terminal, model.terminalName);
  doc.leftRight(t.reportPrinted, lang.format.dateTime(model.printedAtWallMs, ctx.timeZone));
  if (!model.clockSynced) doc.line(t.timeNotSynced, { align: 'right' });
  doc.rule();
  const totals = new Map<string, { count: number; minor: number }>();
  for (const row of model.rows) {
    doc.leftRight(t.reportCount(t.methods[row.method], row.count), money(row.total, lang));
    const sum = totals.get(row.total.currency) ?? { count: 0, minor: 0 };
    totals.set(row.total.currency, { count: sum.count + row.count, minor: sum.minor + row.total.minor });
  }
  doc.rule();
  for (const [currency, sum] of totals) {
    doc.leftRight(t.reportCount(t.total, sum.count), money({ minor: sum.minor, currency }, lang), { bold: true });
  }
  if (totals.size === 0) doc.line(t.reportNoSales, { align: 'center' });
  if (model.outcomes !== undefined) {
    doc.rule();
    doc.leftRight(t.reportDeclined, String(model.outcomes.declined));
    doc.leftRight(t.reportCancelled, String(model.outcomes.cancelled));
    doc.leftRight(t.reportNeedsPerson, String(model.outcomes.needsHuman), { bold: model.outcomes.needsHuman > 0 });
  }
  if (model.refunds !== undefined) {
    doc.rule();
    const net = new Map([...totals].map(([currency, sum]) => [currency, sum.minor]));
    let count = 0;
    for (const row of model.refunds) {
      doc.leftRight(t.reportCount(`${t.reportRefunds} ${t.methods[row.method]}`, row.count), `-${money(row.total, lang)}`);
      net.set(row.total.currency, (net.get(row.total.currency) ?? 0) - row.total.minor);
      count += row.count;
    }
    if (count === 0) doc.leftRight(t.reportRefunds, '0');
    for (const [currency, minor] of net) doc.leftRight(t.reportNet, `${minor < 0 ? '-' : ''}${money({ minor: Math.abs(minor), currency }, lang)}`, { bold: true });
  }
  doc.cut();
  return { id, kind: 'day-report', bytes: doc.bytes() };
}
