/**
 * The emulator's internal records for the Paysera Wallet API. Views (views.ts) turn them into the
 * documented JSON; nothing here is sent as is.
 */

/** `open` is rendered as `opened` or `open`, per the emulator option (docs/apis.md#paysera-wallet-spots). */
export type SpotState = 'closed' | 'waiting' | 'open';

export type TransactionStatus = 'new' | 'waiting' | 'reserved' | 'confirmed' | 'rejected' | 'revoked' | 'deleted' | 'failed';

export const TRANSACTION_STATUSES: readonly TransactionStatus[] = ['new', 'waiting', 'reserved', 'confirmed', 'rejected', 'revoked', 'deleted', 'failed'];

/** How a transaction was reserved (docs/apis.md#paysera-wallet-statuses). */
export type TransactionType = 'automatic' | 'page' | 'flash' | 'pin' | 'reservation_code' | 'mobile_app';

export const TRANSACTION_TYPES: readonly TransactionType[] = ['automatic', 'page', 'flash', 'pin', 'reservation_code', 'mobile_app'];

export interface SpotRecord {
  readonly id: number;
  readonly locationId: number;
  /** As registered (lower-cased, like the documented `TABLE1` -> `table1`). */
  readonly identifier: string;
  state: SpotState;
  /** Customers checked in here now. */
  readonly checkedIn: Set<string>;
  /** Orders of the current spot session (since the spot last left `closed`). */
  sessionOrderIds: number[];
  readonly createdAt: number;
}

export interface OrderRecord {
  readonly id: number;
  readonly spotId: number;
  transactionKey: string;
  /** Closed by the merchant's spot close or by deletion; otherwise status follows the transaction. */
  closed: boolean;
  deleted: boolean;
  readonly createdAt: number;
}

export interface PaymentRecord {
  readonly id: number;
  readonly transactionKey: string;
  readonly createdAt: number;
  /** Minor units. Lowered by a confirm with prices. */
  price: number;
  /** Changed only by the `alterAmount` fault or /_sim/ (a transaction altered behind the merchant's back). */
  currency: string;
  readonly description: string;
  /** Round-tripped as received. */
  readonly parameters?: unknown;
  /**
   * The payment's own status once it leaves its transaction's: `canceled` by DELETE /payment/:id
   * (a refund), `done` once settled (/_sim/, the end of the freeze period).
   */
  state?: 'canceled' | 'done';
}

export interface TransactionRecord {
  readonly key: string;
  readonly createdAt: number;
  status: TransactionStatus;
  /**
   * Set by /_sim/transactions/:key/hold: the transaction reads in a status no document lists
   * while its state machine stays where it was; any later customer step clears it.
   */
  undocumentedStatus?: string;
  type?: TransactionType;
  wallet?: number;
  confirmedAt?: number;
  locationId?: number;
  readonly projectId: number;
  readonly payments: PaymentRecord[];
  readonly reserve: { for: number } | { until: number };
  readonly autoConfirm: boolean;
  readonly useAllowance: boolean;
  readonly suggestAllowance: boolean;
  readonly redirectUri?: string;
  readonly callbackUri?: string;
}

export interface ReservationCodeRecord {
  readonly code: string;
  /** Minor units the payer can reserve with this code. */
  readonly balance: number;
  readonly wallet: number;
  readonly createdAt: number;
  /** The transaction it reserved; a code is single-use. */
  usedBy?: string;
}
