import { AsyncLocalStorage } from 'node:async_hooks';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { JournaledPaymentEngine } from '../../../src/engine/journaled-payment-engine.js';
import { PayseraWalletClient } from '../../../src/gateways/paysera-wallet/wallet-client.js';
import { SystemClock } from '../../../src/platform/clock.js';
import { SeededRandom } from '../../../src/platform/random.js';
import type { Store } from '../../../src/store/store.js';
import { LOCATION, MAC, startBenchTerminal } from '../bench-terminal.js';
import { sleep, until } from '../util.js';
import { BaselineTerminal, type BaselineSale } from './baseline-terminal.js';
import { RecordingBudget, tracedWallet, type BudgetWaits, type CallContext, type ConfirmCall, type SaleTrace } from './probe.js';
import type { Scenario } from './scenario.js';

/**
 * Reserve-to-confirm latency: latency = emulator time of the APPLIED confirm request minus the
 * moment the customer's funds were held (both on the emulator's clock, which is the wall clock of
 * this process). Customers arrive on the scenario's schedule (the same for both terminals), staff
 * start the sale as soon as the terminal shows the table waiting, and each customer pays at a
 * random moment after the order appears. Real clock, in-process emulator on loopback, the real
 * signed HTTP client.
 */
export interface LatencyRun {
  traces: SaleTrace[];
  /** Every Paysera request the emulator received during the run, per minute. */
  reqPerMin: number;
  readsPerMin: number;
  writesPerMin: number;
  durationS: number;
  budget?: BudgetWaits | undefined;
}

interface SaleHandle {
  /** The transaction key once the sale has one. */
  key(): Promise<string>;
  /** Code sales: the customer's code, scanned. */
  submitCode?(code: string): void;
  /** Resolves when the terminal has finished the sale. */
  done(): Promise<void>;
}

interface Terminal {
  isWaiting(tableId: string): boolean;
  startTableSale(tableId: string, amountMinor: number): Promise<SaleHandle>;
  startCodeSale(amountMinor: number): Promise<SaleHandle>;
  /** Ours: when the terminal committed "reserved" and "confirmed" for the key. */
  moments?(key: string): { noticedAtMs?: number | undefined; answeredAtMs?: number | undefined; confirm?: ConfirmCall | undefined };
}

