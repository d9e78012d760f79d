/**
 * `npm run bench`: the counterpay benchmarks, each measured in this run against its baseline,
 * printed as one table (`-- --json`: the same figures as one JSON object). Not timed tests:
 * nothing here fails a build; the "met?" column says whether a target was reached.
 *
 * Options (development): `--only a,b` runs some sections (SECTIONS: outbox, idle-writes, stress,
 * busy, cafe, process, rss, start); `--runs N` and `--sales N` size the stress series;
 * `--process-sales N` the process run and `--idle-cpu-s N` its idle-CPU window;
 * `--heap-snapshots` writes two heap snapshots of it; `--process-metrics both|off|on` runs it without
 * and with `metrics.listen` (scraped every 15 s), side by side (default both); `--quick` makes them all small. Figures for
 * the README come from a full run (no options but --json).
 *
 * Order matters for the figures that read process-wide counters: the idle window runs alone.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { busyCore } from './bench/busy-core.js';
import { benchIdleWrites } from './bench/idle-writes.js';
import { breakdownLines, PHASE_MEANING, PHASES } from './bench/latency/phases.js';
import { CAFE, CAFE_ARRIVAL_MS, STRESS, STRESS_ARRIVAL_MS } from './bench/latency/scenario.js';
import { runSeries, type SeriesFigures } from './bench/latency/series.js';
import { METRICS_SCRAPE_MS, SETTLE_EVERY, benchProcess, type ProcessFigures } from './bench/process/process-run.js';
import { benchOutboxThroughput, type OutboxThroughput } from './bench/outbox-throughput.js';
import { benchRssAfterSales, type RssAfterSales } from './bench/rss-after-sales.js';
import { benchStartToReady, type StartToReady } from './bench/start-to-ready.js';
import type { IdleWrites } from './bench/idle-writes.js';

const SECTIONS = ['outbox', 'idle-writes', 'stress', 'busy', 'cafe', 'process', 'rss', 'start'] as const;
type Section = (typeof SECTIONS)[number];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    sales: { type: 'string' },
    'process-sales': { type: 'string' },
    'idle-cpu-s': { type: 'string' },
    'heap-snapshots': { type: 'boolean', default: false },
    'process-metrics': { type: 'string', default: 'both' },
  },
});
const json = args.json;
const quick = args.quick;
const only = args.only === undefined ? undefined : new Set(args.only.split(',').map((s) => s.trim()));
for (const name of only ?? []) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`bench: unknown section '${name}' (known: ${SECTIONS.join(', ')})`);
const wanted = (section: Section): boolean => only === undefined || only.has(section);
const int = (value: string | undefined, fallback: number): number => (value === undefined ? fallback : Math.max(1, Number.parseInt(value, 10)));

/** Stress series: pairs (baseline, ours) of this many sales each. */
const RUNS = int(args.runs, quick ? 1 : 3);
const SALES = int(args.sales, quick ? 50 : 100);
/** The production process: sales typed at it, then the idle window (the reported figure is 5 minutes). */
const PROCESS_SALES = int(args['process-sales'], quick ? 200 : 1000);
/** The process run without metrics, with them (metrics.listen, scraped every 15 s), or both one after the other. */
const PROCESS_METRICS = args['process-metrics'];
if (!['both', 'off', 'on'].includes(PROCESS_METRICS)) throw new Error(`bench: --process-metrics is both, off or on, not '${PROCESS_METRICS}'`);
const IDLE_CPU_S = int(args['idle-cpu-s'], quick ? 30 : 300);
/** Café: independent terminals at once, and sales each (2 a minute: 12 sales are 6 minutes). */
const CAFE_REPLICAS = quick ? 3 : 8;
const CAFE_SALES_EACH = quick ? 4 : 12;
/**
 * RequestBudget poll share for the stress runs: the production default. Polls are capped by
 * their own count (80% of the budget), writes by the total, so the writes of this run (60 sales a
 * minute, far beyond a real counter) do not starve the polls that notice payments.
 */
