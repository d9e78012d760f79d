import { HttpEndpoint, type HttpClientOptions } from '../http/http-endpoint.js';
import type { SaleKind } from '../../domain/sale.js';
import type { PosApi } from './pos-api.js';
import { decodeCashRegister, decodeOrder, decodeOrderPage } from './pos-decoders.js';
import { PosError } from './pos-error.js';
import { classifyHttpError, invalidArgument } from './pos-error-classification.js';
import type { CashRegisterStatus, ListOrdersFilter, PosOrder, RecordSaleInput } from './pos-types.js';
import { jsonCall, jsonCallErrors } from '../http/json-call.js';


export interface PosClientOptions extends HttpClientOptions {
  /** https://pos.paysera.com/eapi/v1 (or the demo host); http only for loopback (config enforces). */
  baseUrl: string;
  /** Personal Access Token, sent as `Authorization: Bearer`. Never logged. */
  token: string;
  cashRegisterNumber: string;
  /** Our order number is this plus the sale id: the only key to find an order again. */
  orderNumberPrefix: string;
  /** ISO 639-1, e.g. "lt". */
  languageCode: string;
  /** `payments[].paymentMethod` per sale kind (the config's documented values). */
  paymentMethod: Readonly<Record<SaleKind, string>>;
  positionTitle: string;
  /** VAT of the one position, when the register needs it (e.g. 21 / "PVM1" in Lithuania). */
  tax?: { taxRate: number; taxClassifier?: string | undefined } | undefined;
}

const MAX_PAGE_SIZE = 100;
/** More pages than this is a server bug or a link loop, not a shop. */
const MAX_PAGES = 100;

/** This gateway's errors for each way a JSON call can fail. */
const ERRORS = jsonCallErrors((init) => new PosError(init), classifyHttpError);

/**
 * The Paysera POS eapi client over undici (docs/apis.md#paysera-pos-external-api). One call is one request per page; no
 * retries. The constructor only assigns; start() opens the connection pool, stop() closes it.
 *
 * Order body (the one public client's shape, docs/apis.md#paysera-pos-order-body): `number`, `currency`,
 * `languageCode`, `createdAt`, one `orderPositions` entry `{title, productSKU: null, quantity: 1,
 * unitPrice: {regular}, measureUnit: "unit", tax?}` and one payment `{paymentMethod, amount,
 * advancePayment: 0, createdAt}`. Money is sent as decimals built from integer minor units by
 * string arithmetic: `amount` as a string ("12.34"), `unitPrice.regular` as a JSON number whose
 * text is that same decimal.
 */
export class PayseraPosClient implements PosApi {
  private readonly endpoint: HttpEndpoint;

  constructor(private readonly options: PosClientOptions) {
    this.endpoint = new HttpEndpoint({ ...options, name: 'paysera-pos' });
  }

  start(): Promise<void> {
    return this.endpoint.start();
  }

  stop(): Promise<void> {
    return this.endpoint.stop();
  }

  orderNumber(saleId: string): string {
    return `${this.options.orderNumberPrefix}${saleId}`;
  }

