import { badParameters, invalidState } from '../http-error.js';
import type { AmountAlteration } from '../amount-alteration.js';
import type { ReservationCodeRecord, TransactionType } from './records.js';
import { alterPayments, requireReservable, reserve } from './transactions.js';
import { transactionView, UNDOCUMENTED_TRANSACTION_STATUS, type TransactionView } from './wallet-views.js';
import type { WalletStore } from './wallet-store.js';

/**
 * The simulated customer's side of the wallet world, what /_sim/ exposes: paying, accepting,
 * failing or declining in the app, the changes made behind the merchant's back, and the
 * reservation codes the app shows.
 */

export const DEFAULT_CUSTOMER = 'customer-1';
/** Spot sessions of MAC-signed customer calls belong to this pseudo customer per mac id. */
export const macCustomer = (macId: string): string => `mac:${macId}`;

export interface CustomerReserveOptions {
  customer?: string;
  /** Payer wallet id; default: the customer's own wallet. */
  wallet?: number;
  type?: TransactionType;
}

export interface IssueCodeOptions {
  /** Minor units the code can reserve. */
  balance: number;
  wallet?: number;
  length?: number;
}

/** The customer accepts and pays in their app: new/waiting -> reserved (confirmed with auto_confirm). */
export function customerReserve(store: WalletStore, key: string, options: CustomerReserveOptions): TransactionView {
  const tx = store.requireTransaction(key);
  requireReservable(tx);
  delete tx.undocumentedStatus;
  const wallet = options.wallet ?? store.walletOf(options.customer ?? DEFAULT_CUSTOMER);
  reserve(store, tx, wallet, options.type ?? 'mobile_app');
  return transactionView(tx);
}

/** The customer opened the transaction but has not paid yet: new -> waiting. */
export function customerAccept(store: WalletStore, key: string): TransactionView {
  const tx = store.requireTransaction(key);
  if (tx.status !== 'new') throw invalidState(`Transaction is ${tx.status}, only new can become waiting`);
  delete tx.undocumentedStatus;
  tx.status = 'waiting';
  return transactionView(tx);
}

/** The payment ends unpaid: new/waiting -> failed (another reason than a decline) or rejected (the customer declines). */
export function customerEndUnpaid(store: WalletStore, key: string, status: 'failed' | 'rejected'): TransactionView {
  const tx = store.requireTransaction(key);
  if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
  delete tx.undocumentedStatus;
  tx.status = status;
  return transactionView(tx);
}

/**
 * The transaction is changed behind the merchant's back (Paysera's POS page warns that "the
 * transaction can be changed between reserving it and getting this information"): its first
 * payment's amount moves by `deltaMinor` and/or its currency changes. Status is untouched.
 */
export function alterAmount(store: WalletStore, key: string, alteration: AmountAlteration): TransactionView {
  const tx = store.requireTransaction(key);
  alterPayments(tx, alteration);
  return transactionView(tx);
}

/**
 * The transaction reads in a status no document lists (`on_hold`) until the customer's next
 * step (reserve, accept, reject, fail), which clears it; its state machine stays where it was.
 */
export function hold(store: WalletStore, key: string): TransactionView {
  const tx = store.requireTransaction(key);
  if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
  tx.undocumentedStatus = UNDOCUMENTED_TRANSACTION_STATUS;
  return transactionView(tx);
}

/** A single-use reservation code with a balance, as the customer's app would show it. */
export function issueReservationCode(store: WalletStore, options: IssueCodeOptions): ReservationCodeRecord {
  if (!Number.isSafeInteger(options.balance) || options.balance < 0) throw badParameters('balance must be a non-negative integer (minor units)');
  const length = options.length ?? store.options.reservationCodeLength ?? 28;
  if (!Number.isInteger(length) || length < 16 || length > 40) throw badParameters('length must be 16..40');
  if (options.wallet !== undefined && (!Number.isSafeInteger(options.wallet) || options.wallet <= 0)) throw badParameters('wallet must be a positive integer');
  let code: string;
  do {
    code = Array.from({ length }, () => String(Math.floor(store.random.next() * 10))).join('');
  } while (store.codes.has(code));
  const record: ReservationCodeRecord = { code, balance: options.balance, wallet: options.wallet ?? store.allocateWallet(), createdAt: store.now() };
  store.codes.set(code, record);
  return { ...record };
}
