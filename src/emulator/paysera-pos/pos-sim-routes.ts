import { ok } from '../exchange.js';
import { badParameters } from '../http-error.js';
import type { Router } from '../router.js';
import { SIM_PREFIX } from '../server.js';
import { optionalString, simBody } from '../sim-body.js';
import type { PosState } from './pos-state.js';
import { cashRegisterView, orderView } from './pos-views.js';

export const POS_SIM_PREFIX = `${SIM_PREFIX}pos/`;

/**
 * /_sim/pos/: what the back office would change behind the terminal's back: take a cash
 * register offline or close its fiscal day, and read every order. 429 bursts come from the shared
 * fault injector (/_sim/faults), answer shapes from /_sim/variations.
 */
export function mountPosSimRoutes(router: Router, service: string, state: PosState): void {
  const add = (method: string, path: string, handler: Parameters<Router['add']>[3]): void => router.add(service, method, `${POS_SIM_PREFIX}${path}`, handler);

  add('GET', 'orders', () => ok({ orders: state.allOrders().map((o) => orderView(o, 'cents')) }));

  add('POST', 'cash-registers/:number', (req, params) => {
    const body = simBody(req);
    const status = optionalString(body, 'status');
    const started = body['fiscalDayStarted'];
    if (started !== undefined && typeof started !== 'boolean') throw badParameters('fiscalDayStarted must be a boolean');
    return ok(
      cashRegisterView(
        state.setCashRegister(params.number ?? '', { ...(status === undefined ? {} : { status }), ...(started === undefined ? {} : { fiscalDayStarted: started }) }),
        state,
      ),
    );
  });
}
