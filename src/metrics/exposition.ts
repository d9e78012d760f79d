/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: a few families of
 * plain numbers is all the terminal exports, and a library for it cost far more resident memory
 * than the service can spare (docs/performance.md#metrics).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels?: Labels;
  readonly value: number;
  /** For histograms: `_bucket`, `_sum` or `_count` after the family name. */
  readonly suffix?: '_bucket' | '_sum' | '_count' | '_total';
}

export interface MetricFamily {
  /** Counters end in `_total` here already, as Prometheus names them. */
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

/** The Content-Type of the format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders families in the order given; a family without samples is left out entirely. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    if (!NAME.test(family.name)) throw new Error(`not a metric name: ${family.name}`);
    out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const name = family.type === 'histogram' ? `${family.name}${sample.suffix ?? ''}` : family.name;
      out.push(`${name}${renderLabels(sample.labels)} ${renderValue(sample.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function renderLabels(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  const pairs = Object.entries(labels);
  if (pairs.length === 0) return '';
  for (const [key] of pairs) if (!LABEL.test(key) || key.startsWith('__')) throw new Error(`not a label name: ${key}`);
  return `{${pairs.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** Label values escape backslash, double quote and line feed (the format's only escapes). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** One sample of a family with one value and no labels. */
export function single(name: string, help: string, type: MetricType, value: number): MetricFamily {
  return { name, help, type, samples: [{ value }] };
}
