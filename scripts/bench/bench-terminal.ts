import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableConfig } from '../../src/config/load-config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { JournaledPaymentEngine } from '../../src/engine/journaled-payment-engine.js';
import type { RetryPolicies } from '../../src/engine/outbox/retry-policy.js';
import type { RequestBudget } from '../../src/gateways/paysera-wallet/request-budget.js';
import type { WalletApi } from '../../src/gateways/paysera-wallet/wallet-api.js';
import { PayseraWalletClient } from '../../src/gateways/paysera-wallet/wallet-client.js';
import { silentLogger } from '../../src/log/logger.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { Store } from '../../src/store/store.js';

export const LOCATION = 3;
export const TABLES: TableConfig[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => ({ id: `TABLE${n}`, number: n, name: `Table ${n}` }));
export const MAC = { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU' };

export interface BenchTerminal {
  emu: Emulator;
  wallet: PayseraWalletClient;
  store: Store;
  engine: JournaledPaymentEngine;
  stop(): Promise<void>;
}

/**
 * The terminal the benchmarks measure: the in-process emulator, the real client over loopback, a
 * journal in a fresh temp directory and the engine, started; `stop()` undoes it all.
 */
export async function startBenchTerminal(options: {
  name: string;
  seed: number;
  pollIntervalMs: number;
  reservationPollMs?: number;
  budget?: RequestBudget;
  policies?: RetryPolicies;
  tables?: TableConfig[];
  /** Wraps the client as the engine sees it (the latency probe's tracing). */
  wrapWallet?: (wallet: WalletApi) => WalletApi;
}): Promise<BenchTerminal> {
  const emu = await startEmulator({ port: 0, seed: options.seed });
  const clock = new SystemClock();
  const wallet = new PayseraWalletClient({ baseUrl: emu.url, ...MAC, clock, ...(options.budget === undefined ? {} : { budget: options.budget }) });
  await wallet.start();
  const dataDir = mkdtempSync(join(tmpdir(), `counterpay-bench-${options.name}-`));
  const store = new Store({ dataDir, clock, random: new SystemRandom(), bootId: 'bench' });
  store.open();
  const engine = new JournaledPaymentEngine({
    store,
    wallet: options.wrapWallet === undefined ? wallet : options.wrapWallet(wallet),
    clock,
    random: new SystemRandom(),
    logger: silentLogger(),
    locationId: LOCATION,
    tables: options.tables ?? TABLES,
    // One counter alone at its location (its own emulator): no other till can order at its
    // spots, so no spot read before an order and no rival check (paysera.sharedTables: false).
    sharedTables: false,
    currency: 'EUR',
    pollIntervalMs: options.pollIntervalMs,
    ...(options.reservationPollMs === undefined ? {} : { reservationPollMs: options.reservationPollMs }),
    ...(options.policies === undefined ? {} : { policies: options.policies }),
    ...(options.budget === undefined ? {} : { pollPacer: options.budget }),
  });
  engine.start();
  return {
    emu,
    wallet,
    store,
    engine,
    async stop() {
      await engine.stop();
      await wallet.stop();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
      await emu.stop();
    },
  };
}
