import type { Labels, MetricFamily, Sample } from './exposition.js';

/**
 * A Prometheus histogram per label set, cumulative buckets kept as plain counts: a few numbers
 * per label set whatever the number of observations, so memory stays flat over a long day.
 * Kept in memory: after a restart it starts from zero, which Prometheus reads as a reset (rate()
 * and histogram_quantile() over rates handle that), unlike the sale counters, which must not.
 */
export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    /** Upper bounds, ascending; +Inf is implied. */
    private readonly bounds: readonly number[],
  ) {}

  /** Makes a label set's series exist at zero (so it is there before its first observation). */
  declare(labels: Labels): void {
    this.entry(labels);
  }

  observe(labels: Labels, value: number): void {
    const entry = this.entry(labels);
    for (let i = 0; i < this.bounds.length; i++) if (value <= (this.bounds[i] ?? Infinity)) entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    entry.sum += value;
    entry.count += 1;
  }

  private entry(labels: Labels): { labels: Labels; counts: number[]; sum: number; count: number } {
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { labels, counts: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    return entry;
  }

  family(): MetricFamily {
    const samples: Sample[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.bounds.forEach((bound, i) => samples.push({ suffix: '_bucket', labels: { ...labels, le: String(bound) }, value: counts[i] ?? 0 }));
      samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: count });
      samples.push({ suffix: '_sum', labels, value: sum });
      samples.push({ suffix: '_count', labels, value: count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}