const POLL_SHARE = 0.8;
/** The café's budget: the production default of requestBudgetPerMinute. */
const CAFE_BUDGET = 60;

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
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const startedAt = new Date();
const loadAtStart = load();
log(`${startedAt.toISOString()}, ${cpus().length} cores, load average ${loadAtStart}${quick ? ' (--quick: development figures)' : ''}`);

let outbox: OutboxThroughput | undefined;
if (wanted('outbox')) {
  log('outbox throughput vs raw better-sqlite3 (WAL, synchronous=FULL)...');
  outbox = benchOutboxThroughput();
}

let idle: IdleWrites | undefined;
if (wanted('idle-writes')) {
  log('idle disk writes (20 s window, engine polling, no sales)...');
  idle = await benchIdleWrites(20_000);
}

let stress: SeriesFigures | undefined;
if (wanted('stress')) {
  log(`stress latency: ${RUNS} pairs of ${SALES} table sales at 10 tables (baseline fixed 4 s polling, then ours at the baseline's req/min)...`);
  stress = await runSeries({ scenario: STRESS, runs: RUNS, salesPerRun: SALES, budget: 'baseline', pollShare: POLL_SHARE, log });
}

let busy: SeriesFigures | undefined;
if (wanted('busy')) {
  log(`stress latency with one core kept busy by another process: ${RUNS} pairs of ${SALES} sales...`);
  const spinner = busyCore();
  try {
    busy = await runSeries({ scenario: STRESS, runs: RUNS, salesPerRun: SALES, budget: 'baseline', pollShare: POLL_SHARE, log });
  } finally {
    await spinner.stop();
  }
}

let cafe: SeriesFigures | undefined;
if (wanted('cafe')) {
  log(`cafe latency: ${CAFE_REPLICAS} terminals x ${CAFE_SALES_EACH} sales (4 tables, 2 sales a minute, table and code), ours at budget ${CAFE_BUDGET}/min beside the baseline...`);
  cafe = await runSeries({ scenario: CAFE, runs: 1, salesPerRun: CAFE_REPLICAS * CAFE_SALES_EACH, replicas: CAFE_REPLICAS, budget: CAFE_BUDGET, together: true, log });
}

let proc: ProcessFigures | undefined;
/** The same run with metrics on and scraped every 15 s (docs/monitoring.md): their cost, side by side. */
let procMetrics: ProcessFigures | undefined;
if (wanted('process') && PROCESS_METRICS !== 'on') {
  log(`counterpay run as its own process (the emulator in another): ${PROCESS_SALES} sales typed at it, then ${IDLE_CPU_S} s idle...`);
  proc = await benchProcess({
    sales: PROCESS_SALES,
    idleS: IDLE_CPU_S,
    log,
    // Development: heap snapshots of the process after sale 100 and after the last, kept in a temp directory.
    heapSnapshots: args['heap-snapshots'],
  });
}
if (wanted('process') && PROCESS_METRICS !== 'off') {
  log(`counterpay run with metrics.listen, scraped every ${METRICS_SCRAPE_MS / 1000} s: ${PROCESS_SALES} sales, then ${IDLE_CPU_S} s idle...`);
  procMetrics = await benchProcess({ sales: PROCESS_SALES, idleS: IDLE_CPU_S, log, metrics: true });
}

let rss: RssAfterSales | undefined;
if (wanted('rss')) {
  log('RSS after 200 sales (in process)...');
  rss = await benchRssAfterSales(200);
}

let startToReady: StartToReady | undefined;
if (wanted('start')) {
  log('start to ready...');
  startToReady = await benchStartToReady();
}

