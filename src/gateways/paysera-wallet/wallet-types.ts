/**
 * The Wallet API's objects as the rest of counterpay sees them: camelCase, money in minor units,
 * statuses from the documented sets plus `unknown` for any other (the raw value is kept). Built
 * only by the decoders in wallet-decoders.ts, which reject anything missing instead of defaulting.
 */

/** `open` and `opened` both mean "has orders" (the spec and its example disagree); kept apart in `rawStatus`. */
export type SpotStatus = 'closed' | 'waiting' | 'opened';

export interface Spot {
  id: number;
  /** `unknown`: a status no document lists (in `rawStatus`); lists leave such spots out. */
  status: SpotStatus | 'unknown';
  rawStatus: string;
  /** Only returned to the owning client. */
  identifier: string | undefined;
  locationId: number | undefined;
  title: string | undefined;
  orders: Order[];
}

export type OrderStatus = 'pending' | 'reserved' | 'confirmed' | 'closed';

export interface Order {
  id: number;
  transactionKey: string;
  status: OrderStatus | 'unknown';
  transaction: Transaction | undefined;
}

export const TRANSACTION_STATUSES = [
  'new',
  'waiting',
  'waiting_funds',
  'waiting_registration',
  'waiting_password',
  'reserved',
  'confirmed',
  'rejected',
  'revoked',
  'failed',
  'deleted',
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export interface Payment {
  id: number;
  /** Minor units. */
  price: number;
  currency: string;
  priceDecimal: string | undefined;
  description: string | undefined;
  parameters: Record<string, unknown> | undefined;
  status: string | undefined;
}

export interface Transaction {
  key: string;
  /**
   * `unknown`: a status no document lists, kept in `rawStatus`. Never a decision by itself: the
   * engine keeps waiting, and a person decides at the sale's deadline.
   */
  status: TransactionStatus | 'unknown';
  rawStatus: string;
  createdAt: number | undefined;
  type: string | undefined;
  wallet: number | undefined;
  confirmedAt: number | undefined;
  locationId: number | undefined;
  projectId: number | undefined;
  payments: Payment[];
}

/** What we send to create a transaction (alone, or inside an order). */
export interface CreateTransactionInput {
  payments: {
    description: string;
    /** Minor units. */
    price: number;
    currency: string;
    /** Free object echoed back in responses; carries our sale id so an unknown create can be found again. */
    parameters?: Record<string, string | number>;
  }[];
  /** Hold the reservation for this many seconds. */
  reserveForSeconds?: number;
  /** Never true for counterpay: paid means WE confirmed. */
  autoConfirm?: boolean;
  /** false: no callback (a Pi behind NAT cannot receive one). */
  callbackUri?: string | false;
  redirectUri?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}
