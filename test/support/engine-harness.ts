import type { Logger } from 'pino';
import { mkdtempSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableConfig } from '../../src/config/load-config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { EmulatorOptions } from '../../src/emulator/start-emulator.js';
import type { SaleChange } from '../../src/engine/engine-api.js';
import { DEFAULT_CASH_REGISTER, DEFAULT_CENTRAPAY_API_KEY, DEFAULT_MERCHANT_ACCOUNT_ID, DEFAULT_POS_TOKEN } from '../../src/emulator/index.js';
import { JournaledPaymentEngine, type CentrapayEngineOptions } from '../../src/engine/journaled-payment-engine.js';
import { CENTRAPAY_RETRY_POLICIES } from '../../src/engine/centrapay/centrapay-ops.js';
import type { RetryPolicies } from '../../src/engine/outbox/retry-policy.js';
import { PAYSERA_RETRY_POLICIES } from '../../src/engine/paysera-wallet/paysera-ops.js';
import { PAYSERA_REFUND_POLICIES } from '../../src/engine/paysera-wallet/paysera-refund-ops.js';
import { POS_SYNC_RETRY_POLICIES } from '../../src/engine/paysera-pos/pos-ops.js';
import { CentrapayClient } from '../../src/gateways/centrapay/centrapay-client.js';
import { PayseraPosClient, type PosClientOptions } from '../../src/gateways/paysera-pos/pos-client.js';
import { PayseraWalletClient, type ReservationCodeField } from '../../src/gateways/paysera-wallet/wallet-client.js';
import { silentLogger } from '../../src/log/logger.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SeededRandom } from '../../src/platform/random.js';
import { Store } from '../../src/store/store.js';
import type { SaleRecord } from '../../src/store/types.js';
import { waitFor } from './wait-for.js';

export const LOCATION = 3;
export const TABLES: TableConfig[] = [1, 2, 3, 4, 5].map((n) => ({ id: `TABLE${n}`, number: n, name: `Table ${n}` }));

/** Fast retry policies: the same shape as production, with short backoff for tests. */
export const FAST_POLICIES: RetryPolicies = Object.fromEntries(
  Object.entries({ ...PAYSERA_RETRY_POLICIES, ...PAYSERA_REFUND_POLICIES, ...CENTRAPAY_RETRY_POLICIES, ...POS_SYNC_RETRY_POLICIES }).map(([kind, p]) => [kind, { ...p, baseMs: 30, capMs: 200 }]),
);

export interface Harness {
  emu: Emulator;
  store: Store;
  client: PayseraWalletClient;
  /** Present when started with `centrapay`. */
  centrapay: CentrapayClient | undefined;
  /** Present when started with `pos`. */
  pos: PayseraPosClient | undefined;
  engine: JournaledPaymentEngine;
  changes: SaleChange[];
  dataDir: string;
  stop(): Promise<void>;
}

