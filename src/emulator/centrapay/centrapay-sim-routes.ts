import { ok } from '../exchange.js';
import { badParameters } from '../http-error.js';
import type { Router } from '../router.js';
import { SIM_PREFIX } from '../server.js';
import { optionalString, simBody } from '../sim-body.js';
import { CANCELLATION_REASONS, type CentrapayState } from './centrapay-state.js';
import { paymentRequestView } from './centrapay-views.js';

export const CENTRAPAY_SIM_PREFIX = `${SIM_PREFIX}centrapay/`;

/**
 * /_sim/centrapay/: the patron's side. A request is named by exactly one of `id`, `shortCode` or
 * `url` (the scanned QR, so the demo's simulated customer can pay what the printer printed).
 * Errors are the Paysera-style `/_sim/` bodies; the state rules are the API's (paying an expired
 * request is 403 REQUEST_EXPIRED, and so on).
 */
export function mountCentrapaySimRoutes(router: Router, service: string, state: CentrapayState): void {
  const add = (method: string, path: string, handler: Parameters<Router['add']>[3]): void => router.add(service, method, `${CENTRAPAY_SIM_PREFIX}${path}`, handler);

  const idOf = (body: Record<string, unknown>): string => {
    const id = optionalString(body, 'id');
    const shortCode = optionalString(body, 'shortCode');
    const url = optionalString(body, 'url');
    const given = [id, shortCode, url].filter((v) => v !== undefined);
    if (given.length !== 1) throw badParameters('Provide exactly one of id, shortCode and url');
    if (id !== undefined) return id;
    if (shortCode !== undefined) return state.byShortCode(shortCode).id;
    const match = /\/pay\/([^/?#]+)$/.exec(url ?? '') ?? /\/payment-requests\/([^/?#]+)\/pay$/.exec(url ?? '');
    if (match === null) throw badParameters('url is not a Centrapay pay link (.../pay/{id})');
    return decodeURIComponent(match[1] ?? '');
  };

  add('POST', 'pay', (req) => {
    const body = simBody(req);
    const assetType = optionalString(body, 'assetType');
    return ok(paymentRequestView(state.pay(idOf(body), assetType), state));
  });

  add('POST', 'decline', (req) => {
    const body = simBody(req);
    const reason = optionalString(body, 'reason') ?? 'PAYMENT_DECLINED';
    if (!(CANCELLATION_REASONS as readonly string[]).includes(reason)) throw badParameters(`reason must be one of ${CANCELLATION_REASONS.join(', ')}`);
    return ok(paymentRequestView(state.decline(idOf(body), reason), state));
  });

  add('POST', 'expire', (req) => ok(paymentRequestView(state.expireNow(idOf(simBody(req))), state)));

  // {"id": ..., "status": "refunded"}: reads show that status until the patron acts; no status ends it.
  add('POST', 'report-status', (req) => {
    const body = simBody(req);
    return ok(paymentRequestView(state.reportStatus(idOf(body), optionalString(body, 'status')), state));
  });

  add('GET', 'payment-requests', () => ok({ items: state.list().map((r) => paymentRequestView(r, state)) }));

  // The merchant config: {"acceptedCurrencies": ["NZD", "EUR"]} (default NZD).
  add('GET', 'merchant', () => ok({ merchantAccountId: state.options.merchantAccountId, acceptedCurrencies: state.acceptedCurrencies }));
  add('POST', 'merchant', (req) => {
    const body = simBody(req);
    for (const key of Object.keys(body)) if (key !== 'acceptedCurrencies') throw badParameters(`Unknown field ${key}`);
    const currencies = body['acceptedCurrencies'];
    if (!Array.isArray(currencies) || currencies.some((c) => typeof c !== 'string')) throw badParameters('acceptedCurrencies must be an array of ISO 4217 codes');
    state.setAcceptedCurrencies(currencies as string[]);
    return ok({ merchantAccountId: state.options.merchantAccountId, acceptedCurrencies: state.acceptedCurrencies });
  });
}