const latencyFigures = (s: SeriesFigures | undefined, target: number, targetText: string): Record<string, unknown> | undefined =>
  s === undefined
    ? undefined
    : {
        sales: { ours: s.ours.sales, baseline: s.baseline.sales },
        p50Ms: { ours: s.ours.p50Ms, baseline: s.baseline.p50Ms },
        p99Ms: { ours: s.ours.p99Ms, baseline: s.baseline.p99Ms, target: targetText, met: s.ratio <= target },
        ratio: { median: s.ratio, perRun: s.ratios },
        p99SpreadMs: { ours: s.ours.p99SpreadMs, baseline: s.baseline.p99SpreadMs },
        runP99sMs: { ours: s.ours.runP99sMs, baseline: s.baseline.runP99sMs },
        pooledP99Ms: { ours: s.ours.pooledP99Ms, baseline: s.baseline.pooledP99Ms },
        maxMs: { ours: s.ours.maxMs, baseline: s.baseline.maxMs },
        reqPerMin: { ours: s.ours.reqPerMin, baseline: s.baseline.reqPerMin, oursBudget: s.budgetsPerMinute },
        readsPerMin: { ours: s.ours.readsPerMin, baseline: s.baseline.readsPerMin },
        writesPerMin: { ours: s.ours.writesPerMin, baseline: s.baseline.writesPerMin },
        phases: { ours: s.ours.breakdown, baseline: s.baseline.breakdown },
        eventLoopDelayMs: { ours: s.ours.loopDelay, baseline: s.baseline.loopDelay },
        budgetWaits: s.ours.budget,
        runs: s.runs,
      };

const cafeMet = cafe === undefined ? undefined : cafe.ours.p99Ms <= 1500;
const figures = {
  run: { date: startedAt.toISOString(), loadAverage: { atStart: loadAtStart, atEnd: load() }, cores: cpus().length, node: process.version, quick, sections: only === undefined ? 'all' : [...only] },
  reserveToConfirm: stress === undefined
    ? undefined
    : {
        ...latencyFigures(stress, 0.35, 'ours <= 0.35 x baseline (median of the pairs)'),
        method: `${STRESS.tables.length} tables, one customer per table every ${STRESS_ARRIVAL_MS} ms, pays 0.3-4.3 s after the order appears; latency = emulator time of the applied confirm - time the customer reserved; baseline polls spots + one GET per awaited transaction every 4 s; ours: spot poll 4000 ms, reservation watcher at its default, RequestBudget = the paired baseline run's measured req/min with poll share ${POLL_SHARE} (the production default); figure = median over ${stress.runs} runs of each run's p99`,
      },
  latencyBusy: busy === undefined
    ? undefined
    : { ...latencyFigures(busy, 0.5, 'ours <= 0.5 x baseline (median of the pairs)'), method: 'the stress scenario while another process keeps one core busy (a spinning node process)' },
  latencyCafe: cafe === undefined
    ? undefined
    : {
        ...latencyFigures(cafe, Number.POSITIVE_INFINITY, 'ours <= 1500 ms'),
        p99Ms: { ours: cafe.ours.p99Ms, baseline: cafe.baseline.p99Ms, target: 'ours <= 1500 ms', met: cafeMet },
        method: `${CAFE_REPLICAS} independent terminals at once (staggered), each 4 tables and a sale every ${CAFE_ARRIVAL_MS / 1000} s, alternately a table sale and a code sale (latency from the applied reserve); ours with requestBudgetPerMinute ${CAFE_BUDGET}; the fixed-4 s baseline beside it`,
      },
  outbox: outbox === undefined
    ? undefined
    : {
        opsPerSec: { ours: outbox.storeOpsPerSec, baseline: outbox.rawInsertsPerSec, ratio: outbox.ratio, target: '>= 0.8x', met: outbox.ratio >= 0.8 },
        narrowBaseline: { insertsPerSec: outbox.narrowInsertsPerSec, ratio: outbox.narrowRatio, note: 'for reference: raw inserts of a six-column row, less data than an outbox row' },
        opsPerSide: outbox.opsPerSide,
        method: outbox.definition,
      },
  idle: idle === undefined
    ? undefined
    : {
        bytesPerMin: { ours: idle.bytesPerMin, target: 0, met: idle.bytesPerMin === 0 && !idle.dbFilesChanged },
        dbFilesChanged: idle.dbFilesChanged,
        windowS: idle.windowS,
        spotPollsInWindow: idle.spotPolls,
        method: 'write_bytes of this process (/proc/self/io) over the window, scaled to 60 s; db, -wal and -shm size+mtime compared',
      },
  rssProcess: proc === undefined
    ? undefined
    : {
        after1000Mb: proc.rssAfterMb,
        perSaleKb: proc.perSaleKb,
        target: 'after1000Mb <= 70, perSaleKb <= 1',
        met: proc.rssAfterMb <= 70 && proc.perSaleKb <= 1,
        sales: proc.sales,
        tableSales: proc.tableSales,
        codeSales: proc.codeSales,
        readyMb: proc.rssReadyMb,
        after100Mb: proc.rssAfter100Mb,
        perSaleKbSettled: proc.perSaleKbSettled,
        perSaleKbBetweenSales: proc.perSaleKbBetweenSales,
        samples: proc.samples,
        settled: proc.settled,
        durationS: proc.durationS,
        journalMb: proc.journalMb,
        cpuMsPerSale: proc.cpuMsPerSale,
        method: `counterpay run as its own process (stdin keypad, file display, file printer, serial scanner on a socat pty; the emulator in another process), ${proc.note}, each to PAID and its receipt; RSS (VmRSS) read from /proc every 10 sales, and every ${SETTLE_EVERY} once the terminal had gone idle, folded its WAL and collected its garbage (settled); perSaleKb = least-squares slope of the floor (the lowest settled read of each hundred sales) from sale 100 on (of every settled read: ${fmt(proc.perSaleKbSettled, 2)}; of the reads between sales: ${fmt(proc.perSaleKbBetweenSales, 2)})`,
      },
  idleCpu: proc?.idle === undefined
    ? undefined
    : {
        percentOfCore: proc.idle.percentOfCore,
        target: '<= 1',
        met: proc.idle.percentOfCore <= 1,
        windowS: proc.idle.windowS,
        cpuS: proc.idle.cpuS,
        rssMb: proc.idle.rssMb,
        method: 'the same process after its sales, left alone (spot poll at the config default 4000 ms, idle screen), user+system CPU from /proc over the window',
      },
  processWithMetrics: procMetrics === undefined
    ? undefined
    : {
        after1000Mb: procMetrics.rssAfterMb,
        perSaleKb: procMetrics.perSaleKb,
        idleCpuPercentOfCore: procMetrics.idle?.percentOfCore,
        target: 'after1000Mb <= 70, perSaleKb <= 1, idle CPU <= 1%',
        met: procMetrics.rssAfterMb <= 70 && procMetrics.perSaleKb <= 1 && (procMetrics.idle?.percentOfCore ?? 0) <= 1,
        readyMb: procMetrics.rssReadyMb,
        after100Mb: procMetrics.rssAfter100Mb,
        settled: procMetrics.settled,
        durationS: procMetrics.durationS,
        cpuMsPerSale: procMetrics.cpuMsPerSale,
        scrapes: procMetrics.metrics,
        method: `the process run again with metrics.listen on 127.0.0.1, /metrics scraped every ${METRICS_SCRAPE_MS / 1000} s from start to end (idle window included)`,
      },
  rssAfter200Sales: rss === undefined
    ? undefined
    : { oursMb: rss.rssAfterMb, baselineMb: rss.rssBeforeMb, heapAfterMb: rss.heapAfterMb, sales: rss.sales, method: 'in process, emulator included; baseline = same process before the first sale' },
  startToReady,
};

