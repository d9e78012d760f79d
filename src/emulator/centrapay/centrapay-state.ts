import { SeededRandom, type RandomSource } from '../../platform/random.js';
import type { EmulatorClock } from '../emulator-clock.js';
import type { AmountAlteration } from '../amount-alteration.js';
import { HttpError } from '../http-error.js';

/**
 * Centrapay payment requests as docs/apis.md#centrapay documents them, on the emulator clock:
 * `new` -> `paid` (the simulated customer pays) | `cancelled` (void, or a declined payment) |
 * `expired` (the clock passes `expiresAt`; evaluated on every read, so no timers run).
 * A paid request stays `paid` after a void; the void is recorded as a `refund` activity.
 * Every error is thrown as an HttpError before any state changes.
 */

export type PrStatus = 'new' | 'paid' | 'cancelled' | 'expired';

export interface Activity {
  type: 'request' | 'payment' | 'cancellation' | 'expiry' | 'refund';
  number: number;
  atMs: number;
  value: { amount: string; currency: string };
}

export interface PaymentRequestRecord {
  id: string;
  shortCode: string;
  configId: string;
  value: { amount: string; currency: string };
  createdAtMs: number;
  updatedAtMs: number;
  expiresAtMs: number;
  expirySeconds: number;
  externalRef: string | undefined;
  terminalId: string | undefined;
  deviceId: string | undefined;
  operatorId: string | undefined;
  status: PrStatus;
  /** A status no document of ours lists, read instead of `status` until the patron acts (/_sim/centrapay/report-status). */
  reportedStatus: string | undefined;
  cancellationReason: string | undefined;
  assetType: string | undefined;
  refunded: boolean;
  /** Refunds taken (POST /refund), by the merchant's externalRef: a repeat of one is answered with it. */
  refunds: { externalRef: string; amountMinor: number; activity: Activity }[];
  activities: Activity[];
}

export interface CentrapayStateOptions {
  seed: number;
  merchantAccountId: string;
  merchantId: string;
  merchantName: string;
  /** Default 120 s, as documented. */
  defaultExpirySeconds?: number;
  /**
   * The currencies the merchant config's asset types cover (default NZD: every Centrapay example
   * is NZD, assets `centrapay.nzd.*`). A request in any other is 403 NO_AVAILABLE_PAYMENT_OPTIONS.
   */
  acceptedCurrencies?: readonly string[];
}

export const DEFAULT_EXPIRY_SECONDS = 120;
export const DEFAULT_ACCEPTED_CURRENCIES: readonly string[] = ['NZD'];
/** Void of a paid request is refused this long after creation (403 VOID_WINDOW_EXCEEDED). */
export const VOID_WINDOW_MS = 24 * 3600 * 1000;
/** The test-money asset type of a currency, as `centrapay.nzd.test` is NZD's. */
export const testAssetType = (currency: string): string => `centrapay.${currency.toLowerCase()}.test`;
export const CANCELLATION_REASONS = ['PAYMENT_DECLINED', 'CANCELLED_BY_PATRON', 'NO_AVAILABLE_PAYMENT_OPTIONS', 'INACTIVE_ASSET'] as const;

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';
const CODE_ALPHABET = 'ACDEFGHJKLMNPQRTUVWXY34679';
const MAX_AMOUNT = 100_000_000n;

const forbidden = (code: string, description: string): HttpError => new HttpError(403, code, description);

function alteredValue(value: { amount: string; currency: string }, alteration: AmountAlteration | undefined): { amount: string; currency: string } {
  if (alteration === undefined) return { ...value };
  const amount = BigInt(value.amount) + BigInt(alteration.deltaMinor);
  return { amount: String(amount > 0n ? amount : 1n), currency: alteration.currency ?? value.currency };
}
export const badRequest = (description: string): HttpError => new HttpError(400, 'BAD_REQUEST', description);

export class CentrapayState {
  private requests: PaymentRequestRecord[] = [];
  private random: RandomSource;
  private accepted: readonly string[];

  constructor(
    readonly options: CentrapayStateOptions,
    private readonly clock: EmulatorClock,
  ) {
    this.random = new SeededRandom(options.seed);
    this.accepted = options.acceptedCurrencies ?? DEFAULT_ACCEPTED_CURRENCIES;
  }

  /** The merchant config's currencies (POST /_sim/centrapay/merchant changes them). */
  get acceptedCurrencies(): readonly string[] {
    return this.accepted;
  }

  setAcceptedCurrencies(currencies: readonly string[]): void {
    if (currencies.length === 0 || currencies.some((c) => !/^[A-Z]{3}$/.test(c))) throw badRequest('acceptedCurrencies must be ISO 4217 codes');
    this.accepted = [...currencies];
  }

  reset(): void {
    this.requests = [];
    this.random = new SeededRandom(this.options.seed);
  }

