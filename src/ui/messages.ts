import type { Text } from './text.js';

/**
 * Every failure staff can meet, as one short line that says what happened or what to do. The
 * key is always a stable error code (EngineError, DeviceError, a UiActions rejection), never the
 * error's message: messages are for logs and may change. Each entry lists variants from the
 * 20-column wording down to one that fits 16 columns.
 */

/** Anything thrown that carries a stable code (EngineError, DeviceError, CodedError). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

const ENGINE_ERRORS: Record<string, Text> = {
  table_unknown: ['No such table', 'Unknown table'],
  table_not_waiting: ['No customer at table', 'No customer'],
  table_busy: ['Table already paying', 'Table is busy'],
  invalid_amount: ['Amount not accepted', 'Bad amount'],
  invalid_code: ['Not a payment code', 'Not a pay code'],
  sale_not_found: ['Sale not found', 'No such sale'],
  wrong_sale_kind: ['Not for this sale', 'Not possible'],
  wrong_sale_state: ['Not possible now', 'Not possible'],
  cancel_too_late: ['Too late: paying', 'Too late: paying'],
  not_started: ['Starting - wait', 'Starting - wait'],
  no_receipt: ['No receipt to copy', 'No receipt yet'],
  no_tables: ['No tables in config', 'No tables set up'],
};

const PRINTER_ERRORS: Record<string, Text> = {
  printer_paper_out: ['Printer: paper out', 'Printer no paper'],
  printer_offline: ['Printer: offline', 'Printer offline'],
  printer_connection_lost: ['Printer: check cable', 'Printer: cable?'],
  printer_timeout: ['Printer: no reply', 'Printer no reply'],
  printer_permission_denied: ['Printer: no access', 'Printer: access'],
  printer_write_failed: ['Printer: write error', 'Printer failed'],
};

/** What to say when `error` stopped an action; unknown failures still get a line, never a trace. */
export function errorLine(error: unknown): Text {
  const code = errorCode(error);
  if (code !== undefined) {
    const known = ENGINE_ERRORS[code] ?? PRINTER_ERRORS[code];
    if (known !== undefined) return known;
    if (code.startsWith('printer_')) return ['Printer: check it', 'Printer: check'];
  }
  return ['Failed - try again', 'Error: try again'];
}

/** The printer's problem as the idle warning and status page show it. */
export function printerLine(code: string): Text {
  return PRINTER_ERRORS[code] ?? ['Printer: check it', 'Printer: check'];
}

/**
 * Why a reservation code was declined (reserve error codes of the Paysera Wallet API, see
 * src/domain/reserve-errors.ts). The customer acts on this, so it names the cause.
 */
const DECLINE_REASONS: Record<string, Text> = {
  not_enough_funds: ['Code declined: funds', 'Declined: funds'],
  limits_exceeded: ['Code declined: limit', 'Declined: limit'],
  restriction_limits_exceeded: ['Code declined: limit', 'Declined: limit'],
  no_rights: ['Declined: no rights', 'Declined: rights'],
  restriction_violation: ['Code declined: rules', 'Declined: rules'],
  client_restricted: ['Declined: blocked', 'Payer blocked'],
  client_not_verified: ['Declined: unverified', 'Not verified'],
  payment_to_same_account: ['Declined: own acct', 'Own account'],
  payer_account_inactive: ['Payer acct inactive', 'Account inactive'],
  beneficiary_account_inactive: ['Declined: our acct', 'Our acct closed'],
  invalid_code: ['Bad code: scan new', 'Bad code'],
  invalid_parameters: ['Bad code: scan new', 'Bad code'],
  not_found: ['Unknown code: new', 'Unknown code'],
};

export function declineLine(reason: string | undefined): Text {
  if (reason !== undefined) {
    const known = DECLINE_REASONS[reason];
    if (known !== undefined) return known;
  }
  return ['Code declined', 'Declined'];
}

/**
 * Why a sale ended cancelled. A staff cancel (reason `staff`, or the state machine's default
 * `cancelled`) needs no explanation; an order Paysera refused is `order_refused:<code>`; an
 * expired transaction says so; anything else came from the customer's side (the transaction was
 * rejected or cancelled in the app).
 */
const STAFF_CANCEL_REASONS = ['staff', 'cancelled'];

export function cancelReasonLine(reason: string | undefined): Text | undefined {
  if (reason === undefined || STAFF_CANCEL_REASONS.includes(reason)) return undefined;
  if (reason.startsWith('order_refused')) return ['Order refused', 'Order refused'];
  // Centrapay refused to create the payment request (key, config, no payment options).
  if (reason.startsWith('create_failed')) return ['Centrapay refused', 'Refused'];
  if (reason === 'expired') return ['Payment expired', 'Payment expired'];
  return ['Customer declined', 'Customer said no'];
}
