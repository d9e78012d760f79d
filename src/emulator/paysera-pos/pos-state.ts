import { SeededRandom, type RandomSource } from '../../platform/random.js';
import type { EmulatorClock } from '../emulator-clock.js';
import { isPlainObject } from '../exchange.js';
import { HttpError, notFound } from '../http-error.js';

/**
 * Paysera POS eapi orders and cash registers (docs/apis.md#paysera-pos-external-api), in the shape the one real client
 * (MEDI) sends: `orderPositions[{title, quantity, unitPrice{regular}, measureUnit, tax?}]`,
 * `payments[{paymentMethod, amount, ...}]`, decimal money in requests, cents in responses (as the
 * API reference shows). `number` is unique: a second order with it is 409. Every error is thrown
 * before any state changes.
 */

export interface PositionRecord {
  id: number;
  title: string;
  productSKU: string | null;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
  measureUnit: string;
  tax: { taxRate: number; taxClassifier: string | undefined } | undefined;
}

export interface PaymentRecord {
  id: number;
  paymentMethod: string;
  amountCents: number;
  createdAt: string;
}

export interface PosOrderRecord {
  id: string;
  number: string;
  currency: string;
  languageCode: string | undefined;
  /** `waitingPayment` until payments cover the total, then `completed`; `cancelled` after cancel. */
  status: string;
  createdAt: string;
  updatedAtMs: number;
  positions: PositionRecord[];
  payments: PaymentRecord[];
  totalCents: number;
}

export interface CashRegisterRecord {
  number: string;
  status: string;
  fiscalDayNumber: number;
  fiscalDayStarted: boolean;
  currency: string;
}

export interface PosStateOptions {
  seed: number;
  cashRegisters: readonly string[];
}

export const DEFAULT_CASH_REGISTER = '123';

export const validationError = (description: string): HttpError => new HttpError(422, 'validation_error', description);

export class PosState {
  private orders: PosOrderRecord[] = [];
  private registers = new Map<string, CashRegisterRecord>();
  private random: RandomSource;
  private nextPositionId = 1;
  private nextPaymentId = 1;
  private autoNumber = 1;

  constructor(
    readonly options: PosStateOptions,
    private readonly clock: EmulatorClock,
  ) {
    this.random = new SeededRandom(options.seed);
    this.reset();
  }

  reset(): void {
    this.orders = [];
    this.random = new SeededRandom(this.options.seed);
    this.nextPositionId = 1;
    this.nextPaymentId = 1;
    this.autoNumber = 1;
    this.registers = new Map(
      this.options.cashRegisters.map((number) => [number, { number, status: 'online', fiscalDayNumber: 1, fiscalDayStarted: true, currency: 'EUR' }]),
    );
  }

  createOrder(body: unknown): PosOrderRecord {
    if (!isPlainObject(body)) throw new HttpError(400, 'invalid_request', 'Body must be a JSON object');
    const numberField = body['number'];
    if (numberField !== undefined && numberField !== null && (typeof numberField !== 'string' || numberField === '' || numberField.length > 64)) {
      throw validationError('number must be a string of 1..64 characters');
    }
    const currency = body['currency'];
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw validationError('currency must be an ISO 4217 code');
    const languageCode = body['languageCode'];
    if (languageCode !== undefined && (typeof languageCode !== 'string' || !/^[a-z]{2}$/.test(languageCode))) throw validationError('languageCode must be ISO 639-1');
    const createdAtField = body['createdAt'];
    if (createdAtField !== undefined && (typeof createdAtField !== 'string' || Number.isNaN(Date.parse(createdAtField)))) throw validationError('createdAt must be an ISO-8601 timestamp');
    const rawPositions = body['orderPositions'];
    if (!Array.isArray(rawPositions) || rawPositions.length === 0) throw validationError('orderPositions must hold at least one position');
    const positions = rawPositions.map((p, i) => this.parsePosition(p, i));
    const totalCents = positions.reduce((sum, p) => sum + p.totalCents, 0);
    const rawPayments = body['payments'] ?? [];
    if (!Array.isArray(rawPayments)) throw validationError('payments must be an array');
    const now = this.clock.nowMs();
    const payments = rawPayments.map((p, i) => this.parsePayment(p, i, new Date(now).toISOString()));
    const paid = payments.reduce((sum, p) => sum + p.amountCents, 0);
    if (paid > totalCents) throw validationError(`payments (${paid}) exceed the order total (${totalCents})`);

    const number = typeof numberField === 'string' ? numberField : this.nextAutoNumber();
    if (this.orders.some((o) => o.number === number)) throw new HttpError(409, 'conflict', `An order with number ${number} already exists`);

    // Ids are only assigned once the order is known to be valid.
    for (const p of positions) p.id = this.nextPositionId++;
    for (const p of payments) p.id = this.nextPaymentId++;
    const order: PosOrderRecord = {
      id: this.uuid(),
      number,
      currency,
      languageCode: languageCode as string | undefined,
      status: paid === totalCents ? 'completed' : 'waitingPayment',
      createdAt: typeof createdAtField === 'string' ? createdAtField : new Date(now).toISOString(),
      updatedAtMs: now,
      positions,
      payments,
      totalCents,
    };
    this.orders.push(order);
    return order;
  }

