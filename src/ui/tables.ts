import type { TableConfig } from '../config/load-config.js';
import type { ScanClassification } from '../devices/scanner/scanner-port.js';
import type { Sale } from '../domain/sale.js';

/**
 * Tables as staff know them: by the number they type (the configured number, else the trailing
 * number of the identifier; load-config has already worked that out) or by the card they scan.
 * Identifiers compare case-insensitively, as in the configuration.
 */

export function tableByNumber(tables: readonly TableConfig[], number: number): TableConfig | undefined {
  return tables.find((t) => t.number === number);
}

export function tableById(tables: readonly TableConfig[], id: string): TableConfig | undefined {
  const wanted = id.toLowerCase();
  return tables.find((t) => t.id.toLowerCase() === wanted);
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

/** "Table 12", or the configured name when it is not just the identifier ("Bar"). */
export function tableLabel(table: TableConfig): string {
  if (table.name !== table.id) return table.name;
  return table.number === undefined ? table.id : `Table ${table.number}`;
}

/** "T12", for lines that have little room; a name or an identifier stays as it is. */
export function tableShortLabel(table: TableConfig): string {
  if (table.name !== table.id) return table.name;
  return table.number === undefined ? table.id : `T${table.number}`;
}

/** What staff type for a table, or its identifier when it has no number. */
export function tableKey(table: TableConfig): string {
  return table.number === undefined ? table.id : String(table.number);
}

/** Longest to shortest names of what a sale is for: a table, a code sale, a Centrapay sale. */
export function saleLabels(sale: Pick<Sale, 'kind' | 'tableId'>, tables: readonly TableConfig[]): readonly string[] {
  if (sale.kind === 'code') return ['Code sale'];
  if (sale.kind === 'centrapay') return ['Centrapay'];
  const table = sale.tableId === undefined ? undefined : tableById(tables, sale.tableId);
  if (table === undefined) return [sale.tableId ?? 'Table'];
  return [tableLabel(table), tableShortLabel(table)];
}
