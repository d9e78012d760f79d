/**
 * What a failed print job's stored code means: whether the job may be on paper (never printed
 * again by itself), whether a restart may try it again, and the line staff see about it. The
 * spooler writes these codes; `counterpay queue` reads them back.
 */

import type { PrinterCondition } from '../devices/printer/printer-port.js';

/**
 * The paper as the printer last reported it (DLE EOT): `not_checked` where the transport cannot
 * ask (a `file:` printer), `unknown` where the printer did not answer.
 */
export type PaperState = 'ok' | 'near_end' | 'out' | 'not_checked' | 'unknown';

/** The spooler's view of the printer, for the idle screen, the status page and the log. */
export interface SpoolerStatus {
  readonly state: 'ok' | 'error';
  /** The paper as last reported; undefined until the printer was asked. */
  readonly paper?: PaperState;
  /** True once a job reached the printer in this run. */
  readonly printed?: boolean;
  /** True while queued jobs wait because the printer said it cannot print (paper out, cover open, error). */
  readonly held?: boolean;
  /** The failed job's stored error code (transport code, `maybe_printed:...`, `interrupted`, ...). */
  readonly code?: string;
  /** One short line for staff, e.g. "Printer: paper out". */
  readonly message?: string;
  readonly jobId?: string;
  /** True when a printout may be missing or torn: a person should check and reprint a copy. */
  readonly needsCheck?: boolean;
}

/** Prefix of the stored error code of a job that may have reached paper (never auto-reprinted). */
export const MAYBE_PRINTED = 'maybe_printed:';

export function isMaybePrinted(code: string | undefined): boolean {
  return code !== undefined && code.startsWith(MAYBE_PRINTED);
}

/**
 * Whether a failed job's code proves nothing reached paper and a new attempt may succeed: a plain
 * printer error (offline, paper out, no access). Not `maybe_printed:*` (may be on paper), not
 * `interrupted` (a crash while printing), not `print_*` (the row itself is bad: fails again).
 */
export function isRetryableAfterRestart(code: string | undefined): boolean {
  return code !== undefined && !isMaybePrinted(code) && code !== 'interrupted' && !code.startsWith('print_');
}

/** What the printer's answer says of its paper. */
export function paperOf(condition: PrinterCondition): PaperState {
  if (condition.kind !== 'answered') return condition.kind;
  if (condition.paperOut) return 'out';
  return condition.paperNearEnd ? 'near_end' : 'ok';
}

/**
 * The code a job is held with when the printer says it cannot print now; undefined when it may
 * be printed to (ready, near end, offline alone: the feed button, or a printer that did not
 * answer, which is printed to as before status requests existed).
 */
export function holdCode(condition: PrinterCondition): string | undefined {
  if (condition.kind !== 'answered') return undefined;
  if (condition.paperOut) return 'printer_paper_out';
  if (condition.coverOpen) return 'printer_cover_open';
  if (condition.error) return 'printer_fault';
  return undefined;
}

const STATUS_LINES: Record<string, string> = {
  printer_paper_out: 'Printer: paper out',
  printer_cover_open: 'Printer: cover open',
  printer_fault: 'Printer: error',
  printer_offline: 'Printer: offline',
  printer_timeout: 'Printer: no reply',
  printer_connection_lost: 'Printer: link lost',
  printer_permission_denied: 'Printer: no access',
  printer_busy: 'Printer: busy',
  interrupted: 'Check last print',
  print_payload_invalid: 'Print job invalid',
  print_kind_unknown: 'Print job invalid',
};

/** The status line of a failed job's code. */
export function statusLine(code: string): string {
  const bare = code.startsWith(MAYBE_PRINTED) ? code.slice(MAYBE_PRINTED.length) : code;
  return STATUS_LINES[bare] ?? 'Printer: error';
}
