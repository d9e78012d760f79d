import { ok, parseJsonBody, type EmulatorRequest, type EmulatorResponse } from '../exchange.js';
import { badParameters, HttpError, notFound } from '../http-error.js';
import { intParam, parsePage } from '../pagination.js';
import type { Router } from '../router.js';
import type { EmulatorClock } from '../emulator-clock.js';
import type { MacVerifier, VerifiedRequest } from './mac-verifier.js';
import { TRANSACTION_STATUSES, type TransactionStatus } from './records.js';
import { macCustomer } from './customer-side.js';
import type { WalletState } from './wallet-state.js';

export const WALLET_API_PREFIX = '/rest/v1/';

type AuthedHandler = (request: EmulatorRequest, params: Readonly<Record<string, string>>, caller: VerifiedRequest) => unknown;

/**
 * The Wallet API of docs/apis.md#paysera-wallet-endpoints-and-shapes on the shared router: merchant endpoints plus the customer-side
 * spot ones (spot by code, check-in, check-out), which act as the pseudo customer `mac:<id>`.
 * Everything but GET /rest/v1/server is MAC-verified first, including unknown paths, so an
 * unsigned probe learns nothing but 401. Success is always 200 with the resource as JSON.
 */
export function mountWalletApi(router: Router, service: string, state: WalletState, verifier: MacVerifier, clock: EmulatorClock): void {
  const authed =
    (handler: AuthedHandler) =>
    (request: EmulatorRequest, params: Readonly<Record<string, string>>): EmulatorResponse => {
      const caller = verifier.verify(request);
      request.notes.macId = caller.macId;
      return ok(handler(request, params, caller));
    };
  const add = (method: string, pattern: string, handler: AuthedHandler): void => router.add(service, method, `${WALLET_API_PREFIX}${pattern}`, authed(handler));

  router.add(service, 'GET', `${WALLET_API_PREFIX}server`, () => ok({ time: clock.nowS() }));

  add('GET', 'spot', (req, _p, caller) => {
    const code = req.query.get('code');
    if (code === null || code === '') throw badParameters('Parameter code is required');
    return state.spotByCode(code, macCustomer(caller.macId));
  });
  add('GET', 'spot/:id', (_req, p, caller) => state.getSpot(numericId(p.id), macCustomer(caller.macId)));
  add('PUT', 'spot/:id/check-in', (_req, p, caller) => state.checkIn(numericId(p.id), macCustomer(caller.macId)));
  add('PUT', 'spot/:id/check-out', (_req, p, caller) => state.checkOut(numericId(p.id), macCustomer(caller.macId)));
  add('PUT', 'spot/:id/close', (_req, p, caller) => state.closeSpot(numericId(p.id), macCustomer(caller.macId)));
  add('GET', 'spots', (req) => {
    const status = req.query.get('status') ?? undefined;
    const locationId = req.query.has('location_id') ? intParam(req.query, 'location_id', 0, 0, Number.MAX_SAFE_INTEGER) : undefined;
    return state.listSpots({ ...(status === undefined ? {} : { status }), ...(locationId === undefined ? {} : { locationId }) }, parsePage(req.query));
  });

  add('POST', 'spot/:id/order', (req, p) => state.createOrder(numericId(p.id), jsonBody(req), req.alteration));
  add('GET', 'order/:id', (_req, p) => state.getOrder(numericId(p.id)));
  add('PUT', 'order/:id', (req, p) => state.editOrder(numericId(p.id), jsonBody(req)));
  add('DELETE', 'order/:id', (_req, p) => state.deleteOrder(numericId(p.id)));

  add('POST', 'transaction', (req, _p, caller) => {
    // A client may scope the transaction to a location through ext (docs/apis.md#paysera-wallet-signing).
    const location = caller.ext.get('location_id');
    const locationId = location !== null && /^\d+$/.test(location) ? Number(location) : undefined;
    return state.createTransaction(jsonBody(req), locationId, req.alteration);
  });
  add('GET', 'transaction/:key', (_req, p) => state.getTransaction(p.key ?? ''));
  add('PUT', 'transaction/:key/reserve', (req, p) => state.reserveWithCode(p.key ?? '', jsonBody(req), req.alteration));
  add('PUT', 'transaction/:key/confirm', (req, p) => state.confirm(p.key ?? '', jsonBody(req)));
  add('DELETE', 'transaction/:key', (_req, p) => state.revoke(p.key ?? ''));
  add('DELETE', 'payment/:id', (_req, p) => state.cancelPayment(numericId(p.id)));
  add('GET', 'transactions', (req) => {
    const page = parsePage(req.query);
    const filter: Parameters<WalletState['listTransactions']>[0] = {};
    const status = req.query.get('status');
    if (status !== null && status !== '') filter.statuses = parseStatuses(status);
    if (req.query.has('from')) filter.from = intParam(req.query, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
    if (req.query.has('to')) filter.to = intParam(req.query, 'to', 0, 0, Number.MAX_SAFE_INTEGER);
    if (req.query.has('location_id')) filter.locationId = intParam(req.query, 'location_id', 0, 0, Number.MAX_SAFE_INTEGER);
    return state.listTransactions(filter, page);
  });

  router.fallback(service, WALLET_API_PREFIX, (request) => {
    verifier.verify(request);
    throw notFound('No such resource');
  });
}

function numericId(raw: string | undefined): number {
  // A non-numeric id names no resource, as on the real API's routes.
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) throw notFound('No such resource');
  return Number(raw);
}

function jsonBody(request: EmulatorRequest): unknown {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw new HttpError(400, 'invalid_request', 'Body is not valid JSON');
  return parsed.value;
}

/**
 * The statuses the API documents (docs/apis.md#paysera-wallet-statuses), including the `waiting_*` ones the emulator
 * never produces: a filter on them is valid and simply matches nothing here.
 */
const DOCUMENTED_STATUSES: readonly string[] = [...TRANSACTION_STATUSES, 'waiting_funds', 'waiting_registration', 'waiting_password'];

function parseStatuses(raw: string): TransactionStatus[] {
  return raw.split(',').flatMap((s) => {
    if (!DOCUMENTED_STATUSES.includes(s)) throw badParameters(`Unknown transaction status ${s}`);
    return (TRANSACTION_STATUSES as readonly string[]).includes(s) ? [s as TransactionStatus] : [];
  });
}
