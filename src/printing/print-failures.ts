/**
 * What a failed print job's stored code means: whether the job may be on paper (never printed
 * again by itself), whether a restart may try it again, and the line staff see about it. The
 * spooler writes these codes; `counterpay queue` reads them back.
 */

/** The spooler's view of the printer, for the idle screen. */
export interface SpoolerStatus {
  readonly state: 'ok' | 'error';
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

const STATUS_LINES: Record<string, string> = {
  printer_paper_out: 'Printer: paper out',
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
