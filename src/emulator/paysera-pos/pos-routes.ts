import { timingSafeEqual } from 'node:crypto';
import { parseJsonBody, type EmulatorRequest, type EmulatorResponse } from '../exchange.js';
import { badParameters, HttpError, notFound } from '../http-error.js';
import { intParam } from '../pagination.js';
import type { Router } from '../router.js';
import type { ActiveVariations } from '../variations.js';
import type { PosState } from './pos-state.js';
import { cashRegisterView, moneyForm, orderView } from './pos-views.js';

export const POS_API_PREFIX = '/eapi/v1/';
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

type Handler = (request: EmulatorRequest, params: Readonly<Record<string, string>>) => EmulatorResponse;

/**
 * The Paysera POS eapi endpoints a terminal uses (docs/apis.md#paysera-pos-endpoints), behind
 * `Authorization: Bearer <token>`. Every path under /eapi/v1/ checks the token first. Error
 * bodies are Paysera's REST shape `{error, error_description}` (no POS example exists).
 */
export function mountPosApi(router: Router, service: string, state: PosState, tokens: readonly string[], variations: ActiveVariations): void {
  const authenticate = (request: EmulatorRequest): void => {
    const header = request.headers.authorization;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const token = match?.[1];
    if (token === undefined || !tokens.some((t) => sameSecret(t, token))) throw new HttpError(401, 'unauthorized', 'Missing or invalid bearer token');
  };
  const add = (method: string, pattern: string, handler: Handler): void =>
    router.add(service, method, `${POS_API_PREFIX}${pattern}`, (request, params) => {
      authenticate(request);
      return handler(request, params);
    });

  add('POST', 'orders', (req) => {
    const parsed = parseJsonBody(req.body);
    if (!parsed.ok) throw new HttpError(400, 'invalid_request', 'Body is not valid JSON');
    return { status: variations.has('pos-create-200') ? 200 : 201, body: orderView(state.createOrder(parsed.value), moneyForm(variations)) };
  });

  add('GET', 'orders', (req) => {
    const page = intParam(req.query, 'page', 1, 1, 1_000_000);
    const pageSize = intParam(req.query, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    const numbers = arrayParam(req.query, 'numbers');
    const statuses = arrayParam(req.query, 'status');
    const all = state.listOrders({ ...(numbers === undefined ? {} : { numbers }), ...(statuses === undefined ? {} : { statuses }) });
    const pagesTotal = Math.max(1, Math.ceil(all.length / pageSize));
    const form = moneyForm(variations);
    const items = all.slice((page - 1) * pageSize, page * pageSize).map((o) => orderView(o, form));
    const link = (n: number): string => {
      const query = new URLSearchParams(req.query);
      query.set('page', String(n));
      query.set('pageSize', String(pageSize));
      return `${POS_API_PREFIX}orders?${query.toString()}`;
    };
    const links: Record<string, string> = { first: link(1), last: link(pagesTotal), self: link(page) };
    if (page < pagesTotal) links['next'] = link(page + 1);
    if (page > 1) links['prev'] = link(Math.min(page - 1, pagesTotal));
    const listKey = variations.has('pos-list-items') ? 'items' : 'data';
    return { status: 200, body: { [listKey]: items, links, itemsTotal: all.length, pagesTotal } };
  });

  add('GET', 'orders/:id', (_req, p) => ({ status: 200, body: orderView(state.getOrder(p.id ?? ''), moneyForm(variations)) }));

  add('POST', 'orders/:id/cancel', (_req, p) => {
    state.cancelOrder(p.id ?? '');
    return { status: 200, body: { status: 'cancelled', message: 'Order cancelled' } };
  });

  add('GET', 'cash-registers/:number/status', (_req, p) => ({ status: 200, body: cashRegisterView(state.cashRegister(p.number ?? ''), state, moneyForm(variations)) }));

  router.fallback(service, POS_API_PREFIX, (request) => {
    authenticate(request);
    throw notFound('No such resource');
  });
}

/** `key[]=a&key[]=b` (as MEDI sends) or `key=a,b` (as Paysera's API reference shows; docs/apis.md#paysera-pos-endpoints); absent: undefined. */
function arrayParam(query: URLSearchParams, key: string): string[] | undefined {
  const values = [...query.getAll(`${key}[]`), ...query.getAll(key).flatMap((v) => v.split(','))].filter((v) => v !== '');
  if (values.length === 0) {
    if (query.has(`${key}[]`) || query.has(key)) throw badParameters(`${key} must not be empty`);
    return undefined;
  }
  return values;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