function latencyRows(label: string, s: SeriesFigures, targetText: string, met: boolean): Row[] {
  const spread = (side: SeriesFigures['ours']): string => `${fmt(side.p99Ms)} (${fmt(side.p99SpreadMs[0])}-${fmt(side.p99SpreadMs[1])})`;
  return [
    { figure: `${label} p50 (ms, ${s.ours.sales} vs ${s.baseline.sales} sales)`, ours: fmt(s.ours.p50Ms), baseline: fmt(s.baseline.p50Ms), target: '-', met: '-' },
    { figure: `${label} p99 (ms, median of ${s.runs} (min-max))`, ours: spread(s.ours), baseline: spread(s.baseline), target: targetText, met: `${yes(met)} (${s.ratio.toFixed(2)}x)` },
    { figure: `  p99 of all ${s.ours.sales} sales pooled`, ours: fmt(s.ours.pooledP99Ms), baseline: fmt(s.baseline.pooledP99Ms), target: '-', met: '-' },
    { figure: '  Paysera requests/min (all)', ours: fmt(s.ours.reqPerMin, 1), baseline: fmt(s.baseline.reqPerMin, 1), target: `budget ${s.budgetsPerMinute.join('/')}`, met: '-' },
    { figure: '  of which reads (polls)/min', ours: fmt(s.ours.readsPerMin, 1), baseline: fmt(s.baseline.readsPerMin, 1), target: '-', met: '-' },
  ];
}

