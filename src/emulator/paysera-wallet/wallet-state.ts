import { SeededRandom, type RandomSource } from '../../platform/random.js';
import type { EmulatorClock } from '../emulator-clock.js';
import { badParameters, HttpError, invalidState, notFound } from '../http-error.js';
import { isPlainObject } from '../exchange.js';
import { paginate, type Page, type PageMetadata } from '../pagination.js';
import type { OrderRecord, ReservationCodeRecord, SpotRecord, SpotState, TransactionRecord, TransactionStatus, TransactionType } from './records.js';
import { parseSpotCode } from './spot-code.js';
import { parseTransactionBody, type TransactionDraft } from './transaction-body.js';
import type { AmountAlteration } from '../amount-alteration.js';
import type { ActiveVariations } from '../variations.js';
import {
  orderStatus,
  orderView,
  phantomSpotView,
  phantomTransactionView,
  spotView,
  transactionView,
  UNDOCUMENTED_TRANSACTION_STATUS,
  type LocationInfo,
  type OpenSpotStatus,
  type OrderView,
  type SpotView,
  type TransactionView,
} from './views.js';

export interface WalletStateOptions {
  clock: EmulatorClock;
  /** Seeds transaction keys and reservation codes; reset() re-seeds, so runs repeat exactly. */
  seed: number;
  /** Read per answer: spot status spelling, location fields and filters, the reserve field, unknown statuses. */
  variations: ActiveVariations;
  projectId?: number;
  /** Digits in an issued reservation code, 16..40. Default 28 (the documented example). */
  reservationCodeLength?: number;
  /** Titles etc. for place_info, by location id; unknown ids get a generated title. */
  locations?: Record<number, LocationInfo>;
}

export interface SpotFilter {
  /** `open` and `opened` both select open spots. */
  status?: string;
  locationId?: number;
}

export interface TransactionFilter {
  statuses?: TransactionStatus[];
  from?: number;
  to?: number;
  locationId?: number;
}

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

export interface WalletSnapshot {
  time: number;
  spots: (SpotView & { location_id: number; checked_in: string[]; session_order_ids: number[] })[];
  orders: (OrderView & { spot_id: number; deleted: boolean })[];
  transactions: TransactionView[];
  reservation_codes: { code: string; balance: number; wallet: number; created_at: number; used_by?: string }[];
}

export const DEFAULT_CUSTOMER = 'customer-1';
/** Spot sessions of MAC-signed customer calls belong to this pseudo customer per mac id. */
export const macCustomer = (macId: string): string => `mac:${macId}`;

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const FIRST_WALLET_ID = 14471;
/** The project id of the documented examples (docs/apis.md#paysera-wallet-endpoints-and-shapes). */
const DEFAULT_PROJECT_ID = 19019492;

/**
 * The Paysera Wallet world: spots, orders, transactions and reservation codes, with the state
 * machines of docs/apis.md#paysera-wallet-statuses. Every operation validates completely before it changes anything, so a
 * thrown HttpError means "not applied". Both the HTTP routes and tests (in-process) call these
 * methods; the customer-side methods are what /_sim/ exposes.
 *
 * Invariants:
 * - A customer is checked in at one spot at most; checking in elsewhere checks out first.
 * - A spot is `closed` exactly when nobody is checked in and the merchant has not opened it by
 *   ordering; its session (and the `orders` it shows) ends whenever it becomes `closed`.
 * - A transaction is attached to at most one order that is not closed.
 * - A reservation code reserves at most one transaction.
 */
export class WalletState {
  private random: RandomSource;
  private spots = new Map<number, SpotRecord>();
  private spotsByCode = new Map<string, number>();
  private orders = new Map<number, OrderRecord>();
  private transactions = new Map<string, TransactionRecord>();
  private codes = new Map<string, ReservationCodeRecord>();
  private customerWallets = new Map<string, number>();
  private nextSpotId = 1;
  private nextOrderId = 1;
  private nextPaymentId = 1001;
  private nextWalletId = FIRST_WALLET_ID;

  constructor(private readonly options: WalletStateOptions) {
    this.random = new SeededRandom(options.seed);
  }