  create(input: {
    configId: string;
    value: { amount: string; currency: string };
    expirySeconds?: number | undefined;
    externalRef?: string | undefined;
    terminalId?: string | undefined;
    deviceId?: string | undefined;
    operatorId?: string | undefined;
    /** From an alterAmount fault: the request is stored (and answered) with another value. */
    alteration?: AmountAlteration | undefined;
  }): PaymentRequestRecord {
    if (!/^\d{1,18}$/.test(input.value.amount) || BigInt(input.value.amount) <= 0n || BigInt(input.value.amount) >= MAX_AMOUNT) {
      throw badRequest('value.amount must be a positive integer string below 100000000');
    }
    // Documented for create: "The currency is not supported by any of the Asset Types that the Merchant is configured with."
    if (!this.accepted.includes(input.value.currency)) throw forbidden('NO_AVAILABLE_PAYMENT_OPTIONS', `No payment options for ${input.value.currency}`);
    const now = this.clock.nowMs();
    const expirySeconds = input.expirySeconds ?? this.options.defaultExpirySeconds ?? DEFAULT_EXPIRY_SECONDS;
    const record: PaymentRequestRecord = {
      id: this.newId(),
      shortCode: this.newShortCode(),
      configId: input.configId,
      value: alteredValue(input.value, input.alteration),
      createdAtMs: now,
      updatedAtMs: now,
      expiresAtMs: now + expirySeconds * 1000,
      expirySeconds,
      externalRef: input.externalRef,
      terminalId: input.terminalId,
      deviceId: input.deviceId,
      operatorId: input.operatorId,
      status: 'new',
      reportedStatus: undefined,
      cancellationReason: undefined,
      assetType: undefined,
      refunded: false,
      refunds: [],
      activities: [],
    };
    this.addActivity(record, 'request', now);
    this.requests.push(record);
    return record;
  }

  /** The request, with expiry applied; 404 when unknown. */
  get(id: string): PaymentRequestRecord {
    const record = this.requests.find((r) => r.id === id);
    if (record === undefined) throw new HttpError(404, 'NOT_FOUND', 'No such payment request');
    return this.refresh(record);
  }

  /** The latest request with this short code (codes are case-insensitive on paper). */
  byShortCode(code: string): PaymentRequestRecord {
    const wanted = code.toUpperCase();
    const record = [...this.requests].reverse().find((r) => r.shortCode === wanted);
    if (record === undefined) throw new HttpError(404, 'NOT_FOUND', 'No such payment request');
    return this.refresh(record);
  }

  /** Requests with this externalRef, in creation order. */
  byExternalRef(ref: string): PaymentRequestRecord[] {
    return this.requests.filter((r) => r.externalRef === ref).map((r) => this.refresh(r));
  }

  /**
   * The merchant's void: an unpaid request is cancelled (CANCELLED_BY_MERCHANT), a paid one is
   * refunded in full and stays `paid`. Nothing left to void is a 403 with the documented codes.
   */
  void(id: string): { record: PaymentRequestRecord; activity: Activity } {
    const record = this.get(id);
    const now = this.clock.nowMs();
    switch (record.status) {
      case 'expired':
        throw forbidden('REQUEST_EXPIRED', 'The payment request has expired');
      case 'cancelled':
        throw forbidden('REQUEST_CANCELLED', 'The payment request is already cancelled');
      case 'paid':
        if (record.refunded) throw forbidden('ALREADY_REFUNDED', 'The payment request is already refunded');
        if (now - record.createdAtMs > VOID_WINDOW_MS) throw forbidden('VOID_WINDOW_EXCEEDED', 'The void window of 24 hours has passed');
        record.refunded = true;
        record.updatedAtMs = now;
        return { record, activity: this.addActivity(record, 'refund', now) };
      case 'new':
        record.status = 'cancelled';
        record.cancellationReason = 'CANCELLED_BY_MERCHANT';
        record.updatedAtMs = now;
        return { record, activity: this.addActivity(record, 'cancellation', now) };
    }
  }

