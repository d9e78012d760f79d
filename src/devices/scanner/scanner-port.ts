import type { DeviceError } from '../device-error.js';
import type { Unsubscribe } from '../../platform/listeners.js';

/** What a scanned code is, decided once by `classifyScan` (scan-classifier.ts). */
export type ScanClassification =
  /** A Paysera Scan and Pay table code `PAYSERA*{locationId}:{identifier}`. */
  | { kind: 'paysera-spot'; code: string; locationId: number; identifier: string; ours: boolean }
  /** A Paysera reservation code shown by the customer's app: digits only. */
  | { kind: 'paysera-reservation'; code: string }
  /** A Centrapay payment-request URL (https, centrapay.com host). */
  | { kind: 'centrapay-url'; url: string; paymentRequestId: string | null }
  | { kind: 'unknown' };

export interface Scan {
  /** The scanned text: valid UTF-8, no control characters, surrounding whitespace trimmed. */
  readonly text: string;
  readonly classification: ScanClassification;
  /** Monotonic time (Clock.monoMs) the line was complete. */
  readonly atMonoMs: number;
}

export type ScannerState = 'stopped' | 'connecting' | 'connected' | 'disconnected';

/**
 * A line the scanner sent that is not a scan: longer than the limit (`too_long`), not valid UTF-8,
 * with control characters (NUL included) or with an ANSI escape sequence (ESC). Only its kind
 * and length: its content may be anything a device or an attacker sends, and never leaves here.
 */
export interface ScanReject {
  readonly kind: 'too_long' | 'invalid_utf8' | 'control_chars' | 'ansi_escape';
  /** The whole line's length in bytes, without its line end (counted even when discarded). */
  readonly lengthBytes: number;
  /** Monotonic time (Clock.monoMs) the line ended. */
  readonly atMonoMs: number;
}

/**
 * A barcode/QR scanner that delivers one code per line.
 *
 * Contract:
 * - The constructor only stores options. `start()` begins reading and resolves once the first
 *   connection attempt has been made; it does not reject because the device is missing: the
 *   adapter keeps trying (with backoff) and reports through `onProblem` and `onState`.
 * - Lines end with CR, LF or CRLF. Each complete, valid line becomes exactly one `onScan` call.
 *   Empty lines are ignored silently.
 * - A line that is not a scan becomes exactly one `onReject` call when it ends, never a scan: a
 *   line longer than the configured limit (discarded as it arrives, counted up to its line end,
 *   so memory stays bounded even when a device sends megabytes), invalid UTF-8, control
 *   characters, an ANSI escape sequence. The reject carries the kind and length, never the
 *   content.
 * - Nothing the device sends and no failure of the device throws into the caller: every problem
 *   arrives as a `DeviceError` (stable `code`) on `onProblem`. A listener that throws is reported
 *   as `scanner_listener_failed` and does not stop the scanner.
 * - After an unplug the adapter reconnects by itself; partial data from before the unplug is
 *   dropped.
 * - `stop()` stops reading, cancels pending reconnects, closes the device and resolves when it is
 *   closed. No event is emitted after `stop()` resolves. `start()` after `stop()` is allowed.
 */
export interface ScannerPort {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): ScannerState;
  onScan(listener: (scan: Scan) => void): Unsubscribe;
  onReject(listener: (reject: ScanReject) => void): Unsubscribe;
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
  onState(listener: (state: ScannerState) => void): Unsubscribe;
}
