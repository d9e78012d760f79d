import { isLoopbackHost } from '../config/loopback.js';
import { SystemClock, type Clock } from '../platform/clock.js';
import { CodedError } from '../platform/coded-error.js';
import { SeededRandom } from '../platform/random.js';
import { CentrapayService } from './centrapay/centrapay-service.js';
import type { CentrapayState } from './centrapay/centrapay-state.js';
import { EmulatorClock } from './emulator-clock.js';
import type { FaultRuleSpec } from './fault-rule.js';
import { FaultInjector } from './faults.js';
import { EXAMPLE_CREDENTIAL, type MacCredential } from './paysera-wallet/mac-verifier.js';
import type { LocationInfo } from './paysera-wallet/wallet-views.js';
import { PayseraPosService } from './paysera-pos/pos-service.js';
import type { PosState } from './paysera-pos/pos-state.js';
import { PayseraWalletService } from './paysera-wallet/wallet-service.js';
import type { WalletState } from './paysera-wallet/wallet-state.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { EmulatorServer } from './server.js';
import type { EmulatorService } from './service.js';
import { mountCoreSimRoutes } from './sim-routes.js';
import { ActiveVariations, type VariationName } from './variations.js';

export interface EmulatorOptions {
  /** Loopback only (127.0.0.1 by default); anything else is refused. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Wall time for MAC ts checks and created_at, timers for latency and refuse. Default: SystemClock. */
  clock?: Clock;
  /** Seeds transaction keys, reservation codes and fault rates. Default 1. */
  seed?: number;
  /**
   * Where the documents allow several answers, which alternatives to give (variations.ts);
   * none: the default answers. Switchable at run time through /_sim/variations.
   */
  variations?: readonly VariationName[];
  /** Default: Paysera's documented example credentials. */
  credentials?: readonly MacCredential[];
  faults?: readonly FaultRuleSpec[];
  /** Seconds added to the emulator's clock. */
  clockSkewS?: number;
  timestampWindowS?: number;
  reservationCodeLength?: number;
  projectId?: number;
  locations?: Record<number, LocationInfo>;
  /** Centrapay X-Api-Key values accepted (default: the emulator's example key). */
  centrapayApiKeys?: readonly string[];
  /** The merchant account the external-ref lookup accepts. */
  centrapayMerchantAccountId?: string;
  /** Expiry of a payment request created without expirySeconds (default 120, as documented). */
  centrapayDefaultExpirySeconds?: number;
  /** Currencies the Centrapay merchant config accepts (default ["NZD"], as every Centrapay example). */
  centrapayCurrencies?: readonly string[];
  /** POS bearer tokens accepted (default: the emulator's example token). */
  posTokens?: readonly string[];
  /** POS cash register numbers (default ["123"], the documented example). */
  posCashRegisters?: readonly string[];
}

/**
 * One emulator process: the shared HTTP server with the Paysera Wallet (/rest/v1/), Centrapay
 * (/api/) and Paysera POS (/eapi/v1/) services and the core /_sim/ endpoints mounted. The constructor only wires objects; start() listens, stop() closes.
 * Tests drive it in-process through `wallet` (state and simulated customer), `faults` and
 * `requests`, or over HTTP through `url`.
 */
export class Emulator {
  readonly credentials: readonly MacCredential[];
  readonly clock: EmulatorClock;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  readonly variations: ActiveVariations;
  readonly walletService: PayseraWalletService;
  readonly centrapayService: CentrapayService;
  readonly posService: PayseraPosService;
  private readonly services: EmulatorService[];
  private readonly server: EmulatorServer;
  private readonly host: string;