  /**
   * POST /{id}/refund (https://docs.centrapay.com/guides/initiating-refunds): a full or partial
   * refund of a paid request. externalRef must be unique per refund: a repeat with the same
   * externalRef and amount is answered with the first refund's activity and refunds nothing more;
   * another amount is 403 REPEAT_REFERENCE. Not paid: NOT_PAID; nothing left (a void refunded it,
   * or the refunds add up to the payment): ALREADY_REFUNDED; more than is left: INVALID_AMOUNT;
   * after the refund window (undocumented; here the void's 24 hours): REFUND_WINDOW_EXCEEDED.
   */
  refund(id: string, externalRef: string, value: { amount: string; currency: string }): { record: PaymentRequestRecord; activity: Activity } {
    const record = this.get(id);
    const now = this.clock.nowMs();
    const amountMinor = /^\d{1,8}$/.test(value.amount) ? Number(value.amount) : Number.NaN;
    if (!(amountMinor > 0) || value.currency !== record.value.currency) throw forbidden('INVALID_AMOUNT', 'The refund amount is not valid for this payment request');
    const repeat = record.refunds.find((r) => r.externalRef === externalRef);
    if (repeat !== undefined) {
      if (repeat.amountMinor !== amountMinor) throw forbidden('REPEAT_REFERENCE', 'A refund with this externalRef and another amount exists');
      return { record, activity: repeat.activity };
    }
    if (record.status !== 'paid') throw forbidden('NOT_PAID', 'The payment request is not paid');
    const refundedMinor = record.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    const paidMinor = Number(record.value.amount);
    if (record.refunded || refundedMinor >= paidMinor) throw forbidden('ALREADY_REFUNDED', 'The payment request is already refunded');
    if (now - record.createdAtMs > VOID_WINDOW_MS) throw forbidden('REFUND_WINDOW_EXCEEDED', 'The refund window has passed');
    if (refundedMinor + amountMinor > paidMinor) throw forbidden('INVALID_AMOUNT', 'The refund is more than is left to refund');
    const activity: Activity = { type: 'refund', number: record.activities.length + 1, atMs: now, value: { amount: String(amountMinor), currency: value.currency } };
    record.activities.push(activity);
    record.refunds.push({ externalRef, amountMinor, activity });
    if (refundedMinor + amountMinor === paidMinor) record.refunded = true;
    record.updatedAtMs = now;
    return { record, activity };
  }

  /** The simulated customer pays in full with test money. */
  pay(id: string, assetType?: string): PaymentRequestRecord {
    const record = this.requireNew(id);
    const now = this.clock.nowMs();
    record.status = 'paid';
    record.reportedStatus = undefined;
    record.assetType = assetType ?? testAssetType(record.value.currency);
    record.updatedAtMs = now;
    this.addActivity(record, 'payment', now);
    return record;
  }

  /** The customer's payment is declined (or the customer cancels): the request ends `cancelled`. */
  decline(id: string, reason: string = 'PAYMENT_DECLINED'): PaymentRequestRecord {
    const record = this.requireNew(id);
    const now = this.clock.nowMs();
    record.status = 'cancelled';
    record.reportedStatus = undefined;
    record.cancellationReason = reason;
    record.updatedAtMs = now;
    this.addActivity(record, 'cancellation', now);
    return record;
  }

  /** Moves `expiresAt` to now, so the next read sees `expired` (the demo's "let it time out"). */
  expireNow(id: string): PaymentRequestRecord {
    const record = this.requireNew(id);
    record.expiresAtMs = Math.min(record.expiresAtMs, this.clock.nowMs());
    return this.refresh(record);
  }

  /**
   * Reads of the request show `status` (e.g. `refunded`, which one version of the documents
   * lists) instead of its real status, until the patron pays or declines; undefined ends it.
   */
  reportStatus(id: string, status: string | undefined): PaymentRequestRecord {
    const record = this.get(id);
    record.reportedStatus = status;
    return record;
  }

  list(): PaymentRequestRecord[] {
    return this.requests.map((r) => this.refresh(r));
  }

  private requireNew(id: string): PaymentRequestRecord {
    const record = this.get(id);
    if (record.status === 'expired') throw forbidden('REQUEST_EXPIRED', 'The payment request has expired');
    if (record.status === 'paid') throw forbidden('REQUEST_PAID', 'The payment request is already paid');
    if (record.status === 'cancelled') throw forbidden('REQUEST_CANCELLED', 'The payment request is cancelled');
    return record;
  }

  /** Applies expiry lazily: a `new` request past `expiresAt` becomes `expired` as of `expiresAt`. */
  private refresh(record: PaymentRequestRecord): PaymentRequestRecord {
    if (record.status === 'new' && this.clock.nowMs() >= record.expiresAtMs) {
      record.status = 'expired';
      record.updatedAtMs = record.expiresAtMs;
      this.addActivity(record, 'expiry', record.expiresAtMs);
    }
    return record;
  }

  private addActivity(record: PaymentRequestRecord, type: Activity['type'], atMs: number): Activity {
    const activity: Activity = { type, number: record.activities.length + 1, atMs, value: { ...record.value } };
    record.activities.push(activity);
    return activity;
  }

  private newId(): string {
    for (;;) {
      const id = Array.from({ length: 22 }, () => ID_ALPHABET[Math.floor(this.random.next() * ID_ALPHABET.length)]).join('');
      if (!this.requests.some((r) => r.id === id)) return id;
    }
  }

  /** `CP-XXX-XXX`; the real codes are Luhn-checked, these are not (documented in the README). */
  private newShortCode(): string {
    for (;;) {
      const pick = (): string => CODE_ALPHABET[Math.floor(this.random.next() * CODE_ALPHABET.length)] ?? 'A';
      const code = `CP-${pick()}${pick()}${pick()}-${pick()}${pick()}${pick()}`;
      if (!this.requests.some((r) => r.shortCode === code && r.status === 'new')) return code;
    }
  }
}