if (json) {
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} else {
  const rows: Row[] = [];
  if (stress !== undefined) rows.push(...latencyRows('reserve->confirm', stress, '<= 0.35x baseline', stress.ratio <= 0.35));
  if (busy !== undefined) rows.push(...latencyRows('busy core: reserve->confirm', busy, '<= 0.5x baseline', busy.ratio <= 0.5));
  if (cafe !== undefined) rows.push(...latencyRows('cafe: reserve->confirm', cafe, '<= 1500 ms', cafeMet === true));
  if (outbox !== undefined) {
    rows.push(
      { figure: 'outbox ops/s vs raw inserts/s', ours: fmt(outbox.storeOpsPerSec), baseline: fmt(outbox.rawInsertsPerSec), target: '>= 0.8x', met: `${yes(outbox.ratio >= 0.8)} (${outbox.ratio.toFixed(2)}x)` },
      { figure: '  vs six-column inserts/s', ours: fmt(outbox.storeOpsPerSec), baseline: fmt(outbox.narrowInsertsPerSec), target: '-', met: `- (${outbox.narrowRatio.toFixed(2)}x)` },
    );
  }
  if (idle !== undefined) rows.push({ figure: 'disk bytes written per idle minute', ours: fmt(idle.bytesPerMin), baseline: '-', target: '0', met: yes(idle.bytesPerMin === 0 && !idle.dbFilesChanged) });
  if (proc !== undefined) {
    rows.push(
      { figure: `counterpay run: RSS after ${proc.sales} sales (MB)`, ours: fmt(proc.rssAfterMb, 1), baseline: `${fmt(proc.rssReadyMb, 1)} (ready)`, target: '<= 70', met: yes(proc.rssAfterMb <= 70) },
      { figure: '  RSS growth from sale 100 on, settled floor (KB/sale)', ours: fmt(proc.perSaleKb, 2), baseline: '-', target: '<= 1', met: yes(proc.perSaleKb <= 1) },
    );
    if (proc.idle !== undefined) {
      rows.push({ figure: `counterpay run: idle CPU (% of a core, ${fmt(proc.idle.windowS)} s)`, ours: fmt(proc.idle.percentOfCore, 2), baseline: '-', target: '<= 1', met: yes(proc.idle.percentOfCore <= 1) });
    }
  }
  if (procMetrics !== undefined) {
    // Side by side: ours is with metrics on, the baseline column the same run with them off.
    const off = (value: number | undefined, digits: number): string => (proc === undefined ? '-' : `${fmt(value, digits)} (off)`);
    rows.push(
      { figure: `  metrics on, scraped every ${METRICS_SCRAPE_MS / 1000} s: RSS after ${procMetrics.sales} sales (MB)`, ours: fmt(procMetrics.rssAfterMb, 1), baseline: off(proc?.rssAfterMb, 1), target: '<= 70', met: yes(procMetrics.rssAfterMb <= 70) },
      { figure: '  metrics on: RSS growth, settled floor (KB/sale)', ours: fmt(procMetrics.perSaleKb, 2), baseline: off(proc?.perSaleKb, 2), target: '<= 1', met: yes(procMetrics.perSaleKb <= 1) },
    );
    if (procMetrics.idle !== undefined) {
      rows.push({ figure: '  metrics on: idle CPU (% of a core)', ours: fmt(procMetrics.idle.percentOfCore, 2), baseline: off(proc?.idle?.percentOfCore, 2), target: '<= 1', met: yes(procMetrics.idle.percentOfCore <= 1) });
    }
  }
  if (rss !== undefined) rows.push({ figure: 'RSS after 200 sales (MB, in process)', ours: fmt(rss.rssAfterMb, 1), baseline: `${fmt(rss.rssBeforeMb, 1)} (before)`, target: '-', met: '-' });
  if (startToReady !== undefined) {
    rows.push({
      figure: 'start to ready (ms)',
      ours: startToReady.ms === undefined ? startToReady.note : fmt(startToReady.ms),
      baseline: startToReady.nodeBareMs === undefined ? '-' : `${fmt(startToReady.nodeBareMs)} (bare node)`,
      target: '-',
      met: '-',
    });
  }
  const headers: Row = { figure: 'figure', ours: 'ours', baseline: 'baseline', target: 'target', met: 'met?' };
  const keys = Object.keys(headers) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (r: Row): string => `| ${keys.map((k, i) => r[k].padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const out = [
    `counterpay bench, ${figures.run.date}, ${figures.run.cores} cores, load average ${figures.run.loadAverage.atStart} at start, ${figures.run.loadAverage.atEnd} at end${quick ? ', --quick (development figures)' : ''}`,
    '',
    line(headers),
    rule,
    ...rows.map(line),
    '',
  ];
  const phaseBlock = (name: string, s: SeriesFigures | undefined): void => {
    if (s === undefined) return;
    out.push(...breakdownLines(`${name}, ours`, s.ours.breakdown), ...breakdownLines(`${name}, baseline`, s.baseline.breakdown));
    out.push(`  event-loop delay, ours: p99 ${fmt(s.ours.loopDelay.p99Ms)} ms, max ${fmt(s.ours.loopDelay.maxMs)} ms`);
    const waits = Object.entries(s.ours.budget?.byKind ?? {}).map(([kind, w]) => `${kind} ${w.waited}/${w.acquired} (p99 ${fmt(w.p99WaitMs)} ms)`);
    if (waits.length > 0) out.push(`  request budget waits, ours (waited/acquired): ${waits.join(', ')}`);
    out.push('');
  };
  phaseBlock('stress', stress);
  phaseBlock('busy core', busy);
  phaseBlock('cafe', cafe);
  if (stress !== undefined || busy !== undefined || cafe !== undefined) out.push('phases:', ...PHASES.map((p) => `  ${p.padEnd(9)} ${PHASE_MEANING[p]}`), '');
  if (figures.reserveToConfirm !== undefined) out.push(`latency: ${figures.reserveToConfirm.method}`);
  if (figures.latencyCafe !== undefined) out.push(`cafe:    ${figures.latencyCafe.method}`);
  if (outbox !== undefined) out.push(`outbox:  ${outbox.definition}; ${outbox.opsPerSide} ops per side`);
  if (idle !== undefined) out.push(`idle:    ${idle.windowS} s window, ${idle.spotPolls} spot polls answered in it; db files changed: ${idle.dbFilesChanged ? 'YES' : 'no'}`);
  if (figures.rssProcess !== undefined) out.push(`process: ${figures.rssProcess.method}; ${fmt(proc?.durationS)} s for the sales, ${fmt(proc?.cpuMsPerSale, 1)} ms of CPU a sale; journal ${fmt(proc?.journalMb, 1)} MB after them`);
  if (figures.idleCpu !== undefined) out.push(`idle cpu: ${figures.idleCpu.method}`);
  if (figures.processWithMetrics !== undefined) {
    const scrapes = procMetrics?.metrics;
    out.push(`metrics: ${figures.processWithMetrics.method}; ${scrapes?.scrapes ?? 0} scrapes (${scrapes?.failed ?? 0} failed), ${fmt(scrapes?.lastBytes)} bytes each; ${fmt(procMetrics?.cpuMsPerSale, 1)} ms of CPU a sale`);
  }
  if (rss !== undefined) out.push(`rss:     ${figures.rssAfter200Sales?.method}; heap after ${fmt(rss.heapAfterMb, 1)} MB`);
  if (startToReady !== undefined) {
    out.push(`start:   counterpay run (file display, stdin keypad, file printer) from spawn to the first idle frame; ${startToReady.note}${startToReady.runsMs.length > 0 ? ` of ${startToReady.runsMs.map((m) => m.toFixed(0)).join(', ')} ms` : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
