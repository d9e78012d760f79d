/**
 * The terminal side of the crash loop (see crash-loop.ts): the production terminal (the same
 * composition as `counterpay run`: system clock, crypto randomness, the real gateways and
 * transports, the journal on a real SQLite file, the print spooler) against the emulator, with
 * shorter poll intervals and backoff. It plays the staff through the engine: it starts table and
 * code sales until the journal holds the target number, cancels some, refunds about one paid sale
 * in three (chosen by its id, so a restarted worker chooses the same ones), and exits 0 with
 * "DONE" once every sale and every refund is final. It is killed with SIGKILL at random moments and restarted; everything
 * it knows comes from the journal, so each run continues where the last one died.
 *
 * Usage: node dist/scripts/crash-worker.js EMULATOR_URL DATA_DIR TARGET_SALES SEED
 */
import { join } from 'node:path';
import { createProductionTerminal } from '../src/app/production-terminal.js';
import { parseConfig } from '../src/config/load-config.js';
import { createPrinter } from '../src/devices/create-devices.js';
import { FakeDisplay } from '../src/devices/display/fake-display.js';
import { FakeKeypad } from '../src/devices/keypad/fake-keypad.js';
import { EngineError } from '../src/engine/engine-error.js';
import type { RetryPolicies } from '../src/engine/outbox/retry-policy.js';
import { PAYSERA_RETRY_POLICIES } from '../src/engine/paysera-wallet/paysera-ops.js';
import { PAYSERA_REFUND_POLICIES } from '../src/engine/paysera-wallet/paysera-refund-ops.js';
import { createLogger } from '../src/log/logger.js';
import { SystemClock } from '../src/platform/clock.js';
import { SeededRandom, SystemRandom } from '../src/platform/random.js';
import { Store } from '../src/store/store.js';

const [url, dataDir, targetText, seedText] = process.argv.slice(2);
if (url === undefined || dataDir === undefined) throw new Error('usage: crash-worker URL DATA_DIR TARGET SEED');
const target = Number(targetText ?? 50);
const seed = Number(seedText ?? 1);
const TABLES = [1, 2, 3, 4, 5].map((n) => ({ id: `TABLE${n}`, number: n, name: `Table ${n}` }));
const FAST: RetryPolicies = Object.fromEntries(Object.entries({ ...PAYSERA_RETRY_POLICIES, ...PAYSERA_REFUND_POLICIES }).map(([k, p]) => [k, { ...p, baseMs: 30, capMs: 300 }]));

const { config } = parseConfig(
  {
    dataDir,
    paysera: {
      baseUrl: url,
      macId: 'wkVd93h2uS',
      macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU',
      locationId: 3,
      tables: TABLES,
      connectTimeoutMs: 1000,
      headersTimeoutMs: 1500,
      bodyTimeoutMs: 1500,
    },
    devices: { scanner: { driver: 'none' }, keypad: { driver: 'stdin' }, display: { driver: 'console' }, printer: { interface: `file:${join(dataDir, 'prints')}` } },
  },
  '(crash worker)',
);
const clock = new SystemClock();
// Errors only, on stderr: the crash loop shows its tail when the worker dies on its own.
const logger = createLogger({ level: 'error', destination: process.stderr, pretty: false });
const app = createProductionTerminal({
  config,
  logger,
  stdin: process.stdin,
  consoleOut: process.stderr,
  baseDir: dataDir,
  // Staff and display are played by this script; the printer writes files into the data dir.
  devices: {
    scanner: null,
    buzzer: null,
    keypad: new FakeKeypad(clock),
    display: new FakeDisplay(),
    printer: await createPrinter(config.devices.printer, { clock, locationId: 3, stdin: process.stdin, consoleOut: process.stderr, baseDir: dataDir }),
  },
  // Declines noticed as fast as when every 8th poll read each awaited transaction.
  tuning: { pollIntervalMs: 100, reservationPollMs: 60, reservationReadEachAfterMs: 480, requestBudgetPerMinute: 100_000, retryPolicies: FAST },
});
await app.start();
const engine = app.engine;
// The count of all sales so far, read beside the running terminal (a read-only connection).
const journal = new Store({ dataDir, clock, random: new SystemRandom() });
journal.openReadOnly();
// Decisions differ per run (a restart must not replay the same choices), but stay seeded.
const random = new SeededRandom(seed * 7919 + Number(process.pid));
// The crash loop times most kills from here, so every run gets some work done.
process.stdout.write('READY\n');

