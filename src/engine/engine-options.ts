import type { Logger } from 'pino';
import type { TableConfig } from '../config/load-config.js';
import type { PosApi } from '../gateways/paysera-pos/pos-api.js';
import type { WalletApi } from '../gateways/paysera-wallet/wallet-api.js';
import type { Clock } from '../platform/clock.js';
import type { RandomSource } from '../platform/random.js';
import type { Store } from '../store/store.js';
import type { CentrapayEngineOptions } from './centrapay/centrapay-sales.js';
import type { RetryPolicies } from './outbox/retry-policy.js';
import type { PollPacer } from './poll-loop.js';

/** What JournaledPaymentEngine is built with: the journal, the gateways, and each provider's settings. */
export interface EngineOptions {
  /** Opened by the caller (the composition root owns its lifecycle). */
  store: Store;
  wallet: WalletApi;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  locationId: number;
  tables: TableConfig[];
  /** Tables other terminals of the location sell (config paysera.otherTables): never closed, never sold here. */
  otherTables?: TableConfig[] | undefined;
  /** This terminal's name (config terminal.name): in each transaction's parameters. */
  terminalName?: string | undefined;
  /**
   * Whether another counter may sell these tables too (config paysera.sharedTables, default
   * true): the spot is read before each order and each new order is checked for a rival
   * (docs/configuration.md#several-counters). A counter whose tables are its own alone saves
   * those two requests per table sale.
   */
  sharedTables?: boolean | undefined;
  currency: string;
  pollIntervalMs: number;
  /**
   * Reservation poll while a customer is expected to pay. Default 1000 ms: a payment waits up to
   * one interval to be noticed, so this bounds the tail of reserve-to-confirm.
   */
  reservationPollMs?: number;
  /**
   * How long a sale waits on a transaction in a status no document lists before it goes to a
   * person (DEFAULT_UNKNOWN_STATUS_DEADLINE_MS in paysera-wallet/paysera-sales.ts). Below the reserve op's max age, so a code sale
   * reaches a person with that reason rather than a generic timeout.
   */
  unknownStatusDeadlineMs?: number;
  /** An awaited transaction is read on its own (declines) after this long, and again every this long. Default 8000 ms. */
  reservationReadEachAfterMs?: number;
  /** The request budget, so the reservation poll asks for no more than it has room for. */
  pollPacer?: PollPacer | undefined;
  /** Whether the wall clock can be trusted (receipts say so when not). */
  clockSynced?: () => boolean;
  /** Merged over the defaults of every op kind (Paysera, Centrapay, POS sync). */
  policies?: RetryPolicies;
  /** Centrapay sales; absent: startCentrapaySale refuses with `not_configured`. */
  centrapay?: CentrapayEngineOptions | undefined;
  /** Paysera POS back-office sync; absent: no sync op is ever enqueued. */
  pos?: { api: PosApi } | undefined;
}
