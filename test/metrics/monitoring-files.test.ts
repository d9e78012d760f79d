import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTool, skipReason } from '../support/debian-tools.js';
import { exportedNames, sampleTerminalMetrics } from '../support/metrics/sample-terminal-metrics.js';
import { promtoolCheckRules } from '../support/prometheus-server.js';
import { isLoopbackHost } from '../../src/config/loopback.js';
import { metricsSchema, parseListenAddress } from '../../src/config/metrics-schema.js';
import { tempStore } from '../support/temp-store.js';

/**
 * The monitoring files in the repository against what the terminal exports: the alert rules pass
 * `promtool check rules`, and every Grafana dashboard (any JSON file with "panels") and every
 * rule queries only metric names a terminal's /metrics has (plus Prometheus's own `up`, in rules).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RULES = join(ROOT, 'monitoring', 'prometheus', 'counterpay-alerts.yml');
const promtoolPresent = hasTool('promtool', ['--version']);

/** JSON files in the repository (outside node_modules, dist and dot-directories) that have "panels". */
function dashboards(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.') || name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dashboards(path);
    return name.endsWith('.json') && readFileSync(path, 'utf8').includes('"panels"') ? [path] : [];
  });
}

/** Every `expr`/`query` string anywhere in a dashboard (panels, rows, variables). */
function queries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) queries(item, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'query' || key === 'definition') && typeof value === 'string') out.push(value);
      else queries(value, out);
    }
  }
  return out;
}

const PROMQL_WORDS = new Set([
  'sum', 'count', 'max', 'min', 'avg', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless',
  'rate', 'increase', 'delta', 'histogram_quantile', 'vector', 'absent', 'absent_over_time', 'max_over_time', 'min_over_time',
  'avg_over_time', 'label_values', 'group', 'offset', 'bool', 'time', 'timestamp', 'prometheus',
]);

/**
 * Metric names a PromQL expression selects: identifiers that are neither functions, keywords,
 * label names (inside braces or a by/on list), label values, durations nor Grafana variables.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\{?\w+\}?/g, '')
    .replace(/\[[^\]]*\]/g, '[]');
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  // label_values(metric, label): the second argument is a label.
  const labelValuesLabel = /label_values\([^,]*,\s*(\w+)\)/.exec(stripped)?.[1];
  return names.filter((name) => !PROMQL_WORDS.has(name) && name !== labelValuesLabel && !/^\d/.test(name));
}

let env: ReturnType<typeof tempStore> | undefined;
afterEach(async () => {


  env?.cleanup();
  env = undefined;
});

/** Every metric name a terminal's /metrics has, every family present. */
async function exported(): Promise<Set<string>> {
  env = tempStore();
  const store = env.make();
  store.open();
  const sample = sampleTerminalMetrics(store, env.clock);
  await sample.start();
  try {
    await sample.startDevices();
    return exportedNames(await sample.metrics.render());
  } finally {
    await sample.metrics.stop();
  }
}

describe('monitoring files', () => {
  it(`the alert rules pass promtool check rules${skipReason(promtoolPresent, 'promtool', 'prometheus')}`, () => {
    if (!promtoolPresent) return;
    const checked = promtoolCheckRules(RULES);
    expect(checked.output).toMatch(/SUCCESS/);
    expect(checked.status).toBe(0);
  });

  it('every Grafana dashboard in the repository queries only metrics the terminal exports', async () => {
    const names = await exported();
    const files = dashboards();
    expect(files.map((f) => relative(ROOT, f))).toContain(join('monitoring', 'grafana', 'counterpay-fleet.json'));
    for (const file of files) {
      const used = queries(JSON.parse(readFileSync(file, 'utf8'))).flatMap(metricNames);
      expect(used.length, relative(ROOT, file)).toBeGreaterThan(0);
      for (const name of used) expect(names.has(name), `${relative(ROOT, file)} queries ${name}`).toBe(true);
    }
  });

  it('the alert rules use only metrics the terminal exports (and Prometheus up)', async () => {
    const names = await exported();
    const exprs = [...readFileSync(RULES, 'utf8').matchAll(/^\s*expr:\s*(.+)$/gm)].map((m) => m[1] ?? '');
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    for (const name of exprs.flatMap(metricNames)) expect(name === 'up' || names.has(name), `rules query ${name}`).toBe(true);
  });

  it('the example config the installer copies serves no metrics, or serves them on loopback only', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'hardware', 'config.example.json'), 'utf8')) as { metrics?: unknown };
    if (example.metrics === undefined) return;
    const metrics = metricsSchema.parse(example.metrics);
    expect(metrics.allowNonLoopback).toBe(false);
    expect(isLoopbackHost(parseListenAddress(metrics.listen)?.host ?? '')).toBe(true);
  });

  it('the extraction sees metric names and only them', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, kind) (rate(counterpay_sale_duration_seconds_bucket{site=~"$site"}[$__rate_interval])))')).toEqual([
      'counterpay_sale_duration_seconds_bucket',
    ]);
    expect(metricNames('label_values(counterpay_build_info{site=~"$site"}, terminal)')).toEqual(['counterpay_build_info']);
    expect(metricNames('a_total / on (site) b_limit')).toEqual(['a_total', 'b_limit']);
  });
});
