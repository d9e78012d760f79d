import type { EmulatorClock } from '../emulator-clock.js';
import type { EmulatorResponse } from '../exchange.js';
import type { HttpError } from '../http-error.js';
import type { Router } from '../router.js';
import type { EmulatorService } from '../service.js';
import type { ActiveVariations } from '../variations.js';
import { CentrapayState, type CentrapayStateOptions } from './centrapay-state.js';
import { centrapayErrorBody, mountCentrapayApi } from './centrapay-routes.js';
import { mountCentrapaySimRoutes } from './centrapay-sim-routes.js';
import { activityView, paymentRequestView } from './centrapay-views.js';

/** The emulator's default X-Api-Key (printed by `counterpay emulator`; not a real key). */
export const DEFAULT_CENTRAPAY_API_KEY = 'emulator-centrapay-key';
export const DEFAULT_MERCHANT_ACCOUNT_ID = 'emulator-merchant-account';

export interface CentrapayServiceOptions extends Partial<Omit<CentrapayStateOptions, 'seed'>> {
  seed: number;
  apiKeys?: readonly string[];
  /** Read per answer: the external-ref lookup's shape. */
  variations: ActiveVariations;
}

/** Centrapay payment requests as a mountable service: state, /api/ routes, /_sim/centrapay/ routes. */
export class CentrapayService implements EmulatorService {
  readonly name = 'centrapay';
  readonly state: CentrapayState;
  readonly apiKeys: readonly string[];
  private readonly variations: ActiveVariations;
  private readonly clock: EmulatorClock;

  constructor(options: CentrapayServiceOptions, clock: EmulatorClock) {
    this.clock = clock;
    this.apiKeys = options.apiKeys ?? [DEFAULT_CENTRAPAY_API_KEY];
    this.variations = options.variations;
    this.state = new CentrapayState(
      {
        seed: options.seed,
        merchantAccountId: options.merchantAccountId ?? DEFAULT_MERCHANT_ACCOUNT_ID,
        merchantId: options.merchantId ?? 'emulator-merchant',
        merchantName: options.merchantName ?? 'Emulator Cafe',
        ...(options.defaultExpirySeconds === undefined ? {} : { defaultExpirySeconds: options.defaultExpirySeconds }),
        ...(options.acceptedCurrencies === undefined ? {} : { acceptedCurrencies: options.acceptedCurrencies }),
      },
      clock,
    );
  }

  mount(router: Router): void {
    mountCentrapayApi(router, this.name, this.state, this.apiKeys, this.variations, this.clock.base);
    mountCentrapaySimRoutes(router, this.name, this.state);
  }

  reset(): void {
    this.state.reset();
  }

  snapshot(): unknown {
    return {
      merchantAccountId: this.state.options.merchantAccountId,
      acceptedCurrencies: this.state.acceptedCurrencies,
      paymentRequests: this.state.list().map((r) => ({
        ...paymentRequestView(r, this.state),
        refunded: r.refunded,
        activities: r.activities.map((a) => activityView(r, a, this.state)),
      })),
    };
  }

  errorResponse(error: HttpError): EmulatorResponse {
    return { status: error.status, body: centrapayErrorBody(error), headers: { ...error.headers }, errorCode: error.code.toUpperCase() };
  }
}
