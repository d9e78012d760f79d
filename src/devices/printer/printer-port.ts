/** What a printout is; `copy` is a reprinted receipt (marked COPY), named apart in file:DIR output. */
export type PrintoutKind = 'receipt' | 'copy' | 'table-card' | 'centrapay-slip' | 'refund-slip' | 'day-report' | 'test';

/**
 * One printout: ESC/POS bytes for exactly one document, with the id of the print job (the
 * journal's row, store PrintJob) it was rendered from.
 */
export interface Printout {
  /** Unique per document; a retry of the same document keeps the same id. */
  readonly id: string;
  readonly kind: PrintoutKind;
  readonly bytes: Buffer;
}

/**
 * What the printer says of itself when asked (ESC/POS DLE EOT, realtime-status.ts):
 * - `not_checked`: the transport cannot read from the printer (`file:`, a capture);
 * - `unknown`: it can, but no valid answer came within the deadline (many cheap printers ignore
 *   DLE EOT; a printer that cannot be reached at all is one too: sending will say why);
 * - `answered`: what its sensors report.
 */
export type PrinterCondition =
  | { readonly kind: 'not_checked' }
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'answered';
      readonly paperOut: boolean;
      readonly paperNearEnd: boolean;
      readonly coverOpen: boolean;
      /** An autocutter, mechanical or other error: the printer will not print until it is cleared. */
      readonly error: boolean;
      /** Offline for any reason, the feed button included: alone, no reason to hold a job. */
      readonly offline: boolean;
    };

/**
 * A way to get bytes to the printer (usblp device file, TCP 9100, serial, a directory).
 *
 * Contract:
 * - The constructor only stores options; `start()` checks what can be checked without printing
 *   (nothing for most transports) and `stop()` waits for a job in progress and releases the device.
 * - `send(job)` delivers the job's bytes once. It NEVER retries on its own: a failure rejects
 *   with a `DeviceError` whose code says what happened, and the spooler decides (it shows the
 *   problem and later sends the same job again):
 *     printer_offline        device missing, unplugged, connection refused; nothing was printed
 *     printer_paper_out      the device reported paper out (usblp ENOSPC)
 *     printer_timeout        the device did not take the bytes in time; `ambiguous` (part may be printed)
 *     printer_connection_lost  the link broke in the middle of the job; `ambiguous`
 *     printer_permission_denied  the service user may not open the device (group lp/dialout, udev)
 *     printer_busy           another job is still in progress on this transport
 *     printer_job_already_sent  this job id was already delivered successfully by this transport
 *     printer_write_failed   anything else
 *   `retryable` is true for all but permission and already-sent.
 * - Jobs are delivered one at a time, in the order `send` is called.
 * - `condition()` asks the printer for its real-time status (DLE EOT) where the transport can
 *   read its answer (serial, tcp, usblp), in turn with the jobs, never in the middle of one. It
 *   never rejects and settles within a short deadline (default 500 ms for the answer): no answer,
 *   a device that cannot be opened, or bytes that are no DLE EOT answer are `unknown`; a
 *   write-only transport is `not_checked`, without any I/O.
 */
export interface PrinterPort {
  /** For logs and the status screen, e.g. "usblp /dev/usb/lp0". */
  readonly description: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(job: Printout): Promise<void>;
  /** Absent on a printer that cannot be asked (a preview): the same as `not_checked`. */
  condition?(): Promise<PrinterCondition>;
}
