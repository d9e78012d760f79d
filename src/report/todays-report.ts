import type { PrintSpooler } from '../printing/print-spooler.js';
import type { Store } from '../store/store.js';
import type { PrintJob } from '../store/types.js';
import { buildDayReport, reportJobPayload } from './day-report.js';
import { localDayOf } from './local-day.js';

export interface TodaysReport {
  /** The terminal's wall clock now: it picks the day and is printed as the report's time. */
  readonly wallMs: number;
  /** IANA zone whose calendar day is "today" (ui.timeZone, else the system's). */
  readonly timeZone: string;
  /** False while the wall clock is not known to be right: the printed time is marked. */
  readonly clockSynced: boolean;
  /** The terminal (config terminal.name), printed in the header. */
  readonly terminalName?: string | undefined;
}

/**
 * The menu's day report: what closed today, from the journal alone (no API calls), enqueued as
 * one `report` print job. It prints through the spooler like every other print: journaled
 * first, claimed before the printer is touched, never printed twice by itself.
 */
export function printTodaysReport(store: Store, spooler: Pick<PrintSpooler, 'printReport'>, at: TodaysReport): PrintJob {
  const report = buildDayReport(store, localDayOf(at.wallMs, at.timeZone), at.timeZone);
  return spooler.printReport(reportJobPayload(report, Math.round(at.wallMs), at.clockSynced, at.terminalName));
}
