import { readdirSync } from 'node:fs';
import type { Clock } from '../platform/clock.js';
import { single, type MetricFamily } from './exposition.js';

/**
 * The standard process metrics, under the names Prometheus client libraries use (prom-client's
 * defaults, so existing Node dashboards work): resident memory, CPU time, heap, open file
 * descriptors, start time, and the event loop's lag measured at the scrape. Everything is read
 * when scraped: no timer runs between scrapes (prom-client's lag monitor wakes the process every
 * 10 ms), so an idle terminal stays idle.
 */
export class ProcessMetrics {
  /** Wall time the process started, in seconds (as the wall clock read at start() saw it). */
  private startTimeS = 0;

  constructor(private readonly clock: Clock) {}

  start(): void {
    this.startTimeS = Math.round(this.clock.wallMs() - process.uptime() * 1000) / 1000;
  }

  /** The families; the lag needs one turn of the event loop, hence async. */
  async families(): Promise<MetricFamily[]> {
    const lagS = await this.eventLoopLagS();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const families: MetricFamily[] = [
      single('process_cpu_user_seconds_total', 'User CPU time spent in seconds.', 'counter', cpu.user / 1e6),
      single('process_cpu_system_seconds_total', 'System CPU time spent in seconds.', 'counter', cpu.system / 1e6),
      single('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', (cpu.user + cpu.system) / 1e6),
      single('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', memory.rss),
      single('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge', this.startTimeS),
      single('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', 'gauge', memory.heapTotal),
      single('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', 'gauge', memory.heapUsed),
      single('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', 'gauge', memory.external),
      single('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds, measured at the scrape.', 'gauge', lagS),
    ];
    const fds = openFds();
    if (fds !== undefined) families.push(single('process_open_fds', 'Number of open file descriptors.', 'gauge', fds));
    return families;
  }

  /** How late a callback queued now runs: what a key press waiting for the loop would wait. */
  private eventLoopLagS(): Promise<number> {
    const queued = this.clock.monoMs();
    return new Promise((resolve) => setImmediate(() => resolve(Math.max(0, this.clock.monoMs() - queued) / 1000)));
  }
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}
