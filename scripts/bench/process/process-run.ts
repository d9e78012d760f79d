import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../util.js';
import { EmulatorProcess } from './emulator-process.js';
import { RunProcess } from './run-process.js';
import { serviceNodeArgs } from './service-launch.js';

/**
 * The production process through a long day: `counterpay run` (no emulator inside it: the
 * emulator is another process) typed at like staff through `sales` sales, alternately a table
 * sale and a code sale (table sales only when socat, which fakes the serial scanner, is missing),
 * each to PAID and its receipt, one after another, with the config's largest request budget (600
 * a minute). Its RSS is read from /proc every 10 sales.
 *
 * The growth figure is read at settled moments: every SETTLE_EVERY sales the driver stops typing
 * until the terminal has gone idle, folded its WAL (the WAL file is empty) and so collected its
 * garbage (the service's collection at each transition to idle), and reads the RSS then. Read
 * between sales instead, the RSS is a sawtooth of 2-4 MB (V8's old generation filling with the
 * garbage of each sale until a collection), and a least-squares slope over 900 sales moved
 * between 0.2 and 3.7 KB a sale from run to run on the same code, depending on where in the
 * sawtooth the last reads fell. Even settled, one thing still flips: whether V8 kept its young
 * generation's second 1 MB semi-space committed after the collection (it gives it back at a low
 * allocation rate, on its own schedule), so settled reads sit on two levels 1 MB apart. The
 * growth is therefore the slope of the floor: the lowest settled read of each hundred sales,
 * memory a sale leaves behind rather than where V8's cycle stood (docs/performance.md).
 *
 * Then it is left alone for `idleS` seconds with no sale (the spot poll running, the idle
 * screen's clock ticking) and its CPU time over that window is read from /proc: idle CPU as a
 * share of one core.
 */
export interface ProcessFigures {
  sales: number;
  tableSales: number;
  codeSales: number;
  durationS: number;
  rssReadyMb: number;
  rssAfter100Mb: number;
  /** RSS right after the last sale. */
  rssAfterMb: number;
  /** Least-squares slope of the settled floor (floorPerHundred) from sale 100 on, in KB per sale. */
  perSaleKb: number;
  /** The same slope over every settled read. */
  perSaleKbSettled: number;
  /** The same slope over the reads every 10 sales (between sales, anywhere in the GC cycle). */
  perSaleKbBetweenSales: number;
  samples: Array<{ sale: number; rssMb: number }>;
  /** RSS read every SETTLE_EVERY sales once the terminal had folded its WAL and collected. */
  settled: Array<{ sale: number; rssMb: number }>;
  idle: { windowS: number; cpuS: number; percentOfCore: number; rssMb: number } | undefined;
  /** The journal's files (database and WAL) after the sales. */
  journalMb: number;
  /** CPU time (user + system) of the process per sale, over the sales. */
  cpuMsPerSale: number;
  /** With metrics on: the scrapes (every METRICS_SCRAPE_MS, as an agent would) and their size. */
  metrics: { scrapes: number; failed: number; lastBytes: number } | undefined;
  note: string;
}

/** How often the process run scrapes /metrics with metrics on: a common agent interval. */
export const METRICS_SCRAPE_MS = 15_000;

/** A free TCP port on 127.0.0.1 (the system picks it; released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * Scrapes http://127.0.0.1:port/metrics every METRICS_SCRAPE_MS until stopped, as a local agent
 * would, counting what it got.
 */
function startScraper(port: number): { stop: () => void; figures: () => NonNullable<ProcessFigures['metrics']> } {
  const figures = { scrapes: 0, failed: 0, lastBytes: 0 };
  const scrape = async (): Promise<void> => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      const body = await response.text();
      if (response.ok) {
        figures.scrapes += 1;
        figures.lastBytes = Buffer.byteLength(body);
      } else figures.failed += 1;
    } catch {
      figures.failed += 1;
    }
  };
  const timer = setInterval(() => void scrape(), METRICS_SCRAPE_MS);
  return { stop: () => clearInterval(timer), figures: () => ({ ...figures }) };
}

const TABLES = ['TABLE1', 'TABLE2', 'TABLE3', 'TABLE4'];
/** Sales between settled reads of the RSS (sale 100 and the last are always among them). */
export const SETTLE_EVERY = 25;
/** Longest wait for the terminal to fold its WAL once idle (it looks every spot-poll interval). */
const SETTLE_DEADLINE_MS = 60_000;
const mb = (bytes: number): number => bytes / 1024 / 1024;

/** Slope of y over x by least squares. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

/**
 * The lowest read of each hundred sales from sale `from` on (reads in sale order); a last
 * hundred that would hold fewer than two reads joins the one before it, so the floor's last
 * point is never a single read.
 */
