import { ok } from './exchange.js';
import type { FaultInjector } from './faults.js';
import { parseFaultRule } from './fault-rule.js';
import { badParameters, notFound } from './http-error.js';
import { intParam } from './pagination.js';
import type { RequestLog } from './request-log.js';
import type { Router } from './router.js';
import { SIM_PREFIX } from './server.js';
import type { EmulatorService } from './service.js';
import { optionalInt, simBody } from './sim-body.js';
import type { EmulatorClock } from './emulator-clock.js';
import { parseVariationNames, VARIATIONS, type ActiveVariations } from './variations.js';

export const SIM_SERVICE = 'sim';

/**
 * The /_sim/ endpoints every emulator instance has, whatever services are mounted: state of all
 * services, the request log, reset, and run-time fault injection. Unauthenticated; the server
 * serves /_sim/ to loopback peers only.
 */
export function mountCoreSimRoutes(
  router: Router,
  deps: {
    services: readonly EmulatorService[];
    faults: FaultInjector;
    requestLog: RequestLog;
    clock: EmulatorClock;
    variations: ActiveVariations;
    reset: () => void;
  },
): void {
  const add = (method: string, path: string, handler: Parameters<Router['add']>[3]): void => router.add(SIM_SERVICE, method, `${SIM_PREFIX}${path}`, handler);

  add('GET', 'state', () =>
    ok({
      time: deps.clock.nowS(),
      faults: deps.faults.snapshot(),
      variations: deps.variations.list(),
      services: Object.fromEntries(deps.services.map((s) => [s.name, s.snapshot()])),
    }),
  );

  add('GET', 'requests', (req) => {
    const filter: { sinceSeq?: number; service?: string } = {};
    if (req.query.has('since')) filter.sinceSeq = intParam(req.query, 'since', 0, 0, Number.MAX_SAFE_INTEGER);
    const service = req.query.get('service');
    if (service !== null && service !== '') filter.service = service;
    return ok({ requests: deps.requestLog.list(filter) });
  });

  add('POST', 'reset', () => {
    deps.reset();
    return ok({ reset: true });
  });

  add('GET', 'faults', () => ok(deps.faults.snapshot()));

  add('POST', 'faults', (req) => {
    const body = simBody(req);
    // Either one rule, or {"rules": [...], "clockSkewS": n}; validate everything before adding anything.
    const isRule = body.kind !== undefined;
    const rawRules = isRule ? [body] : body.rules === undefined ? [] : body.rules;
    if (!Array.isArray(rawRules)) throw badParameters('rules must be an array');
    const rules = rawRules.map(parseFaultRule);
    const skew = isRule ? undefined : optionalInt(body, 'clockSkewS');
    if (!isRule) {
      for (const key of Object.keys(body)) if (key !== 'rules' && key !== 'clockSkewS') throw badParameters(`Unknown field ${key}`);
    }
    if (skew !== undefined) deps.faults.setClockSkewSeconds(skew);
    const added = rules.map((r) => deps.faults.add(r));
    return ok({ added, ...deps.faults.snapshot() });
  });

  // The variations on now, and every one there is with the document that allows it.
  add('GET', 'variations', () => ok({ active: deps.variations.list(), available: VARIATIONS }));

  // {"variations": [names]} replaces the active set; [] restores the default answers.
  add('POST', 'variations', (req) => {
    const body = simBody(req);
    for (const key of Object.keys(body)) if (key !== 'variations') throw badParameters(`Unknown field ${key}`);
    if (!Array.isArray(body.variations)) throw badParameters('variations must be an array of names');
    deps.variations.set(parseVariationNames(body.variations));
    return ok({ active: deps.variations.list() });
  });

  add('DELETE', 'faults', () => {
    deps.faults.clear();
    return ok(deps.faults.snapshot());
  });

  add('DELETE', 'faults/:id', (_req, params) => {
    if (!deps.faults.remove(params.id ?? '')) throw notFound('No such fault rule');
    return ok(deps.faults.snapshot());
  });

  router.fallback(SIM_SERVICE, SIM_PREFIX, () => {
    throw notFound('No such /_sim/ endpoint');
  });
}
