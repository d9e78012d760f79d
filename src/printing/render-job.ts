import type { EncoderOptions } from './escpos/escpos-document.js';
import type { Printout } from '../devices/printer/printer-port.js';
import { money } from '../domain/money.js';
import type { SaleKind } from '../domain/sale.js';
import type { LanguageCode } from '../i18n/language.js';
import type { PrintJob } from '../store/types.js';
import { copySchema, PrintJobError, readJobPayload, receiptSchema, refundSlipSchema, reportSchema, slipSchema, tableCardSchema } from './job-payloads.js';
import { centrapaySlipJob, dayReportJob, refundSlipJob, saleReceiptJob, tableCardJob, type LayoutContext, type SaleMethod, type Venue } from './layouts.js';

/** How jobs print here: the printer's encoding, the venue's header, the zone and language of printed times. */
export interface RenderOptions {
  /** devices.encoder (printer type, width, code page, QR mode). */
  readonly encoder: EncoderOptions;
  /** Printed at the head of receipts, cards and reports. */
  readonly venue: Venue;
  /** IANA zone of printed times; default the system's. */
  readonly timeZone?: string | undefined;
  /** Language of the printed texts, amounts and dates (ui.language); default English. */
  readonly language?: LanguageCode | undefined;
}

const METHOD: Record<SaleKind, SaleMethod> = { table: 'paysera-table', code: 'paysera-code', centrapay: 'centrapay' };

/**
 * The bytes a journaled job prints as: its payload read through its kind's schema, laid out.
 * The spooler prints with it and `counterpay report --out` previews with it, so a preview is the
 * printout. Throws PrintJobError for a row that cannot print (bad payload, unknown kind).
 */
export function renderJob(job: Pick<PrintJob, 'id' | 'kind' | 'payload'>, options: RenderOptions): Printout {
  const ctx: LayoutContext = { encoder: options.encoder, timeZone: options.timeZone, language: options.language };
  const { venue } = options;
  switch (job.kind) {
    case 'receipt':
    case 'copy': {
      const p = job.kind === 'copy' ? readJobPayload(copySchema, job.payload, job.id) : readJobPayload(receiptSchema, job.payload, job.id);
      return saleReceiptJob(
        job.id,
        {
          venue,
          saleId: p.saleId,
          method: METHOD[p.kind],
          tableName: p.table?.name,
          amount: money(p.amountMinor, p.currency),
          paidAtWallMs: p.paidWallMs,
          clockSynced: p.clockSynced,
          transactionKey: p.transactionKey,
          copy: job.kind === 'copy',
          saleNumber: p.saleNumber,
          terminalName: p.terminalName,
        },
        ctx,
      );
    }
    case 'table-card': {
      const p = readJobPayload(tableCardSchema, job.payload, job.id);
      return tableCardJob(job.id, { venue, tableName: p.table.name, locationId: p.locationId, identifier: p.table.id }, ctx);
    }
    case 'report': {
      const p = readJobPayload(reportSchema, job.payload, job.id);
      const rows = p.rows.map((r) => ({ method: METHOD[r.kind], count: r.count, total: money(r.totalMinor, r.currency) }));
      const refunds = p.refunds?.map((r) => ({ method: METHOD[r.kind], count: r.count, total: money(r.totalMinor, r.currency) }));
      return dayReportJob(job.id, { venue, reportId: job.id, day: p.day, rows, outcomes: p.outcomes, refunds, terminalName: p.terminalName, printedAtWallMs: p.printedWallMs, clockSynced: p.clockSynced }, ctx);
    }
    case 'refund-slip': {
      const p = readJobPayload(refundSlipSchema, job.payload, job.id);
      return refundSlipJob(
        job.id,
        { venue, saleId: p.saleId, saleNumber: p.saleNumber, method: METHOD[p.kind], amount: money(p.amountMinor, p.currency), refundedAtWallMs: p.refundedWallMs, clockSynced: p.clockSynced, terminalName: p.terminalName },
        ctx,
      );
    }
    case 'centrapay-slip': {
      const p = readJobPayload(slipSchema, job.payload, job.id);
      return centrapaySlipJob(
        job.id,
        { venue, saleId: p.saleId, url: p.url, shortCode: p.shortCode, amount: money(p.amountMinor, p.currency), expiresAtWallMs: p.expiresWallMs, clockSynced: p.clockSynced },
        ctx,
      );
    }
    default:
      throw new PrintJobError('print_kind_unknown', `print job ${job.id} has unknown kind "${job.kind}"`);
  }
}
