import type { EngineStatus, SaleChange } from '../engine/engine-api.js';
import type { Clock } from '../platform/clock.js';
import type { Unsubscribe } from '../platform/listeners.js';
import type { Store } from '../store/store.js';
import { ApiRequestCounter, type ApiEndpoint } from './api-requests.js';
import { packageVersion } from '../platform/package-version.js';
import { DeviceHealth } from './device-health.js';
import { renderExposition, single, type MetricFamily } from './exposition.js';
import { JournalMetrics } from './journal-metrics.js';
import { MetricsServer } from './metrics-server.js';
import { ProcessMetrics } from './process-metrics.js';
import { SaleDurations } from './sale-durations.js';

/** The engine as the metrics read it: its status and its sale changes, nothing that acts. */
export interface ObservedEngine {
  status(): EngineStatus;
  saleKinds(): readonly string[];
  onSaleChanged(listener: (change: SaleChange) => void): Unsubscribe;
}

export interface TerminalMetricsOptions {
  host: string;
  port: number;
  clock: Clock;
  store: Pick<Store, 'totals' | 'outbox'>;
  currency: string;
  /** The payment APIs by base URL, for counterpay_api_requests_total. */
  apis: readonly ApiEndpoint[];
  /** The Paysera request budget: calls in its current 60 s window, and its size. */
  budget: { used(): number; readonly perMinute: number };
  /** Default: counterpay's package.json version. */
  version?: string;
}

/**
 * The terminal's `/metrics` (docs/monitoring.md has the reference): the journal's counts, the
 * engine's status, the devices, the API calls, sale durations and the process, rendered at each
 * scrape. Constructing assigns only; start() subscribes and binds the listener and rejects with a
 * MetricsError when it cannot, leaving nothing subscribed; stop() undoes it all. Once started, the
 * app hands DeviceStarter each port wrapped by `devices.track()`, so that starts are seen.
 *
 * No label carries a secret, a transaction key, a table, a code or an amount: labels are kind,
 * outcome, currency, api, result and device, each from a short fixed set.
 */
export class TerminalMetrics {
  readonly devices: DeviceHealth;
  private readonly apis: ApiRequestCounter;
  private readonly durations: SaleDurations;
  private readonly processMetrics: ProcessMetrics;
  private readonly server: MetricsServer;
  private engine: ObservedEngine | undefined;
  private journal: JournalMetrics | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private version = '';

  constructor(private readonly options: TerminalMetricsOptions) {
    this.devices = new DeviceHealth(options.clock);
    this.apis = new ApiRequestCounter(options.apis);
    this.durations = new SaleDurations(options.clock);
    this.processMetrics = new ProcessMetrics(options.clock);
    this.server = new MetricsServer({ host: options.host, port: options.port, render: () => this.render() });
  }

  /** Where it listens once started. */
  address(): { host: string; port: number } | undefined {
    return this.server.address();
  }

  async start(engine: ObservedEngine): Promise<void> {
    this.engine = engine;
    this.journal = new JournalMetrics(this.options.store, engine.saleKinds(), this.options.currency);
    this.version = this.options.version ?? packageVersion();
    this.processMetrics.start();
    this.apis.start();
    this.unsubscribe = engine.onSaleChanged((change) => this.durations.onSaleChanged(change));
    try {
      await this.server.start();
    } catch (error) {
      this.stopObserving();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopObserving();
    await this.server.stop();
  }

  /** The exposition as a scrape gets it. */
  async render(): Promise<string> {
    const families: MetricFamily[] = [...(this.journal?.families() ?? [])];
    const status = this.engine?.status();
    if (status !== undefined) {
      families.push(
        single('counterpay_needs_human', 'Sales and payment API writes waiting for a person (counterpay queue).', 'gauge', status.needsHuman),
        single('counterpay_online', 'Whether the last Paysera poll got through (1) or not (0; also before the first).', 'gauge', status.online === true ? 1 : 0),
        single('counterpay_clock_synced', "Whether the signing clock has been set from Paysera's server time (1) or not (0).", 'gauge', status.clockSynced ? 1 : 0),
        single('counterpay_open_sales', 'Sales under way or waiting for a person.', 'gauge', status.openSales),
      );
    }
    families.push(
      single('counterpay_request_budget_used', 'Paysera calls in the last 60 s window of the request budget.', 'gauge', this.options.budget.used()),
      single('counterpay_request_budget_limit', 'Paysera calls the request budget allows in any 60 s window (paysera.requestBudgetPerMinute).', 'gauge', this.options.budget.perMinute),
      this.apis.family(),
      this.durations.family(),
      ...this.devices.families(),
      {
        name: 'counterpay_build_info',
        help: 'The counterpay version and the Node.js version it runs on; always 1.',
        type: 'gauge',
        samples: [{ labels: { version: this.version, node: process.versions.node }, value: 1 }],
      },
      ...(await this.processMetrics.families()),
    );
    return renderExposition(families);
  }

  private stopObserving(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.apis.stop();
    this.devices.stop();
  }
}
