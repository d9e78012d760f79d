import type { DisplayMessages } from '../i18n/messages.js';
import type { Text } from './text.js';

/**
 * Every failure staff can meet, as one short line that says what happened or what to do, in the
 * terminal's language (the `errors`, `printer`, `declines` and `cancelReasons` sections of the
 * language table). The key is always a stable error code (EngineError, DeviceError, a UiActions
 * rejection), never the error's message: messages are for logs and may change.
 */

/** Anything thrown that carries a stable code (EngineError, DeviceError, CodedError). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function byCode<T extends object>(table: T, code: string): Text | undefined {
  return Object.hasOwn(table, code) && code !== 'other' ? (table as Record<string, Text>)[code] : undefined;
}

/** What to say when `error` stopped an action; unknown failures still get a line, never a trace. */
export function errorLine(error: unknown, t: DisplayMessages): Text {
  const code = errorCode(error);
  if (code !== undefined) {
    const known = byCode(t.errors, code) ?? byCode(t.printer, code);
    if (known !== undefined) return known;
    if (code.startsWith('printer_')) return t.printer.other;
  }
  return t.errors.other;
}

/** The printer's problem as the idle warning and status page show it. */
export function printerLine(code: string, t: DisplayMessages): Text {
  return byCode(t.printer, code) ?? t.printer.other;
}

/** Why a reservation code was declined (reserve error codes of the Paysera Wallet API). */
export function declineLine(reason: string | undefined, t: DisplayMessages): Text {
  return (reason === undefined ? undefined : byCode(t.declines, reason)) ?? t.declines.other;
}

/**
 * Why a sale ended cancelled. A staff cancel (reason `staff`, or the state machine's default
 * `cancelled`) needs no explanation; an order Paysera refused is `order_refused:<code>`; an
 * expired transaction says so; anything else came from the customer's side (the transaction was
 * rejected or cancelled in the app).
 */
const STAFF_CANCEL_REASONS = ['staff', 'cancelled'];

export function cancelReasonLine(reason: string | undefined, t: DisplayMessages, currency?: string, table?: string): Text | undefined {
  if (reason === undefined || cancelledByStaff(reason)) return undefined;
  // Several counters (docs/configuration.md#several-counters): the table went to another till.
  if (reason === 'busy_elsewhere') return t.cancelReasons.busyElsewhere(table ?? 'Table');
  if (reason === 'closed_elsewhere') return t.cancelReasons.closedElsewhere;
  if (reason === 'customer_left') return t.cancelReasons.customerLeft;
  if (reason.startsWith('order_refused')) return t.cancelReasons.orderRefused;
  // Centrapay's merchant config takes no payment in this currency (403 NO_AVAILABLE_PAYMENT_OPTIONS).
  if (reason === 'create_failed:no_available_payment_options' && currency !== undefined) return t.cancelReasons.currencyNotAccepted(currency);
  // Centrapay refused to create the payment request (key, config, no payment options).
  if (reason.startsWith('create_failed')) return t.cancelReasons.centrapayRefused;
  // The terminal's setup (paysera.reservationCodeField), not the customer's code.
  if (reason.startsWith('config:')) return t.cancelReasons.setupCodeField;
  if (reason === 'expired') return t.cancelReasons.expired;
  return t.cancelReasons.customer;
}

/** Whether staff cancelled (else the customer, Paysera or Centrapay ended the sale). */
export function cancelledByStaff(reason: string | undefined): boolean {
  return reason === undefined || STAFF_CANCEL_REASONS.includes(reason);
}

/**
 * Why a sale needs a person, as one line: the stable code before the first colon of its reason
 * (`amount_mismatch: ...`, `unknown_status:...`); anything else is "ask manager".
 */
export function needsHumanLine(reason: string | undefined, t: DisplayMessages): Text {
  const code = reason?.split(':')[0];
  if (code === 'amount_mismatch') return t.progress.amountMismatch;
  if (code === 'unknown_status') return t.progress.statusUnclear;
  return t.progress.askManager;
}