  get openSpotStatus(): OpenSpotStatus {
    return this.options.variations.has('spot-status-open') ? 'open' : 'opened';
  }

  reset(): void {
    this.random = new SeededRandom(this.options.seed);
    this.spots = new Map();
    this.spotsByCode = new Map();
    this.orders = new Map();
    this.transactions = new Map();
    this.codes = new Map();
    this.customerWallets = new Map();
    this.nextSpotId = 1;
    this.nextOrderId = 1;
    this.nextPaymentId = 1001;
    this.nextWalletId = FIRST_WALLET_ID;
  }

  // ---- spots ----------------------------------------------------------------------------

  /** GET /rest/v1/spot?code=...: registers the spot on first use (under the code's location id). */
  spotByCode(code: string, viewer?: string): SpotView {
    return this.viewSpot(this.registerSpot(code), viewer);
  }

  getSpot(id: number, viewer?: string): SpotView {
    return this.viewSpot(this.requireSpot(id), viewer);
  }

  checkIn(spotId: number, customer: string = DEFAULT_CUSTOMER): SpotView {
    const spot = this.requireSpot(spotId);
    if (!spot.checkedIn.has(customer)) {
      const elsewhere = [...this.spots.values()].find((s) => s.checkedIn.has(customer));
      if (elsewhere !== undefined) this.leave(elsewhere, customer);
      spot.checkedIn.add(customer);
      if (spot.state === 'closed') {
        spot.state = 'waiting';
        spot.sessionOrderIds = [];
      }
    }
    return this.viewSpot(spot, customer);
  }

  /** Check in by code, registering the spot if needed (what scanning a table card does). */
  checkInByCode(code: string, customer: string = DEFAULT_CUSTOMER): SpotView {
    return this.checkIn(this.registerSpot(code).id, customer);
  }

  checkOut(spotId: number, customer: string = DEFAULT_CUSTOMER): SpotView {
    const spot = this.requireSpot(spotId);
    if (!spot.checkedIn.has(customer)) throw invalidState('Client is not checked in at this spot');
    this.leave(spot, customer);
    return this.viewSpot(spot, customer);
  }

  /** PUT /spot/:id/close. Pending orders close; reserved/confirmed ones keep their status. Closing a closed spot is a no-op. */
  closeSpot(spotId: number, viewer?: string): SpotView {
    const spot = this.requireSpot(spotId);
    for (const id of spot.sessionOrderIds) {
      const order = this.orders.get(id);
      if (order !== undefined && orderStatus(order, this.transactions.get(order.transactionKey)) === 'pending') order.closed = true;
    }
    const view = this.viewSpot(spot, viewer);
    spot.checkedIn.clear();
    this.endSession(spot);
    return { ...view, status: 'closed' };
  }

  listSpots(filter: SpotFilter, page: Page): { spots: SpotView[]; _metadata: PageMetadata } {
    const wanted = filter.status === undefined ? undefined : spotStateOf(filter.status);
    const location = this.options.variations.has('spots-location-filter-ignored') ? undefined : filter.locationId;
    const all = [...this.spots.values()]
      .filter((s) => (wanted === undefined || s.state === wanted) && (location === undefined || s.locationId === location))
      .map((s) => this.viewSpot(s, undefined));
    // Variation `unknown-statuses`: a spot in a status no document lists is part of every answer.
    if (this.options.variations.has('unknown-statuses')) all.push(phantomSpotView(filter.locationId ?? 1, !this.options.variations.has('spots-without-location')));
    const { items, metadata } = paginate(all, page);
    return { spots: items, _metadata: metadata };
  }

  // ---- orders ---------------------------------------------------------------------------

