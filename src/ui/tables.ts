import type { TableConfig } from '../config/load-config.js';
import type { ScanClassification } from '../devices/scanner/scanner-port.js';
import type { Sale } from '../domain/sale.js';
import { sameIdentifier } from '../domain/spot-code.js';
import type { DisplayMessages } from '../i18n/messages.js';
import { variants } from './text.js';

/**
 * Tables as staff know them: by the number they type (the configured number, else the trailing
 * number of the identifier; load-config has already worked that out) or by the card they scan.
 * Identifiers compare case-insensitively, as in the configuration.
 */

export function tableByNumber(tables: readonly TableConfig[], number: number): TableConfig | undefined {
  return tables.find((t) => t.number === number);
}

export function tableById(tables: readonly TableConfig[], id: string): TableConfig | undefined {
  return tables.find((t) => sameIdentifier(t.id, id));
}

export type CardLookup =
  | { kind: 'table'; table: TableConfig }
  /** A Paysera spot code of another location: someone else's card. */
  | { kind: 'other_location' }
  /** Our location, but an identifier that is not configured (printed for another setup, or made up). */
  | { kind: 'unknown_table' }
  | { kind: 'not_a_card' };

/** What a scanned code means as a table card. */
export function tableFromScan(tables: readonly TableConfig[], scan: ScanClassification): CardLookup {
  if (scan.kind !== 'paysera-spot') return { kind: 'not_a_card' };
  if (!scan.ours) return { kind: 'other_location' };
  const table = tableById(tables, scan.identifier);
  return table === undefined ? { kind: 'unknown_table' } : { kind: 'table', table };
}

/**
 * The table's names, longest first: "Table 12" and "T12" (in the terminal's language), or the
 * configured name when it is not just the identifier ("Bar"), or the identifier.
 */
export function tableLabels(table: TableConfig, t: DisplayMessages): readonly string[] {
  if (table.name !== table.id) return [table.name];
  if (table.number === undefined) return [table.id];
  return variants(t.sale.table(table.number));
}

/** What staff type for a table, or its identifier when it has no number. */
export function tableKey(table: TableConfig): string {
  return table.number === undefined ? table.id : String(table.number);
}

/** Longest to shortest names of what a sale is for: a table, a code sale, a Centrapay sale. */
export function saleLabels(sale: Pick<Sale, 'kind' | 'tableId'>, tables: readonly TableConfig[], t: DisplayMessages): readonly string[] {
  if (sale.kind === 'code') return variants(t.sale.code);
  if (sale.kind === 'centrapay') return variants(t.sale.centrapay);
  const table = sale.tableId === undefined ? undefined : tableById(tables, sale.tableId);
  if (table === undefined) return sale.tableId === undefined ? variants(t.sale.unknownTable) : [sale.tableId];
  return tableLabels(table, t);
}
