/**
 * `npm run bench`: the counterpay benchmarks, each measured in this run against its baseline,
 * printed as one table (`-- --json`: the same figures as one JSON object). Not timed tests:
 * nothing here fails a build; the "met?" column says whether a target was reached.
 *
 * Order matters for the figures that read process-wide counters: the idle window runs alone.
 */
import { benchIdleWrites } from './bench/idle-writes.js';
import { benchOutboxThroughput } from './bench/outbox-throughput.js';
import { runBaseline, runEngine, ARRIVAL_MS } from './bench/reserve-latency.js';
import { benchRssAfterSales } from './bench/rss-after-sales.js';
import { benchStartToReady } from './bench/start-to-ready.js';

const json = process.argv.includes('--json');
const SALES = 100;
/**
 * RequestBudget poll share for the latency run: the production default. Polls are capped by
 * their own count (80% of the budget), writes by the total, so the writes of this run (60 sales a
 * minute, far beyond a real counter) do not starve the polls that notice payments.
 */
const POLL_SHARE = 0.8;
const log = (line: string): void => {
  // Progress goes to stderr so that --json leaves stdout to the JSON object.
  process.stderr.write(`bench: ${line}\n`);
};

interface Row {
  figure: string;
  ours: string;
  baseline: string;
  target: string;
  met: string;
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const yes = (ok: boolean | undefined): string => (ok === undefined ? '-' : ok ? 'yes' : 'NO');

log('outbox throughput vs raw better-sqlite3 (WAL, synchronous=FULL)...');
const outbox = benchOutboxThroughput();

log('idle disk writes (20 s window, engine polling, no sales)...');
const idle = await benchIdleWrites(20_000);

log(`reserve-to-confirm latency: BASELINE (fixed 4 s polling), ${SALES} table sales at 10 tables...`);
const baseline = await runBaseline(SALES, 1);
const budget = Math.floor(baseline.reqPerMin);
log(`baseline used ${baseline.reqPerMin.toFixed(1)} req/min; our engine gets requestBudgetPerMinute=${budget}`);
log(`reserve-to-confirm latency: our engine, ${SALES} table sales at 10 tables...`);
const ours = await runEngine(SALES, 1, budget, POLL_SHARE);

log('RSS after 200 sales...');
const rss = await benchRssAfterSales(200);

log('start to ready...');
const startToReady = await benchStartToReady();

const latencyMet = ours.p99Ms <= baseline.p99Ms / 2 && ours.reqPerMin <= baseline.reqPerMin;
const figures = {
  reserveToConfirm: {
    sales: { ours: ours.sales, baseline: baseline.sales },
    p50Ms: { ours: ours.p50Ms, baseline: baseline.p50Ms },
    p99Ms: { ours: ours.p99Ms, baseline: baseline.p99Ms, target: 'ours <= baseline / 2', met: latencyMet },
    reqPerMin: { ours: ours.reqPerMin, baseline: baseline.reqPerMin, oursBudget: budget, oursPollShare: POLL_SHARE, target: 'ours <= baseline' },
    readsPerMin: { ours: ours.readsPerMin, baseline: baseline.readsPerMin },
    writesPerMin: { ours: ours.writesPerMin, baseline: baseline.writesPerMin },
    durationS: { ours: ours.durationS, baseline: baseline.durationS },
    method: `10 tables, one customer per table every ${ARRIVAL_MS} ms, pays 0.3-4.3 s after the order appears; latency = emulator time of the applied confirm - time the customer reserved; baseline polls spots + one GET per awaited transaction every 4 s; ours: spot poll 4000 ms, reservation watcher at its default, RequestBudget = baseline's measured req/min with poll share ${POLL_SHARE} (the production default)`,
  },
  outbox: {
    opsPerSec: { ours: outbox.storeOpsPerSec, baseline: outbox.rawInsertsPerSec, ratio: outbox.ratio, target: '>= 0.8x', met: outbox.ratio >= 0.8 },
    narrowBaseline: { insertsPerSec: outbox.narrowInsertsPerSec, ratio: outbox.narrowRatio, note: 'for reference: raw inserts of a six-column row, less data than an outbox row' },
    opsPerSide: outbox.opsPerSide,
    method: outbox.definition,
  },
  idle: {
    bytesPerMin: { ours: idle.bytesPerMin, target: 0, met: idle.bytesPerMin === 0 && !idle.dbFilesChanged },
    dbFilesChanged: idle.dbFilesChanged,
    windowS: idle.windowS,
    spotPollsInWindow: idle.spotPolls,
    method: 'write_bytes of this process (/proc/self/io) over the window, scaled to 60 s; db, -wal and -shm size+mtime compared',
  },
  rssAfter200Sales: { oursMb: rss.rssAfterMb, baselineMb: rss.rssBeforeMb, heapAfterMb: rss.heapAfterMb, sales: rss.sales, method: 'in process, emulator included; baseline = same process before the first sale' },
  startToReady: startToReady,
};

if (json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const rows: Row[] = [
    { figure: `reserve->confirm p50 (ms, ${ours.sales} vs ${baseline.sales} sales)`, ours: fmt(ours.p50Ms), baseline: fmt(baseline.p50Ms), target: '-', met: '-' },
    { figure: 'reserve->confirm p99 (ms)', ours: fmt(ours.p99Ms), baseline: fmt(baseline.p99Ms), target: '<= baseline/2', met: yes(latencyMet) },
    { figure: 'Paysera requests/min (all)', ours: fmt(ours.reqPerMin, 1), baseline: fmt(baseline.reqPerMin, 1), target: `<= baseline (budget ${budget})`, met: yes(ours.reqPerMin <= baseline.reqPerMin) },
    { figure: '  of which reads (polls)/min', ours: fmt(ours.readsPerMin, 1), baseline: fmt(baseline.readsPerMin, 1), target: '-', met: '-' },
    { figure: 'outbox ops/s vs raw inserts/s', ours: fmt(outbox.storeOpsPerSec), baseline: fmt(outbox.rawInsertsPerSec), target: '>= 0.8x', met: `${yes(outbox.ratio >= 0.8)} (${outbox.ratio.toFixed(2)}x)` },
    { figure: '  vs six-column inserts/s', ours: fmt(outbox.storeOpsPerSec), baseline: fmt(outbox.narrowInsertsPerSec), target: '-', met: `- (${outbox.narrowRatio.toFixed(2)}x)` },
    { figure: 'disk bytes written per idle minute', ours: fmt(idle.bytesPerMin), baseline: '-', target: '0', met: yes(idle.bytesPerMin === 0 && !idle.dbFilesChanged) },
    { figure: 'RSS after 200 sales (MB)', ours: fmt(rss.rssAfterMb, 1), baseline: `${fmt(rss.rssBeforeMb, 1)} (before)`, target: '-', met: '-' },
    {
      figure: 'start to ready (ms)',
      ours: startToReady.ms === undefined ? startToReady.note : fmt(startToReady.ms),
      baseline: startToReady.nodeBareMs === undefined ? '-' : `${fmt(startToReady.nodeBareMs)} (bare node)`,
      target: '-',
      met: '-',
    },
  ];
  const headers: Row = { figure: 'figure', ours: 'ours', baseline: 'baseline', target: 'target', met: 'met?' };
  const keys = Object.keys(headers) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (r: Row): string => `| ${keys.map((k, i) => r[k].padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const out = [
    line(headers),
    rule,
    ...rows.map(line),
    '',
    `latency: ${figures.reserveToConfirm.method}`,
    `outbox:  ${outbox.definition}; ${outbox.opsPerSide} ops per side`,
    `idle:    ${idle.windowS} s window, ${idle.spotPolls} spot polls answered in it; db files changed: ${idle.dbFilesChanged ? 'YES' : 'no'}`,
    `rss:     ${figures.rssAfter200Sales.method}; heap after ${fmt(rss.heapAfterMb, 1)} MB`,
    `start:   counterpay run (file display, stdin keypad, file printer) from spawn to the first idle frame; ${startToReady.note}${startToReady.runsMs.length > 0 ? ` of ${startToReady.runsMs.map((m) => m.toFixed(0)).join(', ')} ms` : ''}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
