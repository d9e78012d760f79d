import type { EmulatorClock } from '../emulator-clock.js';
import type { Router } from '../router.js';
import type { EmulatorService } from '../service.js';
import { DEFAULT_CASH_REGISTER, PosState, type ListKey } from './pos-state.js';
import { mountPosApi } from './routes.js';
import { mountPosSimRoutes } from './sim-routes.js';
import { cashRegisterView, orderView } from './views.js';

/** The emulator's default bearer token (printed by `counterpay emulator`; not a real token). */
export const DEFAULT_POS_TOKEN = 'emulator-pos-token';

export interface PosServiceOptions {
  seed: number;
  tokens?: readonly string[];
  cashRegisters?: readonly string[];
  listKey?: ListKey;
}

/** The Paysera POS eapi as a mountable service: state, /eapi/v1/ routes, /_sim/pos/ routes. */
export class PayseraPosService implements EmulatorService {
  readonly name = 'paysera-pos';
  readonly state: PosState;
  readonly tokens: readonly string[];

  constructor(options: PosServiceOptions, clock: EmulatorClock) {
    this.tokens = options.tokens ?? [DEFAULT_POS_TOKEN];
    this.state = new PosState(
      { seed: options.seed, cashRegisters: options.cashRegisters ?? [DEFAULT_CASH_REGISTER], ...(options.listKey === undefined ? {} : { listKey: options.listKey }) },
      clock,
    );
  }

  mount(router: Router): void {
    mountPosApi(router, this.name, this.state, this.tokens);
    mountPosSimRoutes(router, this.name, this.state);
  }

  reset(): void {
    this.state.reset();
  }

  snapshot(): unknown {
    return {
      listKey: this.state.listKey,
      orders: this.state.allOrders().map(orderView),
      cashRegisters: this.state.registersList().map((r) => cashRegisterView(r, this.state)),
    };
  }
}