  /** POST /spot/:id/order with `{"transaction_key"}` or `{"transaction": {...}}`; `alteration` from an alterAmount fault. */
  createOrder(spotId: number, body: unknown, alteration?: AmountAlteration): OrderView {
    const spot = this.requireSpot(spotId);
    if (spot.state === 'closed') throw invalidState('Spot is closed');
    const source = this.orderTransactionSource(body, undefined);
    const tx = this.materialize(source, spot.locationId);
    if (alteration !== undefined) alterPayments(tx, alteration);
    const order: OrderRecord = { id: this.nextOrderId++, spotId, transactionKey: tx.key, closed: false, deleted: false, createdAt: this.now() };
    this.orders.set(order.id, order);
    spot.sessionOrderIds.push(order.id);
    if (spot.state === 'waiting') spot.state = 'open';
    return orderView(order, tx);
  }

  getOrder(id: number): OrderView {
    const order = this.requireOrder(id);
    return orderView(order, this.transactions.get(order.transactionKey));
  }

  /** PUT /order/:id: points a pending order at another (or a new) transaction; the old one is left as it is. */
  editOrder(id: number, body: unknown): OrderView {
    const order = this.requireOrder(id);
    if (orderStatus(order, this.transactions.get(order.transactionKey)) !== 'pending') throw invalidState('Only a pending order can be edited');
    const source = this.orderTransactionSource(body, order.id);
    const spot = this.requireSpot(order.spotId);
    const tx = this.materialize(source, spot.locationId);
    order.transactionKey = tx.key;
    return orderView(order, tx);
  }

  /** DELETE /order/:id: a pending or closed order goes away (later GETs are 404); a paid or reserved one cannot. */
  deleteOrder(id: number): OrderView {
    const order = this.requireOrder(id);
    const status = orderStatus(order, this.transactions.get(order.transactionKey));
    if (status === 'reserved' || status === 'confirmed') throw invalidState(`Order is ${status}`);
    order.closed = true;
    order.deleted = true;
    const spot = this.spots.get(order.spotId);
    if (spot !== undefined) spot.sessionOrderIds = spot.sessionOrderIds.filter((o) => o !== id);
    return { id: order.id, transaction_key: order.transactionKey, status: 'closed' };
  }

  // ---- transactions ---------------------------------------------------------------------

  createTransaction(body: unknown, locationId?: number, alteration?: AmountAlteration): TransactionView {
    const tx = this.insertTransaction(parseTransactionBody(body), locationId);
    if (alteration !== undefined) alterPayments(tx, alteration);
    return transactionView(tx);
  }

  getTransaction(key: string): TransactionView {
    return transactionView(this.requireTransaction(key));
  }

  /**
   * PUT /transaction/:key/reserve {"reservation_code"} (or {"code"} under the variation
   * `reservation-code-field-code`): the terminal reserves with a code the customer showed. A
   * body without that field, or with the other spelling, is 400 invalid_parameters naming the
   * field in `errors` and `error_properties`, as Paysera's REST framework reports violations.
   */
  reserveWithCode(key: string, body: unknown, alteration?: AmountAlteration): TransactionView {
    const tx = this.requireTransaction(key);
    const field = this.reservationCodeField;
    const value = isPlainObject(body) ? body[field] : undefined;
    if (typeof value !== 'string' || value === '') throw fieldViolation(field, 'This value should not be blank.');
    const other = field === 'code' ? 'reservation_code' : 'code';
    if (isPlainObject(body) && body[other] !== undefined) throw fieldViolation(other, 'This field was not expected.');
    requireReservable(tx);
    const code = this.codes.get(value);
    if (code === undefined) throw badParameters('Reservation code is invalid');
    if (code.usedBy !== undefined) throw badParameters('Reservation code was already used');
    // The HTTP status of reserve-time business errors is undocumented (docs/apis.md#paysera-wallet-errors); 400 is ours.
    if (totalPrice(tx) > code.balance) throw new HttpError(400, 'not_enough_funds', 'Not enough funds');
    code.usedBy = tx.key;
    if (alteration !== undefined) alterPayments(tx, alteration);
    this.reserve(tx, code.wallet, 'reservation_code');
    return transactionView(tx);
  }

  /**
   * PUT /transaction/:key/confirm. Body: none, `[]`, `{}`, or `{"<paymentId>": {"price": n,
   * "currency": "EUR"}}` to lower amounts (never raise).
   */
  confirm(key: string, body: unknown): TransactionView {
    const tx = this.requireTransaction(key);
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
    tx.confirmedAt = this.now();
    return transactionView(tx);
  }

