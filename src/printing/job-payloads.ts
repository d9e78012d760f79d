import { z } from 'zod';
import type { SaleKind } from '../domain/sale.js';
import { CodedError } from '../platform/coded-error.js';
import { firstIssue } from '../platform/schema-issue.js';

/**
 * What each kind of print job carries, and the schema it is read back with. A job is journaled
 * (store `print_jobs`) before it prints and may print after a restart or an upgrade, so its
 * payload is read through its schema every time, never cast: a row that does not read fails
 * with `print_payload_invalid` and stays for a person.
 *
 * Unknown keys are stripped, not refused: a newer version may add fields without breaking printing.
 */

/** What the engine stores for a sale's receipt (kind `receipt`, one per sale), frozen at payment. */
export interface ReceiptJobPayload {
  readonly saleId: string;
  readonly kind: SaleKind;
  readonly amountMinor: number;
  /** ISO 4217, e.g. "EUR". */
  readonly currency: string;
  /** Table sales: the configured table (id = spot identifier, name as printed). */
  readonly table?: { readonly id: string; readonly name: string } | undefined;
  /** Paysera transaction key or Centrapay payment request id. */
  readonly transactionKey?: string | undefined;
  /** Wall time the sale was paid (server said confirmed/paid). */
  readonly paidWallMs: number;
  /** The short sale number staff key for a refund (absent in jobs of older versions). */
  readonly saleNumber?: number | undefined;
  /** The terminal that sold it (config terminal.name; absent in jobs of older versions). */
  readonly terminalName?: string | undefined;
  /** False while the clock was not synchronised: the printed time is marked. */
  readonly clockSynced: boolean;
}

/** A reprint (`copy`): the receipt's payload, and the id of the receipt job it copies. */
export interface CopyJobPayload extends ReceiptJobPayload {
  readonly copyOf: string;
}

/** A table card (`table-card`): prints a QR of PAYSERA*{locationId}:{table.id}. */
export interface TableCardJobPayload {
  readonly locationId: number;
  readonly table: { readonly id: string; readonly name: string };
}

/** A day report (`report`). */
export interface ReportJobPayload {
  /** The business day, e.g. "2026-11-21". */
  readonly day: string;
  readonly rows: readonly { readonly kind: SaleKind; readonly count: number; readonly totalMinor: number; readonly currency: string }[];
  /** Sales that ended without payment, and those waiting for a person (absent in older jobs). */
  readonly outcomes?: ReportOutcomes;
  /** Refunds taken that day, per method and currency (absent in older jobs). */
  readonly refunds?: readonly { readonly kind: SaleKind; readonly count: number; readonly totalMinor: number; readonly currency: string }[];
  /** The terminal (config terminal.name), in the header (absent in older jobs). */
  readonly terminalName?: string | undefined;
  readonly printedWallMs: number;
  readonly clockSynced: boolean;
}

export interface ReportOutcomes {
  readonly declined: number;
  readonly cancelled: number;
  readonly needsHuman: number;
}

/** A refund slip (`refund-slip`): what was refunded, frozen when the provider took it. */
export interface RefundSlipJobPayload {
  readonly refundId: string;
  readonly saleId: string;
  readonly saleNumber?: number | undefined;
  readonly kind: SaleKind;
  readonly amountMinor: number;
  readonly currency: string;
  readonly terminalName?: string | undefined;
  readonly refundedWallMs: number;
  readonly clockSynced: boolean;
}

/** A Centrapay slip (`centrapay-slip`): QR of the payment request url and its short code. */
export interface CentrapaySlipJobPayload {
  readonly saleId: string;
  readonly url: string;
  readonly shortCode: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly expiresWallMs: number;
  readonly clockSynced: boolean;
}

const currency = z.string().regex(/^[A-Z]{3}$/);
const minor = z.number().int().nonnegative();
const saleKind = z.enum(['table', 'code', 'centrapay']);

export const receiptSchema = z.object({
  saleId: z.string().min(1),
  kind: saleKind,
  amountMinor: minor,
  currency,
  table: z.object({ id: z.string().min(1), name: z.string() }).optional(),
  transactionKey: z.string().min(1).optional(),
  paidWallMs: z.number().int(),
  saleNumber: z.number().int().positive().optional(),
  terminalName: z.string().optional(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<ReceiptJobPayload>;

export const refundSlipSchema = z.object({
  refundId: z.string().min(1),
  saleId: z.string().min(1),
  saleNumber: z.number().int().positive().optional(),
  kind: saleKind,
  amountMinor: minor,
  currency,
  terminalName: z.string().optional(),
  refundedWallMs: z.number().int(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<RefundSlipJobPayload>;

export const copySchema = receiptSchema.extend({ copyOf: z.string().min(1) }) satisfies z.ZodType<CopyJobPayload>;

export const tableCardSchema = z.object({
  locationId: z.number().int().positive(),
  table: z.object({ id: z.string().min(1), name: z.string() }),
}) satisfies z.ZodType<TableCardJobPayload>;

export const reportSchema = z.object({
  day: z.string().min(1),
  rows: z.array(z.object({ kind: saleKind, count: z.number().int().nonnegative(), totalMinor: minor, currency })),
  outcomes: z.object({ declined: z.number().int().nonnegative(), cancelled: z.number().int().nonnegative(), needsHuman: z.number().int().nonnegative() }).optional(),
  refunds: z.array(z.object({ kind: saleKind, count: z.number().int().nonnegative(), totalMinor: minor, currency })).optional(),
  terminalName: z.string().optional(),
  printedWallMs: z.number().int(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<ReportJobPayload>;

export const slipSchema = z.object({
  saleId: z.string().min(1),
  url: z.string().min(1),
  shortCode: z.string(),
  amountMinor: minor,
  currency,
  expiresWallMs: z.number().int(),
  clockSynced: z.boolean(),
}) satisfies z.ZodType<CentrapaySlipJobPayload>;

/** A journaled job that cannot be printed as it is: it fails the same way every time. */
export class PrintJobError extends CodedError {
  declare readonly code: 'print_payload_invalid' | 'print_kind_unknown';
}

/** `payload` as `schema` reads it; throws PrintJobError('print_payload_invalid') naming where and what. */
export function readJobPayload<T>(schema: z.ZodType<T>, payload: unknown, jobId: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new PrintJobError('print_payload_invalid', `print job ${jobId} has an invalid payload at ${firstIssue(result.error)}`, { cause: result.error });
  }
  return result.data;
}
