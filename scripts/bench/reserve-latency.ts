import type { TableConfig } from '../../src/config/load-config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { RequestBudget } from '../../src/gateways/paysera-wallet/request-budget.js';
import { PayseraWalletClient } from '../../src/gateways/paysera-wallet/wallet-client.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SeededRandom } from '../../src/platform/random.js';
import { BaselineTerminal } from './baseline-terminal.js';
import { percentile, sleep, until } from './util.js';
import { LOCATION, MAC, TABLES, startBenchTerminal } from './bench-terminal.js';

/**
 * Reserve-to-confirm latency of table sales: latency = emulator time of the APPLIED confirm
 * request minus the moment the customer reserved (both on the emulator's clock). Customers check
 * in at 10 tables on a fixed schedule (one per table every ARRIVAL_MS, staggered, the same for
 * both terminals; long enough that neither falls behind it, so both do the same writes per minute
 * and req/min compares their polling), staff start the sale as soon as the terminal shows the table
 * waiting, and each customer pays at a random moment 0.3-4.3 s after the order appears. Real
 * clock, in-process emulator on loopback, the real signed HTTP client.
 */
export { LOCATION, TABLES } from './bench-terminal.js';
/** One customer per table every this many ms (if the table is free by then). */
export const ARRIVAL_MS = 10_000;

export interface LatencyRun {
  sales: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Every Paysera request the emulator received during the run, per minute. */
  reqPerMin: number;
  readsPerMin: number;
  writesPerMin: number;
  durationS: number;
}

interface SaleHandle {
  key(): string | undefined;
  done(): boolean;
}

interface Terminal {
  isWaiting(tableId: string): boolean;
  startSale(tableId: string, amountMinor: number): Promise<SaleHandle>;
}

async function drive(emu: Emulator, terminal: Terminal, totalSales: number, seed: number): Promise<LatencyRun> {
  const random = new SeededRandom(seed);
  const latencies: number[] = [];
  const startSeq = emu.requests.list().at(-1)?.seq ?? 0;
  const t0 = performance.now();
  const perTable = Math.ceil(totalSales / TABLES.length);
  const table = async (t: TableConfig, index: number): Promise<void> => {
    for (let k = 0; k < perTable; k++) {
      // The same arrival schedule for every terminal: one customer per table every ARRIVAL_MS,
      // tables staggered; a customer who arrives while the table's last sale runs waits for it.
      const due = t0 + (index * ARRIVAL_MS) / TABLES.length + k * ARRIVAL_MS;
      await sleep(Math.max(0, due - performance.now()));
      const customer = `customer-${t.id}-${k}`;
      emu.wallet.checkInByCode(`PAYSERA*${LOCATION}:${t.id}`, customer);
      await until(() => terminal.isWaiting(t.id), `${t.id} waiting`, 30_000);
      const sale = await terminal.startSale(t.id, 100 + Math.floor(random.next() * 5000));
      const key = await until(() => sale.key(), `${t.id} order`, 30_000);
      // Uniform over more than one 4 s baseline period: the moment is random w.r.t. every poll phase.
      await sleep(300 + random.next() * 4000);
      const reservedAt = emu.clock.nowMs();
      emu.wallet.customerReserve(key, { customer });
      await until(() => sale.done(), `${t.id} sale done`, 60_000);
      const confirm = emu.requests
        .list({ sinceSeq: startSeq, service: 'paysera-wallet' })
        .find((r) => r.method === 'PUT' && r.path === `/rest/v1/transaction/${key}/confirm` && r.applied);
      if (confirm === undefined) throw new Error(`no applied confirm for ${key}`);
      latencies.push(confirm.atMs - reservedAt);
    }
  };
  await Promise.all(TABLES.map((t, i) => table(t, i)));
  const durationMs = performance.now() - t0;
  const requests = emu.requests.list({ sinceSeq: startSeq, service: 'paysera-wallet' });
  const minutes = durationMs / 60_000;
  const reads = requests.filter((r) => r.method === 'GET').length;
  return {
    sales: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    reqPerMin: requests.length / minutes,
    readsPerMin: reads / minutes,
    writesPerMin: (requests.length - reads) / minutes,
    durationS: durationMs / 1000,
  };
}

async function client(emu: Emulator, budget?: RequestBudget): Promise<PayseraWalletClient> {
  const wallet = new PayseraWalletClient({ baseUrl: emu.url, ...MAC, clock: new SystemClock(), ...(budget === undefined ? {} : { budget }) });
  await wallet.start();
  return wallet;
}

/** The baseline loop: everything polled at a fixed 4 s. */
export async function runBaseline(totalSales: number, seed: number): Promise<LatencyRun> {
  const emu = await startEmulator({ port: 0, seed });
  const wallet = await client(emu);
  const baseline = new BaselineTerminal(wallet, LOCATION, TABLES, 4000);
  baseline.start();
  let n = 0;
  try {
    return await drive(
      emu,
      {
        isWaiting: (id) => baseline.isWaiting(id),
        async startSale(id, amount) {
          const sale = await baseline.startSale(id, amount, `baseline_${++n}`);
          return { key: () => sale.transactionKey, done: () => sale.state === 'closed' };
        },
      },
      totalSales,
      seed,
    );
  } finally {
    await baseline.stop();
    await wallet.stop();
    await emu.stop();
  }
}

/**
 * Our engine with its production timing (spot poll 4000 ms, the config default; reservation poll
 * at the engine's default) behind a RequestBudget of `budgetPerMinute` (all calls; polls on their
 * own capped at the budget's poll share).
 */
export async function runEngine(totalSales: number, seed: number, budgetPerMinute: number, pollShare?: number): Promise<LatencyRun> {
  const terminal = await startBenchTerminal({
    name: 'latency',
    seed,
    pollIntervalMs: 4000,
    budget: new RequestBudget(new SystemClock(), budgetPerMinute, pollShare === undefined ? {} : { pollShare }),
  });
  const { emu, store, engine } = terminal;
  try {
    return await drive(
      emu,
      {
        isWaiting: (id) => engine.waitingTables().some((w) => w.table.id === id),
        async startSale(id, amount) {
          const sale = engine.startTableSale(id, amount);
          return { key: () => store.sales.get(sale.id)?.transactionKey, done: () => store.sales.get(sale.id)?.state === 'done' };
        },
      },
      totalSales,
      seed,
    );
  } finally {
    await terminal.stop();
  }
}