  /** DELETE /transaction/:key: a `new` transaction is deleted, a waiting or reserved one revoked (docs/apis.md#paysera-wallet-statuses). */
  revoke(key: string): TransactionView {
    const tx = this.requireTransaction(key);
    if (tx.status === 'new') tx.status = 'deleted';
    else if (tx.status === 'waiting' || tx.status === 'reserved') tx.status = 'revoked';
    else throw invalidState(`Transaction is ${tx.status}`);
    return transactionView(tx);
  }

  listTransactions(filter: TransactionFilter, page: Page): { transactions: TransactionView[]; _metadata: PageMetadata } {
    const all = [...this.transactions.values()]
      .filter(
        (t) =>
          (filter.statuses === undefined || filter.statuses.includes(t.status)) &&
          (filter.from === undefined || t.createdAt >= filter.from) &&
          (filter.to === undefined || t.createdAt <= filter.to) &&
          (filter.locationId === undefined || t.locationId === filter.locationId),
      )
      .map(transactionView);
    // Variation `unknown-statuses`: a transaction in a status no document lists is part of every answer.
    if (this.options.variations.has('unknown-statuses')) all.push(phantomTransactionView(this.options.projectId ?? DEFAULT_PROJECT_ID, this.now()));
    const { items, metadata } = paginate(all, page);
    return { transactions: items, _metadata: metadata };
  }

  // ---- the simulated customer -----------------------------------------------------------

  /** The customer accepts and pays in their app: new/waiting -> reserved (confirmed with auto_confirm). */
  customerReserve(key: string, options: CustomerReserveOptions = {}): TransactionView {
    const tx = this.requireTransaction(key);
    requireReservable(tx);
    delete tx.undocumentedStatus;
    const wallet = options.wallet ?? this.walletOf(options.customer ?? DEFAULT_CUSTOMER);
    this.reserve(tx, wallet, options.type ?? 'mobile_app');
    return transactionView(tx);
  }

  /** The customer opened the transaction but has not paid yet: new -> waiting. */
  customerAccept(key: string): TransactionView {
    const tx = this.requireTransaction(key);
    if (tx.status !== 'new') throw invalidState(`Transaction is ${tx.status}, only new can become waiting`);
    delete tx.undocumentedStatus;
    tx.status = 'waiting';
    return transactionView(tx);
  }

  /** The payment failed for another reason than a decline: new/waiting -> failed. */
  customerFail(key: string): TransactionView {
    const tx = this.requireTransaction(key);
    if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
    delete tx.undocumentedStatus;
    tx.status = 'failed';
    return transactionView(tx);
  }

  /** The customer declines: new/waiting -> rejected. */
  customerReject(key: string): TransactionView {
    const tx = this.requireTransaction(key);
    if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
    delete tx.undocumentedStatus;
    tx.status = 'rejected';
    return transactionView(tx);
  }

  /**
   * The transaction is changed behind the merchant's back (Paysera's POS page warns that "the
   * transaction can be changed between reserving it and getting this information"): its first
   * payment's amount moves by `deltaMinor` and/or its currency changes. Status is untouched.
   */
  alterAmount(key: string, alteration: AmountAlteration): TransactionView {
    const tx = this.requireTransaction(key);
    alterPayments(tx, alteration);
    return transactionView(tx);
  }

  /**
   * The transaction reads in a status no document lists (`on_hold`) until the customer's next
   * step (reserve, accept, reject, fail), which clears it; its state machine stays where it was.
   */
  hold(key: string): TransactionView {
    const tx = this.requireTransaction(key);
    if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
    tx.undocumentedStatus = UNDOCUMENTED_TRANSACTION_STATUS;
    return transactionView(tx);
  }

