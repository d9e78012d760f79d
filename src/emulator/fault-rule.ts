import { badParameters } from './http-error.js';
import { isPlainObject } from './exchange.js';

/**
 * What can go wrong, as data. One rule = one kind of fault, optionally aimed at `method` and a
 * `path` glob, fired for the next `count` matching requests and/or with probability `rate`
 * (drawn from the emulator's seeded random source, so a run is reproducible).
 *
 * - latency:       wait `latencyMs` before handling (`when: 'before'`, default) or after handling,
 *                  before the response is written (`when: 'after'`: applied but slow).
 * - serverError:   answer `status` (default 500) `internal_server_error` without handling: not applied.
 * - rateLimit:     answer 429 `rate_limit_exceeded` with `Retry-After: retryAfterS` (as seconds, or
 *                  with `retryAfterFormat: 'date'` as the HTTP date that far ahead on the emulator
 *                  clock): not applied. The body has the shape of the service the path belongs to.
 * - reset:         reset the connection before handling: no response, not applied.
 * - applyThenDrop: handle the request (it takes effect), then destroy the socket before any
 *                  response byte: the fault behind double charges.
 * - truncate:      handle the request (it takes effect), send the status line, the headers (with
 *                  the full Content-Length) and the first half of the body, then close the
 *                  connection: an answer cut off mid-body, which a client cannot read.
 * - refuse:        connection level, `method`/`path` do not apply. With `durationMs` the listener
 *                  is closed (ECONNREFUSED) for that long; with `count` the next N accepted
 *                  connections are reset at accept.
 * - alterAmount:   the request is handled, but the transaction (or payment request) it creates or
 *                  reserves ends up with its amount changed by `deltaMinor` (default +1) and/or in
 *                  `currency`: a transaction that no longer matches the sale it was made for.
 *                  Applies to the Wallet creates (transaction, spot order) and reserve, and to the
 *                  Centrapay create; other requests are handled unchanged.
 *
 * Neither `count` nor `rate`: the rule fires on every matching request until it is removed.
 * Faults never apply to /_sim/ requests, so a test can always inspect and clear them.
 */
export type FaultKind = 'latency' | 'serverError' | 'rateLimit' | 'reset' | 'applyThenDrop' | 'truncate' | 'refuse' | 'alterAmount';

export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'serverError', 'rateLimit', 'reset', 'applyThenDrop', 'truncate', 'refuse', 'alterAmount'];

export interface FaultRuleSpec {
  kind: FaultKind;
  /** HTTP method, case-insensitive; any when omitted. */
  method?: string;
  /** Glob over the request path (no query): `*` = one path segment's characters, `**` = anything. */
  path?: string;
  count?: number;
  rate?: number;
  latencyMs?: number;
  when?: 'before' | 'after';
  status?: number;
  retryAfterS?: number;
  retryAfterFormat?: 'seconds' | 'date';
  durationMs?: number;
  deltaMinor?: number;
  currency?: string;
}

/** Validates a rule received as JSON (from /_sim/faults or --fault); throws 400 invalid_parameters. */
export function parseFaultRule(value: unknown): FaultRuleSpec {
  if (!isPlainObject(value)) throw badParameters('A fault rule must be an object');
  const kind = value.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw badParameters(`Fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const known = new Set(['kind', 'method', 'path', 'count', 'rate', 'latencyMs', 'when', 'status', 'retryAfterS', 'retryAfterFormat', 'durationMs', 'deltaMinor', 'currency']);
  for (const key of Object.keys(value)) if (!known.has(key)) throw badParameters(`Unknown fault rule field ${key}`);
  const rule: FaultRuleSpec = { kind: kind as FaultKind };
  if (value.method !== undefined) rule.method = requireString(value.method, 'method').toUpperCase();
  if (value.path !== undefined) {
    rule.path = requireString(value.path, 'path');
    if (!rule.path.startsWith('/')) throw badParameters('Fault path must start with /');
  }
  if (value.count !== undefined) rule.count = requireInt(value.count, 'count', 1, 1_000_000);
  if (value.rate !== undefined) {
    if (typeof value.rate !== 'number' || !(value.rate >= 0 && value.rate <= 1)) throw badParameters('Fault rate must be a number in 0..1');
    rule.rate = value.rate;
  }
  if (value.latencyMs !== undefined) rule.latencyMs = requireInt(value.latencyMs, 'latencyMs', 0, 600_000);
  if (value.when !== undefined) {
    if (value.when !== 'before' && value.when !== 'after') throw badParameters("Fault when must be 'before' or 'after'");
    rule.when = value.when;
  }
  if (value.status !== undefined) rule.status = requireInt(value.status, 'status', 500, 599);
  if (value.retryAfterS !== undefined) rule.retryAfterS = requireInt(value.retryAfterS, 'retryAfterS', 0, 86_400);
  if (value.retryAfterFormat !== undefined) {
    if (value.retryAfterFormat !== 'seconds' && value.retryAfterFormat !== 'date') throw badParameters("Fault retryAfterFormat must be 'seconds' or 'date'");
    rule.retryAfterFormat = value.retryAfterFormat;
  }
  if (value.durationMs !== undefined) rule.durationMs = requireInt(value.durationMs, 'durationMs', 1, 3_600_000);
  if (value.deltaMinor !== undefined) {
    rule.deltaMinor = requireInt(value.deltaMinor, 'deltaMinor', -1_000_000_000, 1_000_000_000);
    if (rule.deltaMinor === 0) throw badParameters('Fault deltaMinor must not be 0');
  }
  if (value.currency !== undefined) {
    if (typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) throw badParameters('Fault currency must be an ISO 4217 code');
    rule.currency = value.currency;
  }
  if (rule.kind === 'latency' && rule.latencyMs === undefined) throw badParameters('A latency fault needs latencyMs');
  if (rule.kind === 'refuse' && rule.durationMs === undefined && rule.count === undefined) {
    throw badParameters('A refuse fault needs durationMs or count');
  }
  return rule;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw badParameters(`Fault ${name} must be a non-empty string`);
  return value;
}

function requireInt(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badParameters(`Fault ${name} must be an integer in ${min}..${max}`);
  }
  return value;
}

/** Compiles a path glob: `*` matches within one segment, `**` across segments; the whole path must match. */
export function compilePathGlob(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') {
      source += '[^/]*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
