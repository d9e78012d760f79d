import { timingSafeEqual } from 'node:crypto';
import { sleep, type Clock } from '../../platform/clock.js';
import { isPlainObject, ok, parseJsonBody, type EmulatorRequest } from '../exchange.js';
import { HttpError } from '../http-error.js';
import type { Router } from '../router.js';
import type { ActiveVariations } from '../variations.js';
import { badRequest, type CentrapayState } from './centrapay-state.js';
import { activityView, documentedLookupItemView, paymentRequestView, summaryLookupItemView } from './centrapay-views.js';

export const CENTRAPAY_API_PREFIX = '/api/';
const PR = `${CENTRAPAY_API_PREFIX}payment-requests`;
const DEFAULT_PAGE_LIMIT = 10;
const MAX_PAGE_LIMIT = 100;
/** Variation `create-answered-late`: the answer waits this long (the case reported from the field), past any terminal's timeout. */
export const LATE_CREATE_ANSWER_MS = 12_000;

type Handler = (request: EmulatorRequest, params: Readonly<Record<string, string>>) => unknown;

/**
 * The Centrapay payment-request endpoints a terminal uses (docs/apis.md#centrapay-payment-requests), behind X-Api-Key.
 * Every path under /api/ checks the key first, unknown ones included, so a probe without the key
 * learns nothing but 401. Success is always 200 (Centrapay never answers 201).
 */
export function mountCentrapayApi(
  router: Router,
  service: string,
  state: CentrapayState,
  apiKeys: readonly string[],
  variations: ActiveVariations,
  timers: Clock,
): void {
  const authenticate = (request: EmulatorRequest): void => {
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || key === '' || !apiKeys.some((k) => sameSecret(k, key))) {
      throw new HttpError(401, 'UNAUTHORIZED', 'Missing authentication');
    }
  };
  const add = (method: string, pattern: string, handler: Handler): void =>
    router.add(service, method, `${PR}${pattern}`, (request, params) => {
      authenticate(request);
      const body = handler(request, params);
      // A held answer (variation `create-answered-late`) is a promise of the body.
      return body instanceof Promise ? body.then(ok) : ok(body);
    });

  add('POST', '', async (req) => {
    const body = objectBody(req);
    const configId = requiredString(body, 'configId');
    const value = body['value'];
    if (!isPlainObject(value)) throw badRequest('value is required');
    const amount = value['amount'];
    const currency = value['currency'];
    if (typeof amount !== 'string') throw badRequest('value.amount must be a string');
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw badRequest('value.currency must be an ISO 4217 code');
    const expirySeconds = body['expirySeconds'];
    if (expirySeconds !== undefined && (typeof expirySeconds !== 'number' || !Number.isInteger(expirySeconds) || expirySeconds < 1 || expirySeconds > 86_400 * 30)) {
      throw badRequest('expirySeconds must be a positive integer');
    }
    const record = state.create({
      configId,
      value: { amount, currency },
      alteration: req.alteration,
      expirySeconds: expirySeconds as number | undefined,
      externalRef: optionalString(body, 'externalRef', 128),
      terminalId: optionalString(body, 'terminalId', 128),
      deviceId: optionalString(body, 'deviceId', 128),
      operatorId: optionalString(body, 'operatorId', 128),
    });
    // Variation `create-answered-late`: applied now, answered after the client has given up.
    if (variations.has('create-answered-late')) await sleep(timers, LATE_CREATE_ANSWER_MS);
    return paymentRequestView(record, state);
  });

  // Literal segments first: an externalRef or short code must never be read as an id route.
  add('GET', '/short-code/:code', (_req, p) => paymentRequestView(state.byShortCode(p.code ?? ''), state));
  add('GET', '/external-ref/:ref', (req, p) => {
    const account = req.query.get('merchantAccountId');
    if (account === null || account === '') throw badRequest('merchantAccountId is required');
    if (account !== state.options.merchantAccountId) throw new HttpError(403, 'FORBIDDEN', 'No access to that merchant account');
    const limit = pageLimit(req.query.get('paginationLimit'));
    const start = pageStart(req.query.get('pageKey'));
    const all = state.byExternalRef(p.ref ?? '');
    // Variation `external-ref-example-shape`: items and cursor as in the documented example;
    // `external-ref-summary-items`: items without shortCode, url and expiresAt.
    const asExample = variations.has('external-ref-example-shape');
    const view = variations.has('external-ref-summary-items') ? summaryLookupItemView : asExample ? documentedLookupItemView : paymentRequestView;
    const items = all.slice(start, start + limit).map((r) => view(r, state));
    const next = start + limit < all.length ? encodePageKey(start + limit) : undefined;
    return next === undefined ? { items } : { items, [asExample ? 'pageKey' : 'nextPageKey']: next };
  });

  add('GET', '/:id', (_req, p) => paymentRequestView(state.get(p.id ?? ''), state));
  add('GET', '/:id/activities', (_req, p) => {
    const record = state.get(p.id ?? '');
    return { items: [...record.activities].reverse().map((a) => activityView(record, a, state)) };
  });
  add('POST', '/:id/void', (_req, p) => {
    const { record, activity } = state.void(p.id ?? '');
    return activityView(record, activity, state);
  });

  add('POST', '/:id/refund', (req, p) => {
    const body = objectBody(req);
    const value = body['value'];
    if (!isPlainObject(value)) throw badRequest('value is required');
    const amount = requiredString(value, 'amount');
    const currency = requiredString(value, 'currency');
    const externalRef = requiredString(body, 'externalRef');
    const { record, activity } = state.refund(p.id ?? '', externalRef, { amount, currency });
    return activityView(record, activity, state);
  });

  router.fallback(service, CENTRAPAY_API_PREFIX, (request) => {
    authenticate(request);
    throw new HttpError(404, 'NOT_FOUND', 'No such route');
  });
}

/** Centrapay's error body: `{statusCode, error, message, reason?}`, the code in `message`. */
export function centrapayErrorBody(error: HttpError): Record<string, unknown> {
  const body: Record<string, unknown> = { statusCode: error.status, error: STATUS_TEXT[error.status] ?? 'Error', message: error.code.toUpperCase() };
  if (error.description !== '') body['reason'] = error.description;
  return body;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function objectBody(request: EmulatorRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw badRequest('Body is not valid JSON');
  if (!isPlainObject(parsed.value)) throw badRequest('Body must be a JSON object');
  return parsed.value;
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw badRequest(`${name} is required`);
  return value;
}

function optionalString(body: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > maxLength) throw badRequest(`${name} must be a string of 1..${maxLength} characters`);
  return value;
}

function pageLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_LIMIT) throw badRequest(`paginationLimit must be 1..${MAX_PAGE_LIMIT}`);
  return Number(raw);
}

/** Page keys are opaque to clients; here they are the base64url of the next index. */
function encodePageKey(index: number): string {
  return Buffer.from(`i${index}`).toString('base64url');
}

function pageStart(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  const decoded = /^i(\d{1,9})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (decoded === null) throw badRequest('pageKey is not valid');
  return Number(decoded[1]);
}