async function newCode(balance: number): Promise<string> {
  const response = await fetch(`${url}/_sim/reservation-codes`, { method: 'POST', body: JSON.stringify({ balance }) });
  return ((await response.json()) as { code: string }).code;
}

function totalSales(): number {
  return journal.sales.list({}).length;
}

/** About one paid sale in three is refunded: decided by its id, the same in every run. */
function refundWanted(saleId: string): boolean {
  let hash = 0;
  for (const char of saleId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 3 === 0;
}

/** Paid sales chosen for a refund that have none yet; the worker asks for each (a supervisor at the keypad). */
function refundsToAsk(): string[] {
  return journal.sales
    .list({ states: ['done'] })
    .filter((sale) => sale.resolvedPaid !== false && refundWanted(sale.id) && journal.refunds.listForSale(sale.id).length === 0 && !refusedHere.has(sale.id))
    .map((sale) => sale.id);
}

/** Sales the engine refused to refund in this run: not asked again (the verifier finds them without a refund). */
const refusedHere = new Set<string>();

function askRefunds(): void {
  for (const saleId of refundsToAsk()) {
    try {
      engine.refundSale(saleId);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      refusedHere.add(saleId);
    }
  }
}

const cancelAfterOrder = new Set<string>();
engine.onSaleChanged(({ sale }) => {
  if (sale.state === 'order_created' && cancelAfterOrder.has(sale.id)) {
    try {
      engine.cancelSale(sale.id);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
    }
  }
});

for (;;) {
  // A kill between starting a code sale and submitting its code leaves a sale waiting for a code
  // nobody will type: the customer shows a code again, as at a real counter after a restart.
  for (const orphan of engine.openSales().filter((s) => s.kind === 'code' && s.reservationCode === undefined)) {
    const code = await newCode(orphan.amount.minor + 1000);
    try {
      engine.submitReservationCode(orphan.id, code);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
    }
  }
  askRefunds();
  const open = engine.openSales();
  // A sale or refund waiting for a person will not move by itself: stop, and let the verifier report it.
  const refundsOpen = journal.refunds.listOpen().filter((r) => r.state !== 'needs_human');
  if (totalSales() >= target && open.every((s) => s.state === 'needs_human') && refundsOpen.length === 0 && refundsToAsk().length === 0) break;
  if (totalSales() < target && open.length < 4) {
    try {
      if (random.next() < 0.5) {
        const busy = new Set(open.map((s) => s.tableId));
        const free = engine.waitingTables().filter((w) => !busy.has(w.table.id));
        const pick = free[Math.floor(random.next() * free.length)];
        if (pick !== undefined) {
          const sale = engine.startTableSale(pick.table.number ?? pick.table.id, 100 + Math.floor(random.next() * 5000));
          if (random.next() < 0.15) cancelAfterOrder.add(sale.id);
        }
      } else {
        const amount = 100 + Math.floor(random.next() * 5000);
        // One in five customers has too little on the account: a declined sale.
        const code = await newCode(random.next() < 0.2 ? amount - 1 : amount + 1000);
        const sale = engine.startCodeSale(amount);
        engine.submitReservationCode(sale.id, code);
      }
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 20 + random.next() * 60));
}
journal.close();
process.stdout.write('DONE\n');
await app.stop();
