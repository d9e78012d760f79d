import { SeededRandom, type RandomSource } from '../../platform/random.js';
import type { EmulatorClock } from '../emulator-clock.js';
import { notFound } from '../http-error.js';
import type { ActiveVariations } from '../variations.js';
import type { OrderRecord, ReservationCodeRecord, SpotRecord, TransactionRecord } from './records.js';
import type { LocationInfo, OpenSpotStatus } from './wallet-views.js';

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

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const FIRST_WALLET_ID = 14471;
/** The project id of the documented examples (docs/apis.md#paysera-wallet-endpoints-and-shapes). */
const DEFAULT_PROJECT_ID = 19019492;

/**
 * The records of one Paysera Wallet world and the counters and seeded random source that name
 * new ones. It holds no rules: the spot, order, transaction and customer steps apply those. A
 * reset is a fresh store, so every run from the same seed repeats exactly.
 */
export class WalletStore {
  readonly random: RandomSource;
  readonly spots = new Map<number, SpotRecord>();
  /** Spot ids by `<locationId>:<identifier>`. */
  readonly spotsByCode = new Map<string, number>();
  readonly orders = new Map<number, OrderRecord>();
  readonly transactions = new Map<string, TransactionRecord>();
  readonly codes = new Map<string, ReservationCodeRecord>();
  readonly customerWallets = new Map<string, number>();
  private nextSpotId = 1;
  private nextOrderId = 1;
  private nextPaymentId = 1001;
  private nextWalletId = FIRST_WALLET_ID;

  constructor(readonly options: WalletStateOptions) {
    this.random = new SeededRandom(options.seed);
  }

  now(): number {
    return this.options.clock.nowS();
  }

  get projectId(): number {
    return this.options.projectId ?? DEFAULT_PROJECT_ID;
  }

  get openSpotStatus(): OpenSpotStatus {
    return this.options.variations.has('spot-status-open') ? 'open' : 'opened';
  }

  /** The body field reserve-by-code reads. */
  get reservationCodeField(): 'reservation_code' | 'code' {
    return this.options.variations.has('reservation-code-field-code') ? 'code' : 'reservation_code';
  }

  newSpotId(): number {
    return this.nextSpotId++;
  }

  newOrderId(): number {
    return this.nextOrderId++;
  }

  newPaymentId(): number {
    return this.nextPaymentId++;
  }

  newTransactionKey(): string {
    let key: string;
    do {
      key = Array.from({ length: 32 }, () => KEY_ALPHABET[Math.floor(this.random.next() * KEY_ALPHABET.length)]).join('');
    } while (this.transactions.has(key));
    return key;
  }

  allocateWallet(): number {
    return this.nextWalletId++;
  }

  /** The customer's own wallet, allocated on first use. */
  walletOf(customer: string): number {
    let wallet = this.customerWallets.get(customer);
    if (wallet === undefined) {
      wallet = this.allocateWallet();
      this.customerWallets.set(customer, wallet);
    }
    return wallet;
  }

  requireSpot(id: number): SpotRecord {
    const spot = this.spots.get(id);
    if (spot === undefined) throw notFound('Spot not found');
    return spot;
  }

  requireOrder(id: number): OrderRecord {
    const order = this.orders.get(id);
    if (order === undefined || order.deleted) throw notFound('Order not found');
    return order;
  }

  requireTransaction(key: string): TransactionRecord {
    const tx = this.transactions.get(key);
    if (tx === undefined) throw notFound('Transaction not found');
    return tx;
  }
}