  /** A single-use reservation code with a balance, as the customer's app would show it. */
  issueReservationCode(options: IssueCodeOptions): ReservationCodeRecord {
    if (!Number.isSafeInteger(options.balance) || options.balance < 0) throw badParameters('balance must be a non-negative integer (minor units)');
    const length = options.length ?? this.options.reservationCodeLength ?? 28;
    if (!Number.isInteger(length) || length < 16 || length > 40) throw badParameters('length must be 16..40');
    if (options.wallet !== undefined && (!Number.isSafeInteger(options.wallet) || options.wallet <= 0)) throw badParameters('wallet must be a positive integer');
    let code: string;
    do {
      code = Array.from({ length }, () => String(Math.floor(this.random.next() * 10))).join('');
    } while (this.codes.has(code));
    const record: ReservationCodeRecord = { code, balance: options.balance, wallet: options.wallet ?? this.allocateWallet(), createdAt: this.now() };
    this.codes.set(code, record);
    return { ...record };
  }

  snapshot(): WalletSnapshot {
    return {
      time: this.now(),
      spots: [...this.spots.values()].map((s) => ({
        ...this.viewSpot(s, undefined),
        location_id: s.locationId,
        checked_in: [...s.checkedIn],
        session_order_ids: [...s.sessionOrderIds],
      })),
      orders: [...this.orders.values()].map((o) => ({ ...orderView(o, this.transactions.get(o.transactionKey)), spot_id: o.spotId, deleted: o.deleted })),
      transactions: [...this.transactions.values()].map(transactionView),
      reservation_codes: [...this.codes.values()].map((c) => {
        const view: WalletSnapshot['reservation_codes'][number] = { code: c.code, balance: c.balance, wallet: c.wallet, created_at: c.createdAt };
        if (c.usedBy !== undefined) view.used_by = c.usedBy;
        return view;
      }),
    };
  }

  // ---- internals ------------------------------------------------------------------------

  private now(): number {
    return this.options.clock.nowS();
  }

  /** The body field reserve-by-code reads. */
  get reservationCodeField(): 'reservation_code' | 'code' {
    return this.options.variations.has('reservation-code-field-code') ? 'code' : 'reservation_code';
  }

  private registerSpot(code: string): SpotRecord {
    const parsed = parseSpotCode(code);
    const codeKey = `${parsed.locationId}:${parsed.identifier}`;
    const existing = this.spotsByCode.get(codeKey);
    if (existing !== undefined) return this.requireSpot(existing);
    const spot: SpotRecord = {
      id: this.nextSpotId++,
      locationId: parsed.locationId,
      identifier: parsed.identifier,
      state: 'closed',
      checkedIn: new Set(),
      sessionOrderIds: [],
      createdAt: this.now(),
    };
    this.spots.set(spot.id, spot);
    this.spotsByCode.set(codeKey, spot.id);
    return spot;
  }

  private viewSpot(spot: SpotRecord, viewer: string | undefined): SpotView {
    // `orders` only for a client checked in here (docs/apis.md#paysera-wallet-endpoints-and-shapes), and only this session's.
    const showOrders = viewer !== undefined && spot.checkedIn.has(viewer);
    const orders = showOrders
      ? spot.sessionOrderIds.flatMap((id) => {
          const order = this.orders.get(id);
          return order === undefined || order.deleted ? [] : [orderView(order, this.transactions.get(order.transactionKey))];
        })
      : undefined;
    return spotView(spot, this.openSpotStatus, this.options.locations?.[spot.locationId], orders, !this.options.variations.has('spots-without-location'));
  }

  private leave(spot: SpotRecord, customer: string): void {
    spot.checkedIn.delete(customer);
    if (spot.checkedIn.size === 0) this.endSession(spot);
  }

  private endSession(spot: SpotRecord): void {
    spot.state = 'closed';
    spot.sessionOrderIds = [];
  }

