import { badParameters, invalidState } from '../http-error.js';
import { paginate, type Page, type PageMetadata } from '../pagination.js';
import type { SpotRecord, SpotState } from './records.js';
import { parseSpotCode } from './spot-qr-code.js';
import { orderStatus, orderView, phantomSpotView, spotView, type SpotView } from './wallet-views.js';
import type { WalletStore } from './wallet-store.js';

/**
 * The spots of the wallet world: registration by code, check-in and check-out, closing, and the
 * views of them. A customer is checked in at one spot at most; a spot is `closed` exactly when
 * nobody is checked in and the merchant has not opened it by ordering, and its session (the
 * `orders` it shows) ends whenever it becomes `closed`.
 */

export interface SpotFilter {
  /** `open` and `opened` both select open spots. */
  status?: string;
  locationId?: number;
}

/** The spot a code names, registered on first use (under the code's location id). */
export function registerSpot(store: WalletStore, code: string): SpotRecord {
  const parsed = parseSpotCode(code);
  const codeKey = `${parsed.locationId}:${parsed.identifier}`;
  const existing = store.spotsByCode.get(codeKey);
  if (existing !== undefined) return store.requireSpot(existing);
  const spot: SpotRecord = {
    id: store.newSpotId(),
    locationId: parsed.locationId,
    identifier: parsed.identifier,
    state: 'closed',
    checkedIn: new Set(),
    sessionOrderIds: [],
    createdAt: store.now(),
  };
  store.spots.set(spot.id, spot);
  store.spotsByCode.set(codeKey, spot.id);
  return spot;
}

export function viewSpot(store: WalletStore, spot: SpotRecord, viewer: string | undefined): SpotView {
  // `orders` only for a client checked in here (docs/apis.md#paysera-wallet-endpoints-and-shapes), and only this session's.
  const showOrders = viewer !== undefined && spot.checkedIn.has(viewer);
  const orders = showOrders
    ? spot.sessionOrderIds.flatMap((id) => {
        const order = store.orders.get(id);
        return order === undefined || order.deleted ? [] : [orderView(order, store.transactions.get(order.transactionKey))];
      })
    : undefined;
  const withLocation = !store.options.variations.has('spots-without-location');
  return spotView(spot, store.openSpotStatus, store.options.locations?.[spot.locationId], orders, withLocation);
}

/** Checking in elsewhere checks out there first; the first customer in opens the spot's session. */
export function checkIn(store: WalletStore, spotId: number, customer: string): SpotView {
  const spot = store.requireSpot(spotId);
  if (!spot.checkedIn.has(customer)) {
    const elsewhere = [...store.spots.values()].find((s) => s.checkedIn.has(customer));
    if (elsewhere !== undefined) leave(elsewhere, customer);
    spot.checkedIn.add(customer);
    if (spot.state === 'closed') {
      spot.state = 'waiting';
      spot.sessionOrderIds = [];
    }
  }
  return viewSpot(store, spot, customer);
}

export function checkOut(store: WalletStore, spotId: number, customer: string): SpotView {
  const spot = store.requireSpot(spotId);
  if (!spot.checkedIn.has(customer)) throw invalidState('Client is not checked in at this spot');
  leave(spot, customer);
  return viewSpot(store, spot, customer);
}

/** PUT /spot/:id/close. Pending orders close; reserved/confirmed ones keep their status. Closing a closed spot is a no-op. */
export function closeSpot(store: WalletStore, spotId: number, viewer: string | undefined): SpotView {
  const spot = store.requireSpot(spotId);
  for (const id of spot.sessionOrderIds) {
    const order = store.orders.get(id);
    if (order !== undefined && orderStatus(order, store.transactions.get(order.transactionKey)) === 'pending') order.closed = true;
  }
  const view = viewSpot(store, spot, viewer);
  spot.checkedIn.clear();
  endSession(spot);
  return { ...view, status: 'closed' };
}

export function listSpots(store: WalletStore, filter: SpotFilter, page: Page): { spots: SpotView[]; _metadata: PageMetadata } {
  const { variations } = store.options;
  const wanted = filter.status === undefined ? undefined : spotStateOf(filter.status);
  const location = variations.has('spots-location-filter-ignored') ? undefined : filter.locationId;
  const all = [...store.spots.values()]
    .filter((s) => (wanted === undefined || s.state === wanted) && (location === undefined || s.locationId === location))
    .map((s) => viewSpot(store, s, undefined));
  // Variation `unknown-statuses`: a spot in a status no document lists is part of every answer.
  if (variations.has('unknown-statuses')) all.push(phantomSpotView(filter.locationId ?? 1, !variations.has('spots-without-location')));
  const { items, metadata } = paginate(all, page);
  return { spots: items, _metadata: metadata };
}

function leave(spot: SpotRecord, customer: string): void {
  spot.checkedIn.delete(customer);
  if (spot.checkedIn.size === 0) endSession(spot);
}

function endSession(spot: SpotRecord): void {
  spot.state = 'closed';
  spot.sessionOrderIds = [];
}

function spotStateOf(status: string): SpotState {
  if (status === 'open' || status === 'opened') return 'open';
  if (status === 'closed' || status === 'waiting') return status;
  throw badParameters('status must be one of closed, waiting, opened');
}
