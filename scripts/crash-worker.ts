/**
 * The terminal side of the crash loop (see crash-loop.ts): a real engine on a real SQLite file
 * against the emulator, playing the staff: it starts table and code sales until the journal holds
 * the target number, cancels some, and exits 0 with "DONE" once every sale is final. It is killed
 * with SIGKILL at random moments and restarted; everything it knows comes from the journal, so each
 * run continues where the last one died.
 *
 * Usage: node dist/scripts/crash-worker.js EMULATOR_URL DATA_DIR TARGET_SALES SEED
 */
import { PayseraPaymentEngine } from '../src/engine/payment-engine-impl.js';
import { PAYSERA_RETRY_POLICIES, type RetryPolicies } from '../src/engine/retry-policy.js';
import { EngineError } from '../src/engine/engine-error.js';
import { PayseraWalletClient } from '../src/gateways/paysera-wallet/wallet-client.js';
import { silentLogger } from '../src/log/logger.js';
import { SystemClock } from '../src/platform/clock.js';
import { SeededRandom, SystemRandom } from '../src/platform/random.js';
import { Store } from '../src/store/store.js';

const [url, dataDir, targetText, seedText] = process.argv.slice(2);
if (url === undefined || dataDir === undefined) throw new Error('usage: crash-worker URL DATA_DIR TARGET SEED');
const target = Number(targetText ?? 50);
const seed = Number(seedText ?? 1);
const TABLES = [1, 2, 3, 4, 5].map((n) => ({ id: `TABLE${n}`, number: n, name: `Table ${n}` }));
const FAST: RetryPolicies = Object.fromEntries(Object.entries(PAYSERA_RETRY_POLICIES).map(([k, p]) => [k, { ...p, baseMs: 30, capMs: 300 }]));

const clock = new SystemClock();
const ids = new SystemRandom();
// Decisions differ per run (a restart must not replay the same choices), but stay seeded.
const random = new SeededRandom(seed * 7919 + Number(process.pid));
const store = new Store({ dataDir, clock, random: ids });
store.open();
const wallet = new PayseraWalletClient({ baseUrl: url, macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', clock, headersTimeoutMs: 1500, bodyTimeoutMs: 1500 });
await wallet.start();
const engine = new PayseraPaymentEngine({
  store,
  wallet,
  clock,
  random: ids,
  logger: silentLogger(),
  locationId: 3,
  tables: TABLES,
  currency: 'EUR',
  pollIntervalMs: 100,
  reservationPollMs: 60,
  policies: FAST,
});
engine.start();
// The crash loop times most kills from here, so every run gets some work done.
process.stdout.write('READY\n');

async function newCode(balance: number): Promise<string> {
  const response = await fetch(`${url}/_sim/reservation-codes`, { method: 'POST', body: JSON.stringify({ balance }) });
  return ((await response.json()) as { code: string }).code;
}

function totalSales(): number {
  return store.sales.list({}).length;
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
  const open = engine.openSales();
  // A sale waiting for a person will not move by itself: stop, and let the verifier report it.
  if (totalSales() >= target && open.every((s) => s.state === 'needs_human')) break;
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
await engine.stop();
await wallet.stop();
store.close();
process.stdout.write('DONE\n');
