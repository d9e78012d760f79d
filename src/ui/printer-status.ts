import type { SpoolerStatus } from '../printing/print-failures.js';
import type { PrinterStatus } from './ui-state.js';

/** The print spooler's status as the idle screen and the status page show it. */
export function printerStatusOf(status: SpoolerStatus): PrinterStatus {
  if (status.state === 'error') return { state: 'problem', code: status.code ?? 'printer_error' };
  return { state: 'ok', ...(status.paper === undefined ? {} : { paper: status.paper }), ...(status.printed === undefined ? {} : { printed: status.printed }) };
}