  constructor(private readonly options: EmulatorOptions = {}) {
    const seed = options.seed ?? 1;
    const timers = options.clock ?? new SystemClock();
    this.host = options.host ?? '127.0.0.1';
    this.credentials = options.credentials ?? [EXAMPLE_CREDENTIAL];
    this.clock = new EmulatorClock(timers, options.clockSkewS ?? 0);
    // Faults draw from their own stream so adding a reservation code never shifts which request fails.
    this.faults = new FaultInjector(new SeededRandom(seed ^ 0x5eed), this.clock, timers);
    this.requests = new RequestLog();
    this.variations = new ActiveVariations(options.variations ?? []);
    this.walletService = new PayseraWalletService(
      {
        credentials: this.credentials,
        seed,
        variations: this.variations,
        ...(options.timestampWindowS === undefined ? {} : { timestampWindowS: options.timestampWindowS }),
        ...(options.reservationCodeLength === undefined ? {} : { reservationCodeLength: options.reservationCodeLength }),
        ...(options.projectId === undefined ? {} : { projectId: options.projectId }),
        ...(options.locations === undefined ? {} : { locations: options.locations }),
      },
      this.clock,
    );
    this.centrapayService = new CentrapayService(
      {
        seed,
        variations: this.variations,
        ...(options.centrapayApiKeys === undefined ? {} : { apiKeys: options.centrapayApiKeys }),
        ...(options.centrapayMerchantAccountId === undefined ? {} : { merchantAccountId: options.centrapayMerchantAccountId }),
        ...(options.centrapayDefaultExpirySeconds === undefined ? {} : { defaultExpirySeconds: options.centrapayDefaultExpirySeconds }),
        ...(options.centrapayCurrencies === undefined ? {} : { acceptedCurrencies: options.centrapayCurrencies }),
      },
      this.clock,
    );
    this.posService = new PayseraPosService(
      {
        seed,
        ...(options.posTokens === undefined ? {} : { tokens: options.posTokens }),
        ...(options.posCashRegisters === undefined ? {} : { cashRegisters: options.posCashRegisters }),
        variations: this.variations,
      },
      this.clock,
    );
    this.services = [this.walletService, this.centrapayService, this.posService];
    const router = new Router();
    for (const service of this.services) service.mount(router);
    mountCoreSimRoutes(router, {
      services: this.services,
      faults: this.faults,
      requestLog: this.requests,
      clock: this.clock,
      variations: this.variations,
      reset: () => this.reset(),
    });
    const byName = new Map(this.services.map((s) => [s.name, s]));
    this.server = new EmulatorServer({
      host: this.host,
      port: options.port ?? 0,
      router,
      faults: this.faults,
      requestLog: this.requests,
      clock: this.clock,
      timers,
      variations: this.variations,
      formatError: (service, error) => byName.get(service)?.errorResponse?.(error),
    });
  }

  /** State and simulated-customer operations of the Wallet API. */
  get wallet(): WalletState {
    return this.walletService.state;
  }

  /** Centrapay payment requests: state and the simulated patron (pay, decline, expire). */
  get centrapay(): CentrapayState {
    return this.centrapayService.state;
  }

  /** Paysera POS orders and cash registers. */
  get pos(): PosState {
    return this.posService.state;
  }

  /** Centrapay client baseUrl (paths are /api/...). */
  get centrapayUrl(): string {
    return this.url;
  }

  /** Paysera POS client baseUrl, /eapi/v1 included. */
  get posUrl(): string {
    return `${this.url}/eapi/v1`;
  }

  get port(): number {
    return this.server.port;
  }

  /** Base URL, e.g. http://127.0.0.1:43121 (IPv6 hosts in brackets). */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.server.port}`;
  }

  async start(): Promise<void> {
    if (!isLoopbackHost(this.host)) throw new CodedError('EMULATOR_HOST_NOT_LOOPBACK', `The emulator serves loopback only, not ${this.host}`);
    for (const rule of this.options.faults ?? []) this.faults.add(rule);
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** Forgets all service state, the request log and seen nonces; fault rules, skew and variations stay. */
  reset(): void {
    for (const service of this.services) service.reset();
    this.requests.clear();
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator(options);
  await emulator.start();
  return emulator;
}
