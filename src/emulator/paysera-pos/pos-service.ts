import type { EmulatorClock } from '../emulator-clock.js';
import type { Router } from '../router.js';
import type { EmulatorService } from '../service.js';
import type { ActiveVariations } from '../variations.js';
import { DEFAULT_CASH_REGISTER, PosState } from './pos-state.js';
import { mountPosApi } from './pos-routes.js';
import { mountPosSimRoutes } from './pos-sim-routes.js';
import { cashRegisterView, orderView } from './pos-views.js';

/** The emulator's default bearer token (printed by `counterpay emulator`; not a real token). */
export const DEFAULT_POS_TOKEN = 'emulator-pos-token';

export interface PosServiceOptions {
  seed: number;
  tokens?: readonly string[];
  cashRegisters?: readonly string[];
  /** Read per answer: list key, money form, create status. */
  variations: ActiveVariations;
}

/** The Paysera POS eapi as a mountable service: state, /eapi/v1/ routes, /_sim/pos/ routes. */
export class PayseraPosService implements EmulatorService {
  readonly name = 'paysera-pos';
  readonly state: PosState;
  readonly tokens: readonly string[];
  private readonly variations: ActiveVariations;

  constructor(options: PosServiceOptions, clock: EmulatorClock) {
    this.tokens = options.tokens ?? [DEFAULT_POS_TOKEN];
    this.variations = options.variations;
    this.state = new PosState({ seed: options.seed, cashRegisters: options.cashRegisters ?? [DEFAULT_CASH_REGISTER] }, clock);
  }

  mount(router: Router): void {
    mountPosApi(router, this.name, this.state, this.tokens, this.variations);
    mountPosSimRoutes(router, this.name, this.state);
  }

  reset(): void {
    this.state.reset();
  }

  snapshot(): unknown {
    return {
      orders: this.state.allOrders().map((o) => orderView(o, 'cents')),
      cashRegisters: this.state.registersList().map((r) => cashRegisterView(r, this.state)),
    };
  }
}
