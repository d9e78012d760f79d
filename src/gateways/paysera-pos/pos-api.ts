import type { CashRegisterStatus, ListOrdersFilter, PosOrder, RecordSaleInput } from './pos-types.js';

/**
 * The Paysera POS External API (eapi/v1, Bearer token) as the back-office sync uses it
 * (docs/apis.md#paysera-pos-endpoints): record a paid sale as an order, find it again by number, check the register.
 *
 * Contract, for every method:
 * - Resolves only on a 2xx whose body decodes (an order needs `id` and `number`; a list needs a
 *   `data` or `items` array). Otherwise rejects with a PosError whose `code` is stable:
 *   `conflict` (409: on create, the number probably exists: look it up, never re-POST unchanged),
 *   `validation_failed` (422: the body breaks a business rule; final: a person must look),
 *   `bad_request` (400), `unauthorized` (401: the token is wrong or revoked; no refresh exists),
 *   `forbidden` (403), `not_found` (404), `rate_limit_exceeded` (429, `retryAfterMs` from
 *   Retry-After as seconds or an HTTP date, clamped to 1..120 s), `server_error` (5xx),
 *   `http_error` (other), `connect_failed` / `request_timeout` / `connection_reset` (no response),
 *   `invalid_response`, `invalid_argument` (refused before sending). The server's own text is in
 *   `description`; never branch on it.
 * - `ambiguous`: createOrder may have taken effect (sent and no answer, a 5xx, an unreadable 2xx):
 *   call findOrdersForSale before any re-POST. Reads are never ambiguous.
 * - `retryable`: network, 5xx, 429. 400/401/403/404/409/422 are final for the same request.
 * - Lists follow `links.next` resolved against the API's origin (never another origin: the token
 *   goes with every request) until `next` is missing or repeats, and return every item.
 * - The client never retries on its own.
 */
export interface PosApi {
  /** The order number of a sale: configured prefix + sale id. */
  orderNumber(saleId: string): string;
  /** POST /eapi/v1/orders: one position and one payment of the amount, number = orderNumber(saleId). */
  createOrder(input: RecordSaleInput): Promise<PosOrder>;
  /** GET /eapi/v1/orders?numbers[]=<number>, every page; only orders whose number matches exactly. */
  findOrdersForSale(saleId: string): Promise<PosOrder[]>;
  /** GET /eapi/v1/orders with filters, every page. */
  listOrders(filter?: ListOrdersFilter): Promise<PosOrder[]>;
  /** GET /eapi/v1/orders/{id} by UUID. */
  getOrder(id: string): Promise<PosOrder>;
  /**
   * POST /eapi/v1/orders/{id}/cancel: only an order not yet completed can be cancelled; otherwise
   * `conflict` (409). Ambiguous like a create: read the order before sending it again.
   */
  cancelOrder(id: string): Promise<void>;
  /** GET /eapi/v1/cash-registers/{configured number}/status: the health check. */
  cashRegisterStatus(): Promise<CashRegisterStatus>;
}