export function floorPerHundred(reads: ReadonlyArray<{ sale: number; rssMb: number }>, from = 100): Array<{ sale: number; rssMb: number }> {
  const groups = new Map<number, Array<{ sale: number; rssMb: number }>>();
  for (const read of reads.filter((r) => r.sale >= from)) {
    const hundred = Math.floor(read.sale / 100);
    groups.set(hundred, [...(groups.get(hundred) ?? []), read]);
  }
  const hundreds = [...groups.keys()].sort((a, b) => a - b);
  const last = hundreds.at(-1);
  if (last !== undefined && hundreds.length > 1 && (groups.get(last)?.length ?? 0) < 2) {
    const before = hundreds[hundreds.length - 2] ?? last;
    groups.set(before, [...(groups.get(before) ?? []), ...(groups.get(last) ?? [])]);
    groups.delete(last);
  }
  return [...groups.values()].map((group) => group.reduce((low, r) => (r.rssMb < low.rssMb ? r : low)));
}

export async function benchProcess(options: {
  sales: number;
  idleS: number;
  log: (line: string) => void;
  /** Development: heap snapshots after sale 100 and after the last, left in a temp directory (logged). */
  heapSnapshots?: boolean;
  /** Metrics on (config `metrics.listen` on loopback), scraped every METRICS_SCRAPE_MS throughout. */
  metrics?: boolean;
}): Promise<ProcessFigures> {
  const emu = new EmulatorProcess();
  await emu.start(17);
  const snapshotDir = options.heapSnapshots === true ? mkdtempSync(join(tmpdir(), 'counterpay-heap-')) : undefined;
  const metricsPort = options.metrics === true ? await freePort() : undefined;
  let scraper: ReturnType<typeof startScraper> | undefined;
  const terminal = new RunProcess({
    ...(metricsPort === undefined ? {} : { metricsPort }),
    emulatorUrl: emu.url,
    tables: TABLES,
    scanner: true,
    // The config's largest budget: sales one after another as fast as staff can type would need
    // more than the default 60 requests a minute, and the run would measure the budget's pace.
    requestBudgetPerMinute: 600,
    // The service's V8 options, plus the snapshot signal.
    ...(snapshotDir === undefined ? {} : { nodeArgs: [...serviceNodeArgs(), '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] }),
  });
  const snapshot = async (): Promise<void> => {
    if (snapshotDir === undefined) return;
    const before = readdirSync(snapshotDir).length;
    terminal.signal('SIGUSR2');
    // Written when the file count grows and its size stops changing.
    let size = -1;
    for (let k = 0; k < 600; k++) {
      await sleep(200);
      const files = readdirSync(snapshotDir);
      if (files.length <= before) continue;
      const now = files.reduce((a, f) => a + statSync(join(snapshotDir, f)).size, 0);
      if (now === size) break;
      size = now;
    }
    options.log(`  process: heap snapshot in ${snapshotDir}`);
  };
  const spots = new Map<string, number>();
  const seated = new Map<string, string>();
  let customers = 0;
  const checkIn = async (table: string): Promise<void> => {
    const customer = `customer-${++customers}`;
    const spot = await emu.checkIn(`PAYSERA*3:${table}`, customer);
    spots.set(table, spot.id);
    seated.set(table, customer);
  };
  /**
   * Waits until the terminal has folded its WAL (the file is empty: the fold truncates it, and the
   * collection runs right after it in the same turn of the event loop), then reads the RSS. The
   * short pause after lets the collection's page release on V8's helper threads finish.
   */
  const settledRssMb = async (): Promise<number> => {
    const deadline = performance.now() + SETTLE_DEADLINE_MS;
    while (terminal.walBytes() > 0) {
      if (performance.now() > deadline) throw new Error(`bench: the terminal did not fold its WAL within ${SETTLE_DEADLINE_MS} ms of going idle`);
      await sleep(50);
    }
    await sleep(250);
    return mb(await terminal.rssBytes());
  };
  try {
    await terminal.start();
    if (metricsPort !== undefined) scraper = startScraper(metricsPort);
    for (const table of TABLES) await checkIn(table);
    await sleep(1000);
    const rssReady = await terminal.rssBytes();
    const samples: ProcessFigures['samples'] = [];
    const settled: ProcessFigures['settled'] = [];
    let rssAfter = rssReady;
    let tableSales = 0;
    let codeSales = 0;
    const t0 = performance.now();
    const cpuAtStart = await terminal.cpuSeconds();
    for (let i = 0; i < options.sales; i++) {
      const amount = 100 + ((i * 7919) % 5000);
      const digits = String(amount);
      if (i % 2 === 0 || !terminal.scanner) {
        const table = TABLES[tableSales % TABLES.length] ?? 'TABLE1';
        const number = table.slice('TABLE'.length);
        const spotId = spots.get(table) ?? -1;
        // The terminal sees a check-in at its next spot poll: until then the table has "no customer".
        for (;;) {
          await terminal.type(`A${number}#`);
          const frame = await terminal.waitForFrame(/no customer|No customer|Amount/);
          if (/Amount/.test(frame)) break;
          await terminal.type('D');
          await terminal.waitForFrame(/A table/);
          await sleep(250);
        }
        await terminal.type(`${digits}#`);
        let key: string | undefined;
        for (let k = 0; k < 3000 && key === undefined; k++) {
          key = await emu.pendingOrderKey(spotId);
          if (key === undefined) await sleep(10);
        }
        if (key === undefined) throw new Error(`bench: no order at ${table} (screen: ${terminal.screen()})`);
        await emu.reserve(key, seated.get(table) ?? '');
        await terminal.waitForFrame(/PAID/);
        await terminal.type('#');
        await terminal.waitForFrame(/A table/);
        // The next customer sits down once the spot is closed.
        for (let k = 0; k < 3000 && (await emu.spot(spotId)).status !== 'closed'; k++) await sleep(10);
        await checkIn(table);
        tableSales += 1;
      } else {
        await terminal.type(`B${digits}#`);
        await terminal.waitForFrame(/Scan code/);
        await terminal.scan(await emu.issueCode(100_000));
        await terminal.waitForFrame(/PAID/);
        await terminal.type('#');
        await terminal.waitForFrame(/A table/);
        codeSales += 1;
      }
      const sale = i + 1;
      if (sale % 10 === 0) samples.push({ sale, rssMb: mb(await terminal.rssBytes()) });
      if (sale === options.sales) rssAfter = await terminal.rssBytes();
      if (sale % SETTLE_EVERY === 0 || sale === options.sales) {
        settled.push({ sale, rssMb: await settledRssMb() });
        if (sale % 100 === 0) options.log(`  process: ${sale} sales, RSS ${samples.at(-1)?.rssMb.toFixed(1)} MB between sales, ${settled.at(-1)?.rssMb.toFixed(1)} MB settled, ${((performance.now() - t0) / sale).toFixed(0)} ms a sale`);
      }
      if (sale === Math.min(100, options.sales) || sale === options.sales) await snapshot();
    }
    const durationS = (performance.now() - t0) / 1000;
    const cpuMsPerSale = (((await terminal.cpuSeconds()) - cpuAtStart) * 1000) / options.sales;
    const journalMb = mb(terminal.journalBytes());
    // KB a sale from sale 100 on (from the first sale of a shorter run).
    const first = Math.min(100, options.sales);
    const kbPerSale = (reads: ProcessFigures['samples']): number =>
      slope(reads.filter((s) => s.sale >= first).map((s) => ({ x: s.sale, y: s.rssMb * 1024 })));
    const perSaleKb = kbPerSale(floorPerHundred(settled, first));
    const perSaleKbSettled = kbPerSale(settled);
    const perSaleKbBetweenSales = kbPerSale(samples);
    let idle: ProcessFigures['idle'];
    if (options.idleS > 0) {
      options.log(`  process: idle for ${options.idleS} s (no sales; spot poll and idle screen running)...`);
      // Let the last sale's tail (close, print, checkpoint) settle first.
      await sleep(10_000);
      const cpuBefore = await terminal.cpuSeconds();
      const before = performance.now();
      await sleep(options.idleS * 1000);
      const cpuS = (await terminal.cpuSeconds()) - cpuBefore;
      const windowS = (performance.now() - before) / 1000;
      idle = { windowS, cpuS, percentOfCore: (cpuS / windowS) * 100, rssMb: mb(await terminal.rssBytes()) };
    }
    return {
      sales: options.sales,
      tableSales,
      codeSales,
      durationS,
      rssReadyMb: mb(rssReady),
      rssAfter100Mb: samples.find((s) => s.sale === 100)?.rssMb ?? Number.NaN,
      rssAfterMb: mb(rssAfter),
      perSaleKb,
      perSaleKbSettled,
      perSaleKbBetweenSales,
      samples,
      settled,
      idle,
      journalMb,
      cpuMsPerSale,
      metrics: scraper?.figures(),
      note: terminal.scanner ? 'table and code sales alternately' : 'table sales only (socat missing: no scanner for code sales)',
    };
  } finally {
    scraper?.stop();
    await terminal.stop();
    await emu.stop();
  }
}
