import { badParameters, invalidState } from '../http-error.js';
import { isPlainObject } from '../exchange.js';
import type { AmountAlteration } from '../amount-alteration.js';
import type { OrderRecord, TransactionRecord } from './records.js';
import { parseTransactionBody, type TransactionDraft } from './transaction-body.js';
import { alterPayments, insertTransaction } from './transactions.js';
import { orderStatus, orderView, type OrderView } from './wallet-views.js';
import type { WalletStore } from './wallet-store.js';

/**
 * The merchant's orders at a spot: each points at a new transaction or an existing one, and a
 * transaction is attached to at most one order that is not closed.
 */

type TransactionSource = { draft: TransactionDraft } | { existing: TransactionRecord };

/** POST /spot/:id/order with `{"transaction_key"}` or `{"transaction": {...}}`; `alteration` from an alterAmount fault. */
export function createOrder(store: WalletStore, spotId: number, body: unknown, alteration?: AmountAlteration): OrderView {
  const spot = store.requireSpot(spotId);
  if (spot.state === 'closed') throw invalidState('Spot is closed');
  const source = orderTransactionSource(store, body, undefined);
  const tx = materialize(store, source, spot.locationId);
  if (alteration !== undefined) alterPayments(tx, alteration);
  const order: OrderRecord = { id: store.newOrderId(), spotId, transactionKey: tx.key, closed: false, deleted: false, createdAt: store.now() };
  store.orders.set(order.id, order);
  spot.sessionOrderIds.push(order.id);
  if (spot.state === 'waiting') spot.state = 'open';
  return orderView(order, tx);
}

export function getOrder(store: WalletStore, id: number): OrderView {
  const order = store.requireOrder(id);
  return orderView(order, store.transactions.get(order.transactionKey));
}

/** PUT /order/:id: points a pending order at another (or a new) transaction; the old one is left as it is. */
export function editOrder(store: WalletStore, id: number, body: unknown): OrderView {
  const order = store.requireOrder(id);
  if (orderStatus(order, store.transactions.get(order.transactionKey)) !== 'pending') throw invalidState('Only a pending order can be edited');
  const source = orderTransactionSource(store, body, order.id);
  const spot = store.requireSpot(order.spotId);
  const tx = materialize(store, source, spot.locationId);
  order.transactionKey = tx.key;
  return orderView(order, tx);
}

/** DELETE /order/:id: a pending or closed order goes away (later GETs are 404); a paid or reserved one cannot. */
export function deleteOrder(store: WalletStore, id: number): OrderView {
  const order = store.requireOrder(id);
  const status = orderStatus(order, store.transactions.get(order.transactionKey));
  if (status === 'reserved' || status === 'confirmed') throw invalidState(`Order is ${status}`);
  order.closed = true;
  order.deleted = true;
  const spot = store.spots.get(order.spotId);
  if (spot !== undefined) spot.sessionOrderIds = spot.sessionOrderIds.filter((o) => o !== id);
  return { id: order.id, transaction_key: order.transactionKey, status: 'closed' };
}

function orderTransactionSource(store: WalletStore, body: unknown, editingOrderId: number | undefined): TransactionSource {
  if (!isPlainObject(body)) throw badParameters('Body must be {"transaction_key": ...} or {"transaction": {...}}');
  const hasKey = body.transaction_key !== undefined;
  const hasTx = body.transaction !== undefined;
  if (hasKey === hasTx) throw badParameters('Provide exactly one of transaction_key and transaction');
  if (hasTx) return { draft: parseTransactionBody(body.transaction) };
  if (typeof body.transaction_key !== 'string') throw badParameters('transaction_key must be a string');
  const tx = store.transactions.get(body.transaction_key);
  if (tx === undefined) throw badParameters('No transaction with this transaction_key');
  if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
  const inUse = [...store.orders.values()].some((o) => o.id !== editingOrderId && !o.closed && o.transactionKey === tx.key);
  if (inUse) throw invalidState('Transaction already belongs to another order');
  return { existing: tx };
}

function materialize(store: WalletStore, source: TransactionSource, locationId: number): TransactionRecord {
  if ('draft' in source) return insertTransaction(store, source.draft, locationId);
  source.existing.locationId ??= locationId;
  return source.existing;
}