  async createOrder(input: RecordSaleInput): Promise<PosOrder> {
    const path = `${this.endpoint.basePath}/orders`;
    if (input.saleId === '') throw invalidArgument('POST', path, 'empty sale id');
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw invalidArgument('POST', path, `amount must be positive minor units, got ${input.amountMinor}`);
    if (!/^[A-Z]{3}$/.test(input.currency)) throw invalidArgument('POST', path, `not a currency: ${input.currency}`);
    const paidAtMs = input.paidAt === undefined ? this.options.clock.wallMs() : Date.parse(input.paidAt);
    if (Number.isNaN(paidAtMs)) throw invalidArgument('POST', path, `paidAt is not a timestamp: ${input.paidAt ?? ''}`);
    // ISO-8601 UTC to the second, as MEDI sends (2026-11-21T12:00:00Z).
    const paidAt = new Date(paidAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const decimal = minorToDecimal(input.amountMinor);
    const position: Record<string, unknown> = {
      title: withTerminal(input.title ?? (input.refundOf === undefined ? this.options.positionTitle : `Refund ${this.orderNumber(input.refundOf)}`), input.terminal),
      productSKU: null,
      quantity: 1,
      unitPrice: { regular: Number(decimal) },
      measureUnit: 'unit',
    };
    if (this.options.tax !== undefined) {
      position['tax'] = { taxRate: this.options.tax.taxRate, ...(this.options.tax.taxClassifier === undefined ? {} : { taxClassifier: this.options.tax.taxClassifier }) };
    }
    const body = {
      number: this.orderNumber(input.saleId),
      currency: input.currency,
      languageCode: this.options.languageCode,
      createdAt: paidAt,
      orderPositions: [position],
      // A refund's record is paid by nobody: it stays open until it is cancelled.
      payments: input.refundOf === undefined ? [{ paymentMethod: this.options.paymentMethod[input.kind], amount: decimal, advancePayment: 0, createdAt: paidAt }] : [],
    };
    return this.call('POST', path, body, (json) => decodeOrder(json, input.amountMinor));
  }

  async findOrdersForSale(saleId: string): Promise<PosOrder[]> {
    if (saleId === '') throw invalidArgument('GET', `${this.endpoint.basePath}/orders`, 'empty sale id');
    const number = this.orderNumber(saleId);
    // The filter is undocumented in part; an order with another number is never ours.
    return (await this.listOrders({ numbers: [number] })).filter((o) => o.number === number);
  }

  async listOrders(filter: ListOrdersFilter = {}): Promise<PosOrder[]> {
    const pageSize = filter.pageSize ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalidArgument('GET', `${this.endpoint.basePath}/orders`, `pageSize must be 1..${MAX_PAGE_SIZE}`);
    const query = new URLSearchParams();
    for (const n of filter.numbers ?? []) query.append('numbers[]', n);
    for (const s of filter.statuses ?? []) query.append('status[]', s);
    query.set('pageSize', String(pageSize));
    let target = `${this.endpoint.basePath}/orders?${query.toString()}`;
    const visited = new Set<string>();
    const orders = new Map<string, PosOrder>();
    for (let page = 0; page < MAX_PAGES; page++) {
      visited.add(target);
      const result = await this.call('GET', target, undefined, decodeOrderPage);
      // An order that moved between pages while we read is kept once.
      for (const order of result.items) orders.set(order.id, order);
      if (result.next === undefined || result.next === result.self) return [...orders.values()];
      const next = this.resolveLink(result.next, target);
      if (visited.has(next)) return [...orders.values()];
      target = next;
    }
    throw new PosError({ code: 'invalid_response', message: `GET ${this.endpoint.basePath}/orders: more than ${MAX_PAGES} pages`, method: 'GET', path: target, ambiguous: false, retryable: true });
  }

  async getOrder(id: string): Promise<PosOrder> {
    if (id === '') throw invalidArgument('GET', `${this.endpoint.basePath}/orders`, 'empty order id');
    return this.call('GET', `${this.endpoint.basePath}/orders/${encodeURIComponent(id)}`, undefined, decodeOrder);
  }

  async cancelOrder(id: string): Promise<void> {
    if (id === '') throw invalidArgument('POST', `${this.endpoint.basePath}/orders`, 'empty order id');
    // The answer ({status, message}) says nothing the next read does not: any 2xx is done.
    await this.call('POST', `${this.endpoint.basePath}/orders/${encodeURIComponent(id)}/cancel`, undefined, () => undefined);
  }

  cashRegisterStatus(): Promise<CashRegisterStatus> {
    return this.call('GET', `${this.endpoint.basePath}/cash-registers/${encodeURIComponent(this.options.cashRegisterNumber)}/status`, undefined, decodeCashRegister);
  }

  /**
   * A HATEOAS link is a root-relative path (`/eapi/v1/orders?page=3`): resolved against the
   * origin, not the /eapi/v1 base. A link to another origin is refused, because the token would
   * go with it.
   */
  private resolveLink(link: string, from: string): string {
    let url: URL;
    try {
      url = new URL(link, this.endpoint.origin);
    } catch (error) {
      throw ERRORS.invalidResponse('GET', from, 200, `links.next is not a URL: ${link}`, error);
    }
    if (url.origin !== this.endpoint.origin) throw ERRORS.invalidResponse('GET', from, 200, `links.next leaves the API origin: ${url.origin}`);
    return `${url.pathname}${url.search}`;
  }

  private call<T>(method: string, path: string, body: unknown, decode: (json: unknown) => T): Promise<T> {
    const headers = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    return jsonCall(this.endpoint, this.options.clock, { method, path, headers, body }, ERRORS, decode);
  }

}

/** Integer minor units of a two-decimal currency as a decimal string, without floats: 1299 -> "12.99". */
export function minorToDecimal(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** A position title that names the terminal (several counters at one venue), within the title's room. */
function withTerminal(title: string, terminal: string | undefined): string {
  return terminal === undefined ? title : `${title} (${terminal})`;
}