  private orderTransactionSource(body: unknown, editingOrderId: number | undefined): { draft: TransactionDraft } | { existing: TransactionRecord } {
    if (!isPlainObject(body)) throw badParameters('Body must be {"transaction_key": ...} or {"transaction": {...}}');
    const hasKey = body.transaction_key !== undefined;
    const hasTx = body.transaction !== undefined;
    if (hasKey === hasTx) throw badParameters('Provide exactly one of transaction_key and transaction');
    if (hasTx) return { draft: parseTransactionBody(body.transaction) };
    if (typeof body.transaction_key !== 'string') throw badParameters('transaction_key must be a string');
    const tx = this.transactions.get(body.transaction_key);
    if (tx === undefined) throw badParameters('No transaction with this transaction_key');
    if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}`);
    const inUse = [...this.orders.values()].some((o) => o.id !== editingOrderId && !o.closed && o.transactionKey === tx.key);
    if (inUse) throw invalidState('Transaction already belongs to another order');
    return { existing: tx };
  }

  private materialize(source: { draft: TransactionDraft } | { existing: TransactionRecord }, locationId: number): TransactionRecord {
    if ('draft' in source) return this.insertTransaction(source.draft, locationId);
    source.existing.locationId ??= locationId;
    return source.existing;
  }

  private insertTransaction(draft: TransactionDraft, locationId: number | undefined): TransactionRecord {
    const key = this.newTransactionKey();
    const createdAt = this.now();
    const tx: TransactionRecord = {
      key,
      createdAt,
      status: 'new',
      projectId: this.options.projectId ?? DEFAULT_PROJECT_ID,
      payments: draft.payments.map((p) => {
        const payment = { id: this.nextPaymentId++, transactionKey: key, createdAt, price: p.price, currency: p.currency, description: p.description };
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
    this.transactions.set(key, tx);
    return tx;
  }

  private reserve(tx: TransactionRecord, wallet: number, type: TransactionType): void {
    tx.status = tx.autoConfirm ? 'confirmed' : 'reserved';
    tx.type = type;
    tx.wallet = wallet;
    if (tx.autoConfirm) tx.confirmedAt = this.now();
  }

  private newTransactionKey(): string {
    let key: string;
    do {
      key = Array.from({ length: 32 }, () => KEY_ALPHABET[Math.floor(this.random.next() * KEY_ALPHABET.length)]).join('');
    } while (this.transactions.has(key));
    return key;
  }

  private walletOf(customer: string): number {
    let wallet = this.customerWallets.get(customer);
    if (wallet === undefined) {
      wallet = this.allocateWallet();
      this.customerWallets.set(customer, wallet);
    }
    return wallet;
  }

  private allocateWallet(): number {
    return this.nextWalletId++;
  }

  private requireSpot(id: number): SpotRecord {
    const spot = this.spots.get(id);
    if (spot === undefined) throw notFound('Spot not found');
    return spot;
  }

  private requireOrder(id: number): OrderRecord {
    const order = this.orders.get(id);
    if (order === undefined || order.deleted) throw notFound('Order not found');
    return order;
  }

  private requireTransaction(key: string): TransactionRecord {
    const tx = this.transactions.get(key);
    if (tx === undefined) throw notFound('Transaction not found');
    return tx;
  }
}

/** 400 invalid_parameters naming `field` as a violation (`errors[].field`) and a property (`error_properties`). */
function fieldViolation(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_parameters', `${field}: ${message}`, {}, { errors: [{ code: 'invalid', message, field }], error_properties: { [field]: [message] } });
}

function requireReservable(tx: TransactionRecord): void {
  if (tx.status !== 'new' && tx.status !== 'waiting') throw invalidState(`Transaction is ${tx.status}, only new or waiting can be reserved`);
}

/** Moves the first payment's amount (never below one minor unit) and/or changes the currency of every payment. */
function alterPayments(tx: TransactionRecord, alteration: AmountAlteration): void {
  const [first] = tx.payments;
  if (first !== undefined) first.price = Math.max(1, first.price + alteration.deltaMinor);
  if (alteration.currency !== undefined) for (const payment of tx.payments) payment.currency = alteration.currency;
}

function totalPrice(tx: TransactionRecord): number {
  return tx.payments.reduce((sum, p) => sum + p.price, 0);
}

function spotStateOf(status: string): SpotState {
  if (status === 'open' || status === 'opened') return 'open';
  if (status === 'closed' || status === 'waiting') return status;
  throw badParameters('status must be one of closed, waiting, opened');
}
