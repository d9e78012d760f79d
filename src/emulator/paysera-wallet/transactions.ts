import { badParameters, HttpError, invalidState } from '../http-error.js';
import { isPlainObject } from '../exchange.js';
import { paginate, type Page, type PageMetadata } from '../pagination.js';
import type { AmountAlteration } from '../amount-alteration.js';
import type { TransactionRecord, TransactionStatus, TransactionType } from './records.js';
import type { TransactionDraft } from './transaction-body.js';
import { phantomTransactionView, transactionView, type TransactionView } from './wallet-views.js';
import type { WalletStore } from './wallet-store.js';

/**
 * The merchant's side of transactions and their state machine (docs/apis.md#paysera-wallet-statuses):
 * create, reserve with a code, confirm, revoke, list. Each step validates completely before it
 * changes anything, so a thrown HttpError means "not applied".
 */

export interface TransactionFilter {
  statuses?: TransactionStatus[];
  from?: number;
  to?: number;
  locationId?: number;
}

export function insertTransaction(store: WalletStore, draft: TransactionDraft, locationId: number | undefined): TransactionRecord {
  const key = store.newTransactionKey();
  const createdAt = store.now();
  const tx: TransactionRecord = {
    key,
    createdAt,
    status: 'new',
    projectId: store.projectId,
    payments: draft.payments.map((p) => {
      const payment = { id: store.newPaymentId(), transactionKey: key, createdAt, price: p.price, currency: p.currency, description: p.description };
      return p.parameters === undefined ? payment : { ...payment, parameters: p.parameters };
    }),
    reserve: draft.reserve,
    autoConfirm: draft.autoConfirm,
    useAllowance: draft.useAllowance,
    suggestAllowance: draft.suggestAllowance,
    ...(draft.redirectUri === undefined ? {} : { redirectUri: draft.redirectUri }),
    ...(draft.callbackUri === undefined ? {} : { callbackUri: draft.callbackUri }),
  };
  if (locationId !== undefined) tx.locationId = locationId;
  store.transactions.set(key, tx);
  return tx;
}

/**
 * PUT /transaction/:key/reserve {"reservation_code"} (or {"code"} under the variation
 * `reservation-code-field-code`): the terminal reserves with a code the customer showed. A
 * body without that field, or with the other spelling, is 400 invalid_parameters naming the
 * field in `errors` and `error_properties`, as Paysera's REST framework reports violations.
 */
export function reserveWithCode(store: WalletStore, key: string, body: unknown, alteration?: AmountAlteration): TransactionView {
  const tx = store.requireTransaction(key);
  const field = store.reservationCodeField;
  const value = isPlainObject(body) ? body[field] : undefined;
  if (typeof value !== 'string' || value === '') throw fieldViolation(field, 'This value should not be blank.');
  const other = field === 'code' ? 'reservation_code' : 'code';
  if (isPlainObject(body) && body[other] !== undefined) throw fieldViolation(other, 'This field was not expected.');
  requireReservable(tx);
  const code = store.codes.get(value);
  if (code === undefined) throw badParameters('Reservation code is invalid');
  if (code.usedBy !== undefined) throw badParameters('Reservation code was already used');
  // The HTTP status of reserve-time business errors is undocumented (docs/apis.md#paysera-wallet-errors); 400 is ours.
  if (totalPrice(tx) > code.balance) throw new HttpError(400, 'not_enough_funds', 'Not enough funds');
  code.usedBy = tx.key;
  if (alteration !== undefined) alterPayments(tx, alteration);
  reserve(store, tx, code.wallet, 'reservation_code');
  return transactionView(tx);
}

/**
 * PUT /transaction/:key/confirm. Body: none, `[]`, `{}`, or `{"<paymentId>": {"price": n,
 * "currency": "EUR"}}` to lower amounts (never raise).
 */