  getOrder(id: string): PosOrderRecord {
    const order = this.orders.find((o) => o.id === id);
    if (order === undefined) throw notFound('No such order');
    return order;
  }

  /** Only an order still waiting for payment can be cancelled; anything else is 409 (terminal state). */
  cancelOrder(id: string): PosOrderRecord {
    const order = this.getOrder(id);
    if (order.status !== 'waitingPayment') throw new HttpError(409, 'conflict', `Order is ${order.status} and cannot be cancelled`);
    order.status = 'cancelled';
    order.updatedAtMs = this.clock.nowMs();
    return order;
  }

  listOrders(filter: { numbers?: readonly string[]; statuses?: readonly string[] }): PosOrderRecord[] {
    return this.orders.filter(
      (o) => (filter.numbers === undefined || filter.numbers.includes(o.number)) && (filter.statuses === undefined || filter.statuses.includes(o.status)),
    );
  }

  allOrders(): readonly PosOrderRecord[] {
    return this.orders;
  }

  cashRegister(number: string): CashRegisterRecord {
    const register = this.registers.get(number);
    if (register === undefined) throw notFound('No such cash register');
    return register;
  }

  setCashRegister(number: string, change: { status?: string; fiscalDayStarted?: boolean }): CashRegisterRecord {
    const register = this.cashRegister(number);
    if (change.status !== undefined) register.status = change.status;
    if (change.fiscalDayStarted !== undefined) {
      if (change.fiscalDayStarted && !register.fiscalDayStarted) register.fiscalDayNumber += 1;
      register.fiscalDayStarted = change.fiscalDayStarted;
    }
    return register;
  }

  registersList(): CashRegisterRecord[] {
    return [...this.registers.values()];
  }

  /** When the last order was recorded, for the cash register status. */
  lastTransactionAt(): string | undefined {
    const last = this.orders.at(-1);
    return last === undefined ? undefined : new Date(last.updatedAtMs).toISOString();
  }

  private parsePosition(value: unknown, index: number): PositionRecord {
    const where = `orderPositions[${index}]`;
    if (!isPlainObject(value)) throw validationError(`${where} must be an object`);
    const title = value['title'] ?? value['name'];
    if (typeof title !== 'string' || title === '') throw validationError(`${where}.title is required`);
    const quantity = value['quantity'];
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) throw validationError(`${where}.quantity must be a positive number`);
    const unitPrice = value['unitPrice'];
    const regular = isPlainObject(unitPrice) ? unitPrice['regular'] : value['price'];
    const unitPriceCents = decimalToCents(regular, `${where}.unitPrice.regular`);
    // Quantities may be fractional (MEDI sends floats); the line total is rounded to the cent.
    const totalCents = Math.round(unitPriceCents * quantity);
    const tax = value['tax'];
    let parsedTax: PositionRecord['tax'];
    if (tax !== undefined && tax !== null) {
      if (!isPlainObject(tax) || typeof tax['taxRate'] !== 'number' || tax['taxRate'] < 0 || tax['taxRate'] > 100) throw validationError(`${where}.tax.taxRate must be 0..100`);
      const classifier = tax['taxClassifier'];
      if (classifier !== undefined && typeof classifier !== 'string') throw validationError(`${where}.tax.taxClassifier must be a string`);
      parsedTax = { taxRate: tax['taxRate'], taxClassifier: classifier };
    }
    const sku = value['productSKU'];
    const measureUnit = value['measureUnit'];
    return {
      id: 0,
      title,
      productSKU: typeof sku === 'string' ? sku : null,
      quantity,
      unitPriceCents,
      totalCents,
      measureUnit: typeof measureUnit === 'string' && measureUnit !== '' ? measureUnit : 'unit',
      tax: parsedTax,
    };
  }

  private parsePayment(value: unknown, index: number, now: string): PaymentRecord {
    const where = `payments[${index}]`;
    if (!isPlainObject(value)) throw validationError(`${where} must be an object`);
    const method = value['paymentMethod'];
    if (typeof method !== 'string' || method === '') throw validationError(`${where}.paymentMethod is required`);
    const createdAt = value['createdAt'];
    return { id: 0, paymentMethod: method, amountCents: decimalToCents(value['amount'], `${where}.amount`), createdAt: typeof createdAt === 'string' ? createdAt : now };
  }

  private nextAutoNumber(): string {
    for (;;) {
      const number = `EMU-${String(this.autoNumber++).padStart(6, '0')}`;
      if (!this.orders.some((o) => o.number === number)) return number;
    }
  }

  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** A decimal amount ("12.34", 12.34, "12") to cents; more than two decimals or negative is 422. */
export function decimalToCents(value: unknown, field: string): number {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') throw validationError(`${field} must be a decimal amount`);
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (match === null) throw validationError(`${field} must be a non-negative amount with at most two decimals`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function centsToDecimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