/** Emulator, store, real client over loopback and engine, with short poll intervals. */
export async function startHarness(
  options: {
    emulator?: EmulatorOptions;
    seed?: number;
    dataDir?: string;
    emu?: Emulator;
    /** Centrapay sales against the emulator; fields override the engine's Centrapay options (poll 100 ms here). */
    centrapay?: Partial<Omit<CentrapayEngineOptions, 'api'>>;
    /** POS back-office sync against the emulator (fields override the client's options). */
    pos?: boolean | Partial<PosClientOptions>;
    /** Retry policies (default: production shapes with short backoff). */
    policies?: RetryPolicies;
    /** The engine's random numbers (backoff jitter); default seeded. */
    jitter?: () => number;
    /** This terminal's location and tables (default LOCATION and TABLES). */
    locationId?: number;
    tables?: TableConfig[];
    /** Tables other terminals sell (paysera.otherTables). */
    otherTables?: TableConfig[];
    terminalName?: string;
    /** paysera.sharedTables (default true). */
    sharedTables?: boolean;
    /** The spot poll's interval (default 150 ms). */
    pollIntervalMs?: number;
    /** Default: the field the emulator's variations expect (`code` under reservation-code-field-code). */
    reservationCodeField?: ReservationCodeField;
    unknownStatusDeadlineMs?: number;
    /** The engine's logger (default silent); a recording logger lets a test count warnings. */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  // The terminal sells in EUR; the Centrapay merchant config is told so, as the demo does.
  const emu = options.emu ?? (await startEmulator({ port: 0, seed: options.seed ?? 1, centrapayCurrencies: ['EUR'], ...options.emulator }));
  const clock = new SystemClock();
  const random = new SeededRandom(options.seed ?? 1);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'counterpay-engine-'));
  const store = new Store({ dataDir, clock, random: new SeededRandom((options.seed ?? 1) + 1000 + Math.floor(Math.random() * 1e6)), bootId: 'test-boot' });
  store.open();
  const client = new PayseraWalletClient({
    baseUrl: emu.url,
    macId: 'wkVd93h2uS',
    macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU',
    clock,
    headersTimeoutMs: 2000,
    bodyTimeoutMs: 2000,
    reservationCodeField: options.reservationCodeField ?? (emu.variations.has('reservation-code-field-code') ? 'code' : 'reservation_code'),
  });
  await client.start();
  const centrapay =
    options.centrapay === undefined
      ? undefined
      : new CentrapayClient({
          baseUrl: emu.centrapayUrl,
          apiKey: DEFAULT_CENTRAPAY_API_KEY,
          configId: 'mc_test',
          merchantAccountId: DEFAULT_MERCHANT_ACCOUNT_ID,
          terminalId: 'counter-1',
          deviceId: 'pi-test',
          expirySeconds: options.centrapay.expirySeconds ?? 120,
          clock,
          headersTimeoutMs: 2000,
          bodyTimeoutMs: 2000,
        });
  await centrapay?.start();
  const pos =
    options.pos !== undefined && options.pos !== false
      ? new PayseraPosClient({
          baseUrl: emu.posUrl,
          token: DEFAULT_POS_TOKEN,
          cashRegisterNumber: DEFAULT_CASH_REGISTER,
          orderNumberPrefix: 'T1-',
          languageCode: 'lt',
          paymentMethod: { table: 'bankTransfer', code: 'bankTransfer', centrapay: 'card' },
          positionTitle: 'Counter sale',
          clock,
          headersTimeoutMs: 2000,
          ...(options.pos === true ? {} : options.pos),
        })
      : undefined;
  await pos?.start();
  const engine = new JournaledPaymentEngine({
    store,
    wallet: client,
    clock,
    random: { next: options.jitter ?? (() => random.next()), id: (prefix) => `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}` },
    logger: options.logger ?? silentLogger(),
    locationId: options.locationId ?? LOCATION,
    tables: options.tables ?? TABLES,
    otherTables: options.otherTables,
    terminalName: options.terminalName,
    sharedTables: options.sharedTables,
    currency: 'EUR',
    pollIntervalMs: options.pollIntervalMs ?? 150,
    reservationPollMs: 80,
    ...(options.unknownStatusDeadlineMs === undefined ? {} : { unknownStatusDeadlineMs: options.unknownStatusDeadlineMs }),
    // Declines noticed as fast as when every 8th poll read each awaited transaction.
    reservationReadEachAfterMs: 640,
    policies: options.policies ?? FAST_POLICIES,
    centrapay:
      centrapay === undefined ? undefined : { api: centrapay, expirySeconds: 120, pollIntervalMs: 100, deadlineGraceMs: 7000, ...options.centrapay },
    pos: pos === undefined ? undefined : { api: pos },
  });
  const changes: SaleChange[] = [];
  engine.onSaleChanged((c) => changes.push(c));
  engine.start();
  return {
    emu,
    store,
    client,
    centrapay,
    pos,
    engine,
    changes,
    dataDir,
    async stop() {
      await engine.stop();
      await client.stop();
      await centrapay?.stop();
      await pos?.stop();
      store.close();
      if (options.emu === undefined) await emu.stop();
    },
  };
}

/** Resolves once the engine shows a customer waiting at the table. */
export async function waitForWaitingTable(h: Harness, table: number): Promise<void> {
  await waitFor(() => h.engine.waitingTables().some((w) => w.table.number === table), `table ${table} waiting`);
}

/** A table sale from check-in to done: the customer checks in, staff sells, the customer pays. */
export async function payTableSale(h: Harness, table: number, amount: number, customer = 'alice'): Promise<SaleRecord> {
  h.emu.wallet.checkInByCode(`PAYSERA*3:TABLE${table}`, customer);
  await waitForWaitingTable(h, table);
  const started = h.engine.startTableSale(table, amount);
  const key = await waitFor(() => h.store.sales.get(started.id)?.transactionKey, 'order created');
  h.emu.wallet.customerReserve(key, { customer });
  await waitFor(() => h.store.sales.get(started.id)?.state === 'done', 'sale done');
  return h.store.sales.get(started.id) as SaleRecord;
}

/** Requests the emulator applied, by method and a path pattern. */
export function applied(emu: Emulator, method: string, path: RegExp): number {
  return emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.method === method && path.test(r.path) && r.applied).length;
}

/**
 * A harness per test, stopped after each: call once at the top of a test file, then
 * `const h = (slot.h = await startHarness(...))` in a test and `slot.get()` in helpers.
 */
export function harnessPerTest(): { h: Harness | undefined; get(): Harness } {
  const slot: { h: Harness | undefined; get(): Harness } = {
    h: undefined,
    get() {
      if (slot.h === undefined) throw new Error('no harness started in this test');
      return slot.h;
    },
  };
  afterEach(async () => {
    await slot.h?.stop();
    slot.h = undefined;
  });
  return slot;
}