export function confirm(store: WalletStore, key: string, body: unknown): TransactionView {
  const tx = store.requireTransaction(key);
  if (tx.status !== 'reserved') throw invalidState(`Transaction is ${tx.status}, only a reserved transaction can be confirmed`);
  const newPrices = new Map<number, number>();
  if (isPlainObject(body)) {
    for (const [paymentId, change] of Object.entries(body)) {
      const payment = tx.payments.find((p) => String(p.id) === paymentId);
      if (payment === undefined) throw badParameters(`Unknown payment ${paymentId}`);
      if (!isPlainObject(change) || typeof change.price !== 'number' || !Number.isSafeInteger(change.price) || change.price < 0) {
        throw badParameters(`Price for payment ${paymentId} must be a non-negative integer`);
      }
      if (change.currency !== undefined && change.currency !== payment.currency) throw badParameters(`Currency for payment ${paymentId} must be ${payment.currency}`);
      if (change.price > payment.price) throw badParameters(`Price for payment ${paymentId} can only be lowered`);
      newPrices.set(payment.id, change.price);
    }
  } else if (!(body === undefined || (Array.isArray(body) && body.length === 0))) {
    throw badParameters('Confirm body must be empty or an object of payment prices');
  }
  for (const payment of tx.payments) payment.price = newPrices.get(payment.id) ?? payment.price;
  tx.status = 'confirmed';
  tx.confirmedAt = store.now();
  return transactionView(tx);
}

/** DELETE /transaction/:key: a `new` transaction is deleted, a waiting or reserved one revoked (docs/apis.md#paysera-wallet-statuses). */
export function revoke(store: WalletStore, key: string): TransactionView {
  const tx = store.requireTransaction(key);
  if (tx.status === 'new') tx.status = 'deleted';
  else if (tx.status === 'waiting' || tx.status === 'reserved') tx.status = 'revoked';
  else throw invalidState(`Transaction is ${tx.status}`);
  return transactionView(tx);
}

export function listTransactions(store: WalletStore, filter: TransactionFilter, page: Page): { transactions: TransactionView[]; _metadata: PageMetadata } {
  const all = [...store.transactions.values()]
    .filter(
      (t) =>
        (filter.statuses === undefined || filter.statuses.includes(t.status)) &&
        (filter.from === undefined || t.createdAt >= filter.from) &&
        (filter.to === undefined || t.createdAt <= filter.to) &&
        (filter.locationId === undefined || t.locationId === filter.locationId),
    )
    .map(transactionView);
  // Variation `unknown-statuses`: a transaction in a status no document lists is part of every answer.
  if (store.options.variations.has('unknown-statuses')) all.push(phantomTransactionView(store.projectId, store.now()));
  const { items, metadata } = paginate(all, page);
  return { transactions: items, _metadata: metadata };
}

/** new/waiting -> reserved, or straight to confirmed with auto_confirm. */
export function reserve(store: WalletStore, tx: TransactionRecord, wallet: number, type: TransactionType): void {
  tx.status = tx.autoConfirm ? 'confirmed' : 'reserved';
  tx.type = type;
  tx.wallet = wallet;
  if (tx.autoConfirm) tx.confirmedAt = store.now();
}

export function requireReservable(tx: TransactionRecord): void {
  if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}, only new or waiting can be reserved`);
}

/** Moves the first payment's amount (never below one minor unit) and/or changes the currency of every payment. */
export function alterPayments(tx: TransactionRecord, alteration: AmountAlteration): void {
  const [first] = tx.payments;
  if (first !== undefined) first.price = Math.max(1, first.price + alteration.deltaMinor);
  if (alteration.currency !== undefined) for (const payment of tx.payments) payment.currency = alteration.currency;
}

/** 400 invalid_parameters naming `field` as a violation (`errors[].field`) and a property (`error_properties`). */
function fieldViolation(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_parameters', `${field}: ${message}`, {}, { errors: [{ code: 'invalid', message, field }], error_properties: { [field]: [message] } });
}

function totalPrice(tx: TransactionRecord): number {
  return tx.payments.reduce((sum, p) => sum + p.price, 0);
}
