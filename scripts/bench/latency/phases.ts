import { percentile } from '../util.js';
import type { SaleTrace } from './probe.js';

/**
 * The phases of "reservation visible -> noticed -> confirm sent -> confirm answered", each as a
 * distribution over the sales of a run, and the same phases averaged over the slowest tenth of
 * the sales: the tail's own breakdown, which says where the p99 comes from.
 */
export const PHASES = ['pollWait', 'notice', 'queue', 'budget', 'send', 'total', 'answer'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_MEANING: Record<Phase, string> = {
  pollWait: 'reserved -> the first poll that could see it reached the server (table sales)',
  notice: 'that poll (code sales: the applied reserve) -> "reserved" committed',
  queue: '"reserved" committed -> the outbox runner called confirm',
  budget: 'the confirm waited for the request budget (part of send)',
  send: 'confirm called -> the server received it',
  total: 'reserved -> the server received the confirm that applied (the headline figure)',
  answer: 'the server received the confirm -> "confirmed" committed',
};

export interface Distribution {
  n: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PhaseBreakdown {
  phases: Partial<Record<Phase, Distribution>>;
  /** Mean of each phase over the sales at or above the p90 of `total`. */
  tail: { n: number; meanMs: Partial<Record<Phase, number>> };
  /** Counts of `total` in 250 ms buckets (label: the bucket's lower bound in ms). */
  histogram: Array<{ fromMs: number; count: number }>;
}

function phaseValues(trace: SaleTrace): Partial<Record<Phase, number>> {
  const out: Partial<Record<Phase, number>> = { total: trace.confirmSentAtMs - trace.reservedAtMs };
  const seenAt = trace.kind === 'table' ? trace.pollSeenAtMs : trace.reservedAtMs;
  if (trace.kind === 'table' && trace.pollSeenAtMs !== undefined) out.pollWait = trace.pollSeenAtMs - trace.reservedAtMs;
  if (trace.noticedAtMs !== undefined && seenAt !== undefined) out.notice = trace.noticedAtMs - seenAt;
  if (trace.noticedAtMs !== undefined && trace.confirmCalledAtMs !== undefined) out.queue = trace.confirmCalledAtMs - trace.noticedAtMs;
  if (trace.confirmBudgetWaitMs !== undefined) out.budget = trace.confirmBudgetWaitMs;
  if (trace.confirmCalledAtMs !== undefined) out.send = trace.confirmSentAtMs - trace.confirmCalledAtMs;
  if (trace.answeredAtMs !== undefined) out.answer = trace.answeredAtMs - trace.confirmSentAtMs;
  return out;
}

export function distribution(values: readonly number[]): Distribution {
  return { n: values.length, p50Ms: percentile(values, 50), p90Ms: percentile(values, 90), p99Ms: percentile(values, 99), maxMs: values.length === 0 ? Number.NaN : Math.max(...values) };
}

export function breakdown(traces: readonly SaleTrace[]): PhaseBreakdown {
  const values = traces.map(phaseValues);
  const phases: PhaseBreakdown['phases'] = {};
  for (const phase of PHASES) {
    const list = values.flatMap((v) => (v[phase] === undefined ? [] : [v[phase]]));
    if (list.length > 0) phases[phase] = distribution(list);
  }
  const totals = values.map((v) => v.total ?? 0);
  const cut = percentile(totals, 90);
  const slow = values.filter((v) => (v.total ?? 0) >= cut);
  const meanMs: Partial<Record<Phase, number>> = {};
  for (const phase of PHASES) {
    const list = slow.flatMap((v) => (v[phase] === undefined ? [] : [v[phase]]));
    if (list.length > 0) meanMs[phase] = list.reduce((a, b) => a + b, 0) / list.length;
  }
  const buckets = new Map<number, number>();
  for (const total of totals) {
    const from = Math.floor(Math.max(0, total) / 250) * 250;
    buckets.set(from, (buckets.get(from) ?? 0) + 1);
  }
  const histogram = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([fromMs, count]) => ({ fromMs, count }));
  return { phases, tail: { n: slow.length, meanMs }, histogram };
}

/** The breakdown as text lines for the bench's printed report. */
export function breakdownLines(title: string, b: PhaseBreakdown): string[] {
  const f = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(0));
  const lines = [`${title}: phase (ms)   p50    p90    p99    max   mean of slowest 10% (${b.tail.n} sales)`];
  for (const phase of PHASES) {
    const d = b.phases[phase];
    if (d === undefined) continue;
    lines.push(`  ${phase.padEnd(9)} ${f(d.p50Ms).padStart(6)} ${f(d.p90Ms).padStart(6)} ${f(d.p99Ms).padStart(6)} ${f(d.maxMs).padStart(6)}   ${f(b.tail.meanMs[phase]).padStart(6)}`);
  }
  const max = Math.max(1, ...b.histogram.map((h) => h.count));
  lines.push('  total, 250 ms buckets:');
  for (const h of b.histogram) lines.push(`  ${String(h.fromMs).padStart(6)} ms ${'#'.repeat(Math.ceil((h.count * 40) / max)).padEnd(40)} ${h.count}`);
  return lines;
}
