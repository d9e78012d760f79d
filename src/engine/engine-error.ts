import { CodedError } from '../platform/coded-error.js';

export type EngineErrorCode =
  | 'table_unknown'
  /** A table of `paysera.otherTables`: another terminal sells it. */
  | 'table_other_till'
  | 'table_not_waiting'
  | 'table_busy'
  | 'invalid_amount'
  | 'invalid_code'
  | 'sale_not_found'
  | 'wrong_sale_kind'
  | 'wrong_sale_state'
  | 'cancel_too_late'
  | 'not_configured'
  /** The sale is not (yet) a paid, finished sale: nothing to refund. */
  | 'not_refundable'
  /** The sale has a refund already (taken, under way or with a person): nothing is sent. */
  | 'already_refunded'
  | 'not_started';

/** What the engine refuses; the UI turns `code` into one short line for staff. */
export class EngineError extends CodedError {
  declare readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(code, message);
  }
}
