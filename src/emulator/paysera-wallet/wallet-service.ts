import type { EmulatorClock } from '../emulator-clock.js';
import type { Router } from '../router.js';
import type { EmulatorService } from '../service.js';
import { MacVerifier, type MacCredential } from './mac-verifier.js';
import { mountWalletApi } from './wallet-routes.js';
import { mountWalletSimRoutes } from './wallet-sim-routes.js';
import { WalletState } from './wallet-state.js';
import type { WalletStateOptions } from './wallet-store.js';

export interface WalletServiceOptions extends Omit<WalletStateOptions, 'clock'> {
  credentials: readonly MacCredential[];
  timestampWindowS?: number;
}

/** The Paysera Wallet API emulator as a mountable service: state, MAC verifier, API and /_sim/ routes. */
export class PayseraWalletService implements EmulatorService {
  readonly name = 'paysera-wallet';
  readonly state: WalletState;
  readonly verifier: MacVerifier;

  constructor(
    options: WalletServiceOptions,
    private readonly clock: EmulatorClock,
  ) {
    this.state = new WalletState({ ...options, clock });
    this.verifier = new MacVerifier(options.credentials, clock, options.timestampWindowS);
  }

  mount(router: Router): void {
    mountWalletApi(router, this.name, this.state, this.verifier, this.clock);
    mountWalletSimRoutes(router, this.name, this.state);
  }

  reset(): void {
    this.state.reset();
    this.verifier.reset();
  }

  snapshot(): unknown {
    return this.state.snapshot();
  }
}
