import { percentile } from '../util.js';
import { runBaseline, runEngine, type LatencyRun } from './drive.js';
import { breakdown, type PhaseBreakdown } from './phases.js';
import { LoopDelayMonitor, type BudgetWaits, type LoopDelay } from './probe.js';
import type { Scenario } from './scenario.js';

/**
 * The p99 of one run of 100 sales rests on its one or two worst sales and swings from run to
 * run, so a latency figure here is a SERIES: `runs` pairs, each the baseline then ours on the
 * same schedule and seed (pairing: both see the same drift of the machine). The figure is the
 * median over the runs of each run's p99, printed with the spread (min-max) of those p99s and
 * the p99 of all sales pooled; the ratio is the median of the pairs' ratios.
 */
export interface SideFigures {
  sales: number;
  /** Median over the runs of each run's p99 (ms). */
  p99Ms: number;
  p99SpreadMs: [number, number];
  runP99sMs: number[];
  pooledP99Ms: number;
  p50Ms: number;
  maxMs: number;
  reqPerMin: number;
  readsPerMin: number;
  writesPerMin: number;
  breakdown: PhaseBreakdown;
  loopDelay: LoopDelay;
  budget?: BudgetWaits | undefined;
}

export interface SeriesFigures {
  scenario: string;
  runs: number;
  salesPerRun: number;
  ours: SideFigures;
  baseline: SideFigures;
  /** Median of ours.p99 / baseline.p99 pair by pair. */
  ratio: number;
  ratios: number[];
  /** Our request budget per minute in each run. */
  budgetsPerMinute: number[];
}

export interface SeriesOptions {
  scenario: Scenario;
  runs: number;
  salesPerRun: number;
  /** Replicas of the scenario run at once, staggered (independent terminals, each its own emulator). */
  replicas?: number;
  /** Our budget: a fixed number, or 'baseline' for the baseline's measured req/min of the same pair. */
  budget: number | 'baseline';
  pollShare?: number;
  /**
   * Run the baseline and ours at the same time instead of one after the other (only with a fixed
   * budget): for light scenarios whose terminals hardly load the machine, it halves the time.
   */
  together?: boolean;
  log: (line: string) => void;
}

const median = (values: number[]): number => percentile(values, 50);
const totals = (run: LatencyRun): number[] => run.traces.map((t) => t.confirmSentAtMs - t.reservedAtMs);

interface SideRun {
  runs: LatencyRun[];
  loop: LoopDelay[];
}

/** Runs `replicas` copies at once, the k-th starting k/replicas of an arrival gap later; merges them. */
async function replicated(replicas: number, gapMs: number, one: (seed: number, offsetMs: number) => Promise<LatencyRun>, seed: number): Promise<LatencyRun> {
  const runs = await Promise.all(Array.from({ length: replicas }, (_, k) => one(seed * 100 + k, (k * gapMs) / replicas)));
  if (runs.length === 1 && runs[0] !== undefined) return runs[0];
  const sum = (f: (r: LatencyRun) => number): number => runs.reduce((a, r) => a + f(r), 0);
  const budgets = runs.flatMap((r) => (r.budget === undefined ? [] : [r.budget]));
  return {
    traces: runs.flatMap((r) => r.traces),
    reqPerMin: sum((r) => r.reqPerMin) / runs.length,
    readsPerMin: sum((r) => r.readsPerMin) / runs.length,
    writesPerMin: sum((r) => r.writesPerMin) / runs.length,
    durationS: Math.max(...runs.map((r) => r.durationS)),
    budget: budgets[0],
  };
}

function side(s: SideRun): SideFigures {
  const all = s.runs.flatMap(totals);
  const runP99s = s.runs.map((r) => percentile(totals(r), 99));
  const mean = (f: (r: LatencyRun) => number): number => s.runs.reduce((a, r) => a + f(r), 0) / s.runs.length;
  return {
    sales: all.length,
    p99Ms: median(runP99s),
    p99SpreadMs: [Math.min(...runP99s), Math.max(...runP99s)],
    runP99sMs: runP99s,
    pooledP99Ms: percentile(all, 99),
    p50Ms: percentile(all, 50),
    maxMs: Math.max(...all),
    reqPerMin: mean((r) => r.reqPerMin),
    readsPerMin: mean((r) => r.readsPerMin),
    writesPerMin: mean((r) => r.writesPerMin),
    breakdown: breakdown(s.runs.flatMap((r) => r.traces)),
    loopDelay: { p50Ms: median(s.loop.map((l) => l.p50Ms)), p99Ms: median(s.loop.map((l) => l.p99Ms)), maxMs: Math.max(...s.loop.map((l) => l.maxMs)) },
    budget: s.runs.at(-1)?.budget,
  };
}

export async function runSeries(options: SeriesOptions): Promise<SeriesFigures> {
  const { scenario, runs, salesPerRun, log } = options;
  const replicas = options.replicas ?? 1;
  const perReplica = Math.ceil(salesPerRun / replicas);
  const gapMs = scenario.schedule(2, 0)[1]?.atMs ?? 0;
  const baseline: SideRun = { runs: [], loop: [] };
  const ours: SideRun = { runs: [], loop: [] };
  const budgets: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < runs; r++) {
    const seed = r + 1;
    const runBaselines = (): Promise<LatencyRun> => replicated(replicas, gapMs, (s, offsetMs) => runBaseline({ scenario, sales: perReplica, seed: s, offsetMs }), seed);
    const runOurs = (budget: number): Promise<LatencyRun> =>
      replicated(
        replicas,
        gapMs,
        (s, offsetMs) => runEngine({ scenario, sales: perReplica, seed: s, offsetMs, budgetPerMinute: budget, ...(options.pollShare === undefined ? {} : { pollShare: options.pollShare }) }),
        seed,
      );
    let b: LatencyRun;
    let o: LatencyRun;
    let budget: number;
    if (options.together === true && typeof options.budget === 'number') {
      budget = options.budget;
      const monitor = new LoopDelayMonitor();
      monitor.start();
      [b, o] = await Promise.all([runBaselines(), runOurs(budget)]);
      const loop = monitor.stop();
      baseline.loop.push(loop);
      ours.loop.push(loop);
    } else {
      let monitor = new LoopDelayMonitor();
      monitor.start();
      b = await runBaselines();
      baseline.loop.push(monitor.stop());
      budget = options.budget === 'baseline' ? Math.floor(b.reqPerMin) : options.budget;
      monitor = new LoopDelayMonitor();
      monitor.start();
      o = await runOurs(budget);
      ours.loop.push(monitor.stop());
    }
    budgets.push(budget);
    baseline.runs.push(b);
    ours.runs.push(o);
    const bp = percentile(totals(b), 99);
    const op = percentile(totals(o), 99);
    ratios.push(op / bp);
    log(`  ${scenario.name} run ${r + 1}/${runs}: p99 ours ${op.toFixed(0)} ms (budget ${budget}/min, used ${o.reqPerMin.toFixed(1)}), baseline ${bp.toFixed(0)} ms (${b.reqPerMin.toFixed(1)} req/min): ${(op / bp).toFixed(2)}x`);
  }
  return { scenario: scenario.name, runs, salesPerRun: perReplica * replicas, ours: side(ours), baseline: side(baseline), ratio: median(ratios), ratios, budgetsPerMinute: budgets };
}
