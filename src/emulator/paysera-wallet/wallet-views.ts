import type { OrderRecord, PaymentRecord, SpotRecord, SpotState, TransactionRecord } from './records.js';

/** The JSON shapes of docs/apis.md#paysera-wallet-endpoints-and-shapes, built from records. Optional fields are omitted, never null. */

export type OpenSpotStatus = 'opened' | 'open';

export interface PlaceInfoView {
  title: string;
  description?: string;
  address?: string;
  /** "only if available" (docs/apis.md#paysera-wallet-endpoints-and-shapes); omitted under the variation `spots-without-location`. */
  location_id?: number;
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
  /** A documented TransactionStatus, or (variation `unknown-statuses`, /_sim/ hold) one no document lists. */
  status: string;
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

export function placeInfo(locationId: number, location: LocationInfo | undefined, withLocationId = true): PlaceInfoView {
  const info: PlaceInfoView = { title: location?.title ?? `Location ${locationId}` };
  if (withLocationId) info.location_id = locationId;
  if (location?.description !== undefined) info.description = location.description;
  if (location?.address !== undefined) info.address = location.address;
  return info;
}

/** Order status follows its transaction (docs/apis.md#paysera-wallet-statuses). */
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

export function spotView(spot: SpotRecord, open: OpenSpotStatus, location: LocationInfo | undefined, orders: OrderView[] | undefined, withLocationId = true): SpotView {
  const view: SpotView = {
    id: spot.id,
    status: spotStatusName(spot.state, open),
    identifier: spot.identifier,
    place_info: placeInfo(spot.locationId, location, withLocationId),
  };
  if (orders !== undefined && orders.length > 0) view.orders = orders;
  return view;
}

/** Two decimals, as Paysera's Money assumes (docs/apis.md#paysera-wallet-transactions). */
export function priceDecimal(price: number): string {
  return `${Math.floor(price / 100)}.${String(price % 100).padStart(2, '0')}`;
}

export function paymentView(payment: PaymentRecord, transaction: TransactionRecord): PaymentView {
  const view: PaymentView = {
    id: payment.id,
    transaction_key: payment.transactionKey,
    created_at: payment.createdAt,
    status: payment.state ?? transaction.undocumentedStatus ?? transaction.status,
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
  const status = tx.undocumentedStatus ?? tx.status;
  const view: TransactionView = {
    transaction_key: tx.key,
    created_at: tx.createdAt,
    status,
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

/** Statuses no Paysera document lists (variation `unknown-statuses`); `active` is what a PHP client test mock uses for a spot. */
export const UNDOCUMENTED_SPOT_STATUS = 'active';
export const UNDOCUMENTED_TRANSACTION_STATUS = 'on_hold';
/** Ids the emulator's own records never reach, so the phantom items below stay apart from them. */
export const PHANTOM_SPOT_ID = 900_001;
export const PHANTOM_TRANSACTION_KEY = 'UndocumentedStatusPhantom000001';

/** A spot in an undocumented status at `locationId`: it exists only in list answers (GETs of its id are 404). */
export function phantomSpotView(locationId: number, withLocationId: boolean): SpotView {
  return { id: PHANTOM_SPOT_ID, status: UNDOCUMENTED_SPOT_STATUS, identifier: 'undocumented', place_info: placeInfo(locationId, undefined, withLocationId) };
}

/** A transaction in an undocumented status, in list answers only. */
export function phantomTransactionView(projectId: number, createdAt: number): TransactionView {
  return {
    transaction_key: PHANTOM_TRANSACTION_KEY,
    created_at: createdAt,
    status: UNDOCUMENTED_TRANSACTION_STATUS,
    project_id: projectId,
    reserve: { for: 2_592_000 },
    auto_confirm: false,
    use_allowance: true,
    suggest_allowance: false,
    payments: [
      {
        id: 1,
        transaction_key: PHANTOM_TRANSACTION_KEY,
        created_at: createdAt,
        status: UNDOCUMENTED_TRANSACTION_STATUS,
        price: 100,
        currency: 'EUR',
        price_decimal: '1.00',
        description: 'A transaction in a status no document lists',
      },
    ],
  };
}