async function drive(emu: Emulator, terminal: Terminal, scenario: Scenario, totalSales: number, seed: number, offsetMs: number): Promise<LatencyRun> {
  const random = new SeededRandom(seed);
  const traces: SaleTrace[] = [];
  const startSeq = emu.requests.list().at(-1)?.seq ?? 0;
  const t0 = performance.now();
  const between = (range: readonly [number, number]): number => range[0] + random.next() * (range[1] - range[0]);
  const wallet = (): ReturnType<Emulator['requests']['list']> => emu.requests.list({ sinceSeq: startSeq, service: 'paysera-wallet' });
  // Sales at one table run one after another; code sales each on their own.
  const tableChains = new Map<string, Promise<void>>();
  const runs: Promise<void>[] = [];
  let n = 0;
  for (const slot of scenario.schedule(totalSales, offsetMs)) {
    const index = n++;
    const amount = 100 + Math.floor(random.next() * 5000);
    const payDelay = between(scenario.payDelayMs);
    const run = async (): Promise<void> => {
      await sleep(Math.max(0, t0 + slot.atMs - performance.now()));
      let reservedAtMs: number;
      let seqAtReserve: number;
      let handle: SaleHandle;
      if (slot.kind === 'table' && slot.table !== undefined) {
        const tableId = slot.table.id;
        const customer = `customer-${seed}-${index}`;
        emu.wallet.checkInByCode(`PAYSERA*${LOCATION}:${tableId}`, customer);
        await until(() => terminal.isWaiting(tableId), `${tableId} waiting`, 30_000);
        handle = await terminal.startTableSale(tableId, amount);
        const key = await handle.key();
        await sleep(payDelay);
        seqAtReserve = emu.requests.list().at(-1)?.seq ?? 0;
        reservedAtMs = emu.clock.nowMs();
        emu.wallet.customerReserve(key, { customer });
      } else {
        handle = await terminal.startCodeSale(amount);
        await sleep(payDelay);
        const { code } = emu.wallet.issueReservationCode({ balance: 100_000 });
        seqAtReserve = emu.requests.list().at(-1)?.seq ?? 0;
        handle.submitCode?.(code);
        reservedAtMs = Number.NaN;
      }
      await handle.done();
      const key = await handle.key();
      const since = wallet().filter((r) => r.seq > seqAtReserve);
      const confirm = since.find((r) => r.method === 'PUT' && r.path === `/rest/v1/transaction/${key}/confirm` && r.applied);
      if (confirm === undefined) throw new Error(`bench: no applied confirm for ${key}`);
      let pollSeenAtMs: number | undefined;
      if (slot.kind === 'code') {
        const reserve = since.find((r) => r.method === 'PUT' && r.path === `/rest/v1/transaction/${key}/reserve` && r.applied);
        if (reserve === undefined) throw new Error(`bench: no applied reserve for ${key}`);
        reservedAtMs = reserve.atMs;
      } else {
        // The first read after the reserve that could see it: our reservation poll, or the
        // baseline's GET of this transaction.
        pollSeenAtMs = since.find((r) => r.method === 'GET' && (r.path.startsWith('/rest/v1/transactions?') || r.path === `/rest/v1/transaction/${key}`))?.atMs;
      }
      const moments = terminal.moments?.(key);
      traces.push({
        kind: slot.kind,
        key,
        reservedAtMs,
        pollSeenAtMs,
        noticedAtMs: moments?.noticedAtMs,
        confirmCalledAtMs: moments?.confirm?.calledAtMs,
        confirmBudgetWaitMs: moments?.confirm?.budgetWaitMs,
        confirmSentAtMs: confirm.atMs,
        answeredAtMs: moments?.answeredAtMs,
      });
    };
    if (slot.kind === 'table' && slot.table !== undefined) {
      const chained = (tableChains.get(slot.table.id) ?? Promise.resolve()).then(run);
      tableChains.set(slot.table.id, chained);
      runs.push(chained);
    } else {
      runs.push(run());
    }
  }
  await Promise.all(runs);
  const durationMs = performance.now() - t0;
  const requests = wallet();
  const minutes = durationMs / 60_000;
  const reads = requests.filter((r) => r.method === 'GET').length;
  return {
    traces,
    reqPerMin: requests.length / minutes,
    readsPerMin: reads / minutes,
    writesPerMin: (requests.length - reads) / minutes,
    durationS: durationMs / 1000,
  };
}

async function client(emu: Emulator): Promise<PayseraWalletClient> {
  const wallet = new PayseraWalletClient({ baseUrl: emu.url, ...MAC, clock: new SystemClock() });
  await wallet.start();
  return wallet;
}

export interface RunOptions {
  scenario: Scenario;
  sales: number;
  seed: number;
  /** When this terminal's first customer arrives (replicas of one scenario are staggered). */
  offsetMs?: number;
}

/** The baseline loop: everything polled at a fixed 4 s. */
export async function runBaseline(options: RunOptions): Promise<LatencyRun> {
  const { scenario } = options;
  const emu = await startEmulator({ port: 0, seed: options.seed });
  const wallet = await client(emu);
  const baseline = new BaselineTerminal(wallet, LOCATION, scenario.tables, 4000);
  baseline.start();
  let n = 0;
  const handle = (sale: BaselineSale): SaleHandle => ({
    key: () => Promise.resolve(sale.transactionKey),
    submitCode: (code) => void baseline.submitCode(sale, code),
    done: () => until(() => sale.state === 'closed', 'baseline sale done', 60_000).then(() => undefined),
  });
  try {
    return await drive(
      emu,
      {
        isWaiting: (id) => baseline.isWaiting(id),
        startTableSale: async (id, amount) => handle(await baseline.startSale(id, amount, `baseline_${++n}`)),
        startCodeSale: async (amount) => handle(await baseline.startCodeSale(amount, `baseline_${++n}`)),
      },
      scenario,
      options.sales,
      options.seed,
      options.offsetMs ?? 0,
    );
  } finally {
    await baseline.stop();
    await wallet.stop();
    await emu.stop();
  }
}

