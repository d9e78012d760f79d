import type { OrderRecord, PaymentRecord, SpotRecord, SpotState, TransactionRecord, TransactionStatus } from './records.js';

/** The JSON shapes of reference §6, built from records. Optional fields are omitted, never null. */

export type OpenSpotStatus = 'opened' | 'open';

export interface PlaceInfoView {
  title: string;
  description?: string;
  address?: string;
  location_id: number;
}

export interface LocationInfo {
  title: string;
  description?: string;
  address?: string;
}

export interface OrderView {
  id: number;
  transaction_key: string;
  status: 'pending' | 'reserved' | 'confirmed' | 'closed';
}

export interface SpotView {
  id: number;
  status: string;
  identifier: string;
  place_info: PlaceInfoView;
  orders?: OrderView[];
}

export interface PaymentView {
  id: number;
  transaction_key: string;
  created_at: number;
  status: string;
  price: number;
  currency: string;
  price_decimal: string;
  description: string;
  parameters?: unknown;
  wallet?: number;
  confirmed_at?: number;
}

export interface TransactionView {
  transaction_key: string;
  created_at: number;
  status: TransactionStatus;
  type?: string;
  wallet?: number;
  confirmed_at?: number;
  project_id: number;
  location_id?: number;
  reserve: { for: number } | { until: number };
  auto_confirm: boolean;
  use_allowance: boolean;
  suggest_allowance: boolean;
  redirect_uri?: string;
  callback_uri?: string;
  payments: PaymentView[];
}

export function spotStatusName(state: SpotState, open: OpenSpotStatus): string {
  return state === 'open' ? open : state;
}

export function placeInfo(locationId: number, location: LocationInfo | undefined): PlaceInfoView {
  const info: PlaceInfoView = { title: location?.title ?? `Location ${locationId}`, location_id: locationId };
  if (location?.description !== undefined) info.description = location.description;
  if (location?.address !== undefined) info.address = location.address;
  return info;
}

/** Order status follows its transaction (seed 001 "Meaning of order status codes"). */
export function orderStatus(order: OrderRecord, transaction: TransactionRecord | undefined): OrderView['status'] {
  if (order.closed || transaction === undefined) return 'closed';
  switch (transaction.status) {
    case 'new':
    case 'waiting':
      return 'pending';
    case 'reserved':
      return 'reserved';
    case 'confirmed':
      return 'confirmed';
    default:
      return 'closed';
  }
}

export function orderView(order: OrderRecord, transaction: TransactionRecord | undefined): OrderView {
  return { id: order.id, transaction_key: order.transactionKey, status: orderStatus(order, transaction) };
}

export function spotView(spot: SpotRecord, open: OpenSpotStatus, location: LocationInfo | undefined, orders: OrderView[] | undefined): SpotView {
  const view: SpotView = { id: spot.id, status: spotStatusName(spot.state, open), identifier: spot.identifier, place_info: placeInfo(spot.locationId, location) };
  if (orders !== undefined && orders.length > 0) view.orders = orders;
  return view;
}

/** Two decimals, as Paysera's Money assumes (reference §11). */
export function priceDecimal(price: number): string {
  return `${Math.floor(price / 100)}.${String(price % 100).padStart(2, '0')}`;
}

function paymentStatus(status: TransactionStatus): string {
  return status === 'waiting' ? 'waiting' : status;
}

export function paymentView(payment: PaymentRecord, transaction: TransactionRecord): PaymentView {
  const view: PaymentView = {
    id: payment.id,
    transaction_key: payment.transactionKey,
    created_at: payment.createdAt,
    status: paymentStatus(transaction.status),
    price: payment.price,
    currency: payment.currency,
    price_decimal: priceDecimal(payment.price),
    description: payment.description,
  };
  if (payment.parameters !== undefined) view.parameters = payment.parameters;
  if (transaction.wallet !== undefined) view.wallet = transaction.wallet;
  if (transaction.confirmedAt !== undefined) view.confirmed_at = transaction.confirmedAt;
  return view;
}

export function transactionView(tx: TransactionRecord): TransactionView {
  const view: TransactionView = {
    transaction_key: tx.key,
    created_at: tx.createdAt,
    status: tx.status,
    project_id: tx.projectId,
    reserve: { ...tx.reserve },
    auto_confirm: tx.autoConfirm,
    use_allowance: tx.useAllowance,
    suggest_allowance: tx.suggestAllowance,
    payments: tx.payments.map((p) => paymentView(p, tx)),
  };
  if (tx.type !== undefined) view.type = tx.type;
  if (tx.wallet !== undefined) view.wallet = tx.wallet;
  if (tx.confirmedAt !== undefined) view.confirmed_at = tx.confirmedAt;
  if (tx.locationId !== undefined) view.location_id = tx.locationId;
  if (tx.redirectUri !== undefined) view.redirect_uri = tx.redirectUri;
  if (tx.callbackUri !== undefined) view.callback_uri = tx.callbackUri;
  return view;
}
