import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port.js';
import { waitFor } from './wait-for.js';

/** `promtool check metrics` on an exposition (read from stdin): exit code and what it said. */
export function promtoolCheckMetrics(exposition: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** `promtool check rules FILE`. */
export function promtoolCheckRules(file: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * A real Prometheus server (the Debian package's `prometheus`) on 127.0.0.1 and a free port, with
 * its storage in a temp directory, scraping `targets` every second; stop() ends it and removes
 * the directory.
 */
export class PrometheusServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'counterpay-prometheus-'));
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  port = 0;
  output = '';

  constructor(private readonly targets: readonly string[], private readonly ruleFiles: readonly string[] = []) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freeLoopbackPort();
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        ...(this.ruleFiles.length === 0 ? [] : ['rule_files:', ...this.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)]),
        'scrape_configs:',
        '  - job_name: counterpay',
        '    static_configs:',
        `      - targets: [${this.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
        '        labels: { site: "test-cafe", terminal: "counter-1" }',
        '',
      ].join('\n'),
    );
    const child = spawn(
      'prometheus',
      [`--config.file=${config}`, `--storage.tsdb.path=${join(this.dir, 'data')}`, `--web.listen-address=127.0.0.1:${this.port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir },
    );
    child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${this.output.slice(-1000)}`);
      return (await fetch(`${this.url}/-/ready`).catch(() => undefined))?.ok === true;
    }, 'prometheus ready', 60_000);
  }

  /** An instant query's vector: each series' labels and value. */
  async query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> }; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus query ${expr}: ${body.error ?? response.status}`);
    return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