/** Follows the engine's sale events: resolves waits, and keeps when each key was noticed and confirmed. */
class EngineSales {
  private readonly waiters = new Map<string, Array<{ until: (state: string, key: string | undefined) => boolean; resolve: () => void }>>();
  private readonly keys = new Map<string, string>();
  readonly noticedAt = new Map<string, number>();
  readonly answeredAt = new Map<string, number>();

  constructor(engine: JournaledPaymentEngine) {
    engine.onSaleChanged(({ sale }) => {
      const now = Date.now();
      if (sale.transactionKey !== undefined) {
        this.keys.set(sale.id, sale.transactionKey);
        if (sale.state === 'reserved' && !this.noticedAt.has(sale.transactionKey)) this.noticedAt.set(sale.transactionKey, now);
        if (sale.state === 'confirmed' && !this.answeredAt.has(sale.transactionKey)) this.answeredAt.set(sale.transactionKey, now);
      }
      const list = this.waiters.get(sale.id) ?? [];
      const still = list.filter((w) => {
        if (!w.until(sale.state, sale.transactionKey)) return true;
        w.resolve();
        return false;
      });
      this.waiters.set(sale.id, still);
    });
  }

  wait(saleId: string, current: () => { state: string; key: string | undefined } | undefined, done: (state: string, key: string | undefined) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const now = current();
      if (now !== undefined && done(now.state, now.key)) {
        resolve();
        return;
      }
      const list = this.waiters.get(saleId) ?? [];
      list.push({ until: done, resolve });
      this.waiters.set(saleId, list);
    });
  }
}

export interface EngineRunOptions extends RunOptions {
  budgetPerMinute: number;
  pollShare?: number;
}

/**
 * Our engine with its production timing (spot poll 4000 ms, the config default; reservation poll
 * at the engine's default) behind a RequestBudget of `budgetPerMinute` (all calls; polls on their
 * own capped at the budget's poll share).
 */
export async function runEngine(options: EngineRunOptions): Promise<LatencyRun> {
  const context = new AsyncLocalStorage<CallContext>();
  const confirms = new Map<string, ConfirmCall>();
  const clock = new SystemClock();
  const budget = new RecordingBudget(clock, options.budgetPerMinute, options.pollShare === undefined ? {} : { pollShare: options.pollShare }, context);
  const terminal = await startBenchTerminal({
    name: `latency-${options.scenario.name}`,
    seed: options.seed,
    pollIntervalMs: 4000,
    budget,
    tables: options.scenario.tables,
    wrapWallet: (wallet) => tracedWallet(wallet, context, confirms),
  });
  const { emu, store, engine } = terminal;
  const sales = new EngineSales(engine);
  const handle = (store: Store, saleId: string): SaleHandle => {
    const current = (): { state: string; key: string | undefined } | undefined => {
      const sale = store.sales.get(saleId);
      return sale === undefined ? undefined : { state: sale.state, key: sale.transactionKey };
    };
    return {
      key: async () => {
        await sales.wait(saleId, current, (_state, key) => key !== undefined);
        return current()?.key ?? '';
      },
      submitCode: (code) => void engine.submitReservationCode(saleId, code),
      done: () => sales.wait(saleId, current, (state) => state === 'done'),
    };
  };
  try {
    const run = await drive(
      emu,
      {
        isWaiting: (id) => engine.waitingTables().some((w) => w.table.id === id),
        startTableSale: (id, amount) => Promise.resolve(handle(store, engine.startTableSale(id, amount).id)),
        startCodeSale: (amount) => Promise.resolve(handle(store, engine.startCodeSale(amount).id)),
        moments: (key) => ({ noticedAtMs: sales.noticedAt.get(key), answeredAtMs: sales.answeredAt.get(key), confirm: confirms.get(key) }),
      },
      options.scenario,
      options.sales,
      options.seed,
      options.offsetMs ?? 0,
    );
    return { ...run, budget: budget.summary() };
  } finally {
    await terminal.stop();
  }
}
