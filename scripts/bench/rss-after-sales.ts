import type { RetryPolicies } from '../../src/engine/outbox/retry-policy.js';
import { PAYSERA_RETRY_POLICIES } from '../../src/engine/paysera-wallet/paysera-ops.js';
import { sleep, until } from './util.js';
import { LOCATION, TABLES, startBenchTerminal } from './bench-terminal.js';

/**
 * Resident memory after 200 sales, in process (engine, store, client; the emulator lives in the
 * same process and its state grows too, so this is an upper bound for the terminal). Short poll
 * intervals so it finishes quickly; half table sales, half code sales, 5 at a time. The
 * baseline is the RSS of the same process with the engine started, before the first sale.
 */
export interface RssAfterSales {
  sales: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapAfterMb: number;
}

const FAST: RetryPolicies = Object.fromEntries(Object.entries(PAYSERA_RETRY_POLICIES).map(([k, p]) => [k, { ...p, baseMs: 30, capMs: 300 }]));
const mb = (bytes: number): number => bytes / 1024 / 1024;

export async function benchRssAfterSales(total = 200): Promise<RssAfterSales> {
  const terminal = await startBenchTerminal({ name: 'rss', seed: 7, pollIntervalMs: 100, reservationPollMs: 60, policies: FAST });
  const { emu, store, engine } = terminal;
  try {
    await sleep(500);
    const rssBefore = process.memoryUsage().rss;
    let started = 0;
    const worker = async (index: number): Promise<void> => {
      const table = TABLES[index];
      if (table === undefined) return;
      while (started < total) {
        const n = ++started;
        if (n % 2 === 0) {
          const customer = `rss-${table.id}-${n}`;
          emu.wallet.checkInByCode(`PAYSERA*${LOCATION}:${table.id}`, customer);
          await until(() => engine.waitingTables().some((w) => w.table.id === table.id), 'table waiting', 30_000);
          const sale = engine.startTableSale(table.id, 500 + n);
          const key = await until(() => store.sales.get(sale.id)?.transactionKey, 'order', 30_000);
          emu.wallet.customerReserve(key, { customer });
          await until(() => store.sales.get(sale.id)?.state === 'done', 'table sale done', 30_000);
        } else {
          const { code } = emu.wallet.issueReservationCode({ balance: 100_000 });
          const sale = engine.startCodeSale(300 + n);
          engine.submitReservationCode(sale.id, code);
          await until(() => store.sales.get(sale.id)?.state === 'done', 'code sale done', 30_000);
        }
      }
    };
    await Promise.all(TABLES.map((_, i) => worker(i)));
    const usage = process.memoryUsage();
    return { sales: store.sales.list({}).length, rssBeforeMb: mb(rssBefore), rssAfterMb: mb(usage.rss), heapAfterMb: mb(usage.heapUsed) };
  } finally {
    await terminal.stop();
  }
}
