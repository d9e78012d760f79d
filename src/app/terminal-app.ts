import type { Logger } from 'pino';
import type { Config } from '../config/load-config.js';
import { createDevices, type Devices } from '../devices/create-devices.js';
import { encoderOptions } from '../printing/escpos/escpos-document.js';
import { venueOf } from '../printing/layouts.js';
import { JournaledPaymentEngine } from '../engine/journaled-payment-engine.js';
import type { TerminalMetrics } from '../metrics/terminal-metrics.js';
import { parseListenAddress } from '../config/metrics-schema.js';
import { PrintSpooler } from '../printing/print-spooler.js';
import { RequestBudget } from '../gateways/paysera-wallet/request-budget.js';
import { PayseraWalletClient } from '../gateways/paysera-wallet/wallet-client.js';
import type { CentrapayClient } from '../gateways/centrapay/centrapay-client.js';
import type { PayseraPosClient } from '../gateways/paysera-pos/pos-client.js';
import type { RetryPolicies } from '../engine/outbox/retry-policy.js';
import { sleep, type Clock } from '../platform/clock.js';
import { collectGarbage } from '../platform/garbage-collection.js';
import type { RandomSource } from '../platform/random.js';
import { systemTimeZone } from '../report/local-day.js';
import { printTodaysReport } from '../report/todays-report.js';
import { DataDirLock } from '../store/data-dir-lock.js';
import { Store } from '../store/store.js';
import { printerStatusOf } from '../ui/printer-status.js';
import { TerminalUi } from '../ui/terminal-ui.js';
import { DeviceProblemLog } from './device-problem-log.js';
import { DeviceStarter } from './device-starter.js';
import { IdleWalFolder } from './idle-wal-folder.js';
import { ScanRejectLog } from './scan-reject-log.js';
import { ServerTimeSync } from './server-time-sync.js';

export interface TerminalAppOptions {
  config: Config;
  logger: Logger;
  clock: Clock;
  random: RandomSource;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Where a console display draws. */
  consoleOut: NodeJS.WritableStream;
  /** Relative device paths resolve against this directory. */
  baseDir: string;
  /** Replaces the devices built from the config (the demo's fake scanner and previewing printer). */
  devices?: Devices;
  /** Shorter waits than the config allows (the crash loop); the wiring stays the same. */
  tuning?: TerminalTuning;
  /**
   * The data directory's lock, already held by the caller (the demo takes it before it empties
   * its directory). Absent: start() takes it. Either way stop() releases it.
   */
  journalLock?: DataDirLock;
}

/**
 * How long start() waits for the data directory's lock before refusing: long enough for a support
 * command's short write (`counterpay queue --retry`) to finish, short enough to refuse a second
 * terminal at once.
 */
export const JOURNAL_LOCK_WAIT_MS = 5_000;

/**
 * Timing the crash loop shortens so that hundreds of sales and kills fit in minutes: poll
 * intervals, the request budget and the retry backoff. Everything else, above all what is wired
 * to what (clock, randomness, gateways, transports), stays as `counterpay run` builds it.
 */
export interface TerminalTuning {
  pollIntervalMs?: number;
  reservationPollMs?: number;
  /** After how long an awaited transaction is read on its own (declines); see the engine's option. */
  reservationReadEachAfterMs?: number;
  centrapayPollIntervalMs?: number;
  requestBudgetPerMinute?: number;
  /** Merged over the default policies of every operation kind. */
  retryPolicies?: RetryPolicies;
}

/**
 * The composition root of `counterpay run`: config -> store -> gateway -> devices -> engine ->
 * print spooler -> UI, started in that order and stopped in reverse. Constructing assigns only;
 * start() takes the data directory's lock (DataDirLock: a second terminal on the same journal is
 * refused), opens the database (refusing to run on the wrong pragmas), starts the engine (which
 * first replays whatever a crash interrupted), then the devices, each retried in the background
 * when missing, so payments already made keep being confirmed without a printer or display.
 */
export class TerminalApp {
  private readonly options: TerminalAppOptions;
  private lock: DataDirLock | undefined;
  private store: Store | undefined;
  private wallet: PayseraWalletClient | undefined;
  private centrapay: CentrapayClient | undefined;
  private pos: PayseraPosClient | undefined;
  private engineInstance: JournaledPaymentEngine | undefined;
  private spooler: PrintSpooler | undefined;
  private uiInstance: TerminalUi | undefined;
  private timeSync: ServerTimeSync | undefined;
  private starter: DeviceStarter | undefined;
  private walFolder: IdleWalFolder | undefined;
  private metrics: TerminalMetrics | undefined;
  private unsubscribers: (() => void)[] = [];

  constructor(options: TerminalAppOptions) {
    this.options = options;
  }

  get engine(): JournaledPaymentEngine {
    if (this.engineInstance === undefined) throw new Error('TerminalApp not started');
    return this.engineInstance;
  }

  get ui(): TerminalUi {
    if (this.uiInstance === undefined) throw new Error('TerminalApp not started');
    return this.uiInstance;
  }

  async start(): Promise<void> {
    const { config, clock, random } = this.options;
    // Every line says which counter wrote it: several terminals may log to one place.
    const logger = this.options.logger.child({ terminal: config.terminal.name });
    const tuning = this.options.tuning ?? {};
    // One journal, one owner: before anything reads or sweeps the journal (a second terminal's
    // start-up sweep would turn this one's requests in flight into `unknown` and resend them).
    const lock = this.options.journalLock ?? new DataDirLock(config.dataDir, { waitMs: JOURNAL_LOCK_WAIT_MS });
    this.lock = lock;
    lock.acquire();
    const store = new Store({ dataDir: config.dataDir, clock, random, retentionDays: config.retentionDays });
    const opened = store.open();
    this.store = store;
    logger.info({ path: opened.path, schema: opened.migration.to, sweptInFlight: opened.sweptInFlight }, 'journal opened (WAL, synchronous=FULL)');
    const pruned = store.prune();
    if (pruned.sales + pruned.ops + pruned.printJobs > 0) logger.info({ pruned }, 'pruned final rows past the retention period');

    const { paysera } = config;
    const budget = new RequestBudget(clock, tuning.requestBudgetPerMinute ?? paysera.requestBudgetPerMinute);
    const wallet = new PayseraWalletClient({
      baseUrl: paysera.baseUrl,
      macId: paysera.macId,
      macKey: paysera.macKey,
      clock,
      connectTimeoutMs: paysera.connectTimeoutMs,
      headersTimeoutMs: paysera.headersTimeoutMs,
      bodyTimeoutMs: paysera.bodyTimeoutMs,
      budget,
      reservationCodeField: paysera.reservationCodeField,
      logger: logger.child({ component: 'paysera' }),
    });
    await wallet.start();
    this.wallet = wallet;
    const timeSync = new ServerTimeSync(wallet, clock, logger, () => this.engineInstance?.refreshStatus());
    this.timeSync = timeSync;

    // Optional gateways: without their config sections the C key says "Not configured", no
    // back-office sync runs, and neither client is even loaded.
    const cp = config.centrapay;
    const centrapay =
      cp === undefined
        ? undefined
        : new (await import('../gateways/centrapay/centrapay-client.js')).CentrapayClient({ ...cp, clock, logger: logger.child({ component: 'centrapay' }) });
    await centrapay?.start();
    this.centrapay = centrapay;
    const posConfig = config.pos;
    const pos =
      posConfig === undefined
        ? undefined
        : new (await import('../gateways/paysera-pos/pos-client.js')).PayseraPosClient({ ...posConfig, clock, logger: logger.child({ component: 'pos' }) });
    await pos?.start();
    this.pos = pos;

    const devices =
      this.options.devices ??
      (await createDevices(config.devices, {
        clock,
        locationId: paysera.locationId,
        stdin: this.options.stdin,
        consoleOut: this.options.consoleOut,
        baseDir: this.options.baseDir,
      }));

    const engine = new JournaledPaymentEngine({
      store,
      wallet,
      clock,
      random,
      logger: logger.child({ component: 'engine' }),
      locationId: paysera.locationId,
      tables: paysera.tables,
      otherTables: paysera.otherTables,
      sharedTables: paysera.sharedTables,
      terminalName: config.terminal.name,
      currency: config.currency,
      pollIntervalMs: tuning.pollIntervalMs ?? paysera.pollIntervalMs,
      ...(tuning.reservationPollMs === undefined ? {} : { reservationPollMs: tuning.reservationPollMs }),
      ...(tuning.reservationReadEachAfterMs === undefined ? {} : { reservationReadEachAfterMs: tuning.reservationReadEachAfterMs }),
      ...(tuning.retryPolicies === undefined ? {} : { policies: tuning.retryPolicies }),
      clockSynced: () => timeSync.wallClockTrusted(),
      pollPacer: budget,
      centrapay:
        centrapay === undefined || cp === undefined
          ? undefined
          : { api: centrapay, expirySeconds: cp.expirySeconds, pollIntervalMs: tuning.centrapayPollIntervalMs ?? cp.pollIntervalMs },
      pos: pos === undefined ? undefined : { api: pos },
    });
    this.engineInstance = engine;

    const spooler = new PrintSpooler({
      store,
      printer: devices.printer,
      clock,
      encoder: encoderOptions(this.options.config.devices.printer),
      venue: venueOf(config.devices.printer.venue),
      // A confirm on its way goes first: no print job starts meanwhile.
      holdWhile: () => engine.confirming(),
      ...(config.ui.timeZone === undefined ? {} : { timeZone: config.ui.timeZone }),
      language: config.ui.language,
    });
    this.spooler = spooler;

    const ui = new TerminalUi({
      engine,
      display: devices.display,
      keypad: devices.keypad,
      scanner: devices.scanner ?? undefined,
      buzzer: devices.buzzer ?? undefined,
      clock,
      tables: paysera.tables,
      otherTables: paysera.otherTables,
      currency: config.currency,
      maxAmountMinor: config.ui.maxAmount,
      codeScanTimeoutMs: (config.ui.codeScanTimeoutSeconds ?? 120) * 1000,
      supervisorPin: config.ui.supervisorPin,
      timeZone: config.ui.timeZone,
      language: config.ui.language,
      actions: {
        reprintLast: () => {
          spooler.reprintLast();
        },
        printTableCards: () => {
          spooler.printTableCards(paysera.tables, paysera.locationId);
        },
        checkPrinter: () => spooler.checkPrinter(),
        printDayReport: () => {
          printTodaysReport(store, spooler, { wallMs: clock.wallMs(), timeZone: config.ui.timeZone ?? systemTimeZone(), clockSynced: timeSync.wallClockTrusted(), terminalName: config.terminal.name });
        },
      },
      onError: (error, during) => logger.error({ err: error, during }, 'ui: unexpected failure'),
    });
    this.uiInstance = ui;
    if (devices.scanner !== null) this.unsubscribers.push(new ScanRejectLog(clock, logger.child({ component: 'scanner' })).attach(devices.scanner));

    // The first server-time read goes before the engine's first signed poll (so that poll is not
    // refused for its timestamp), but an offline start waits for it at most a second.
    await Promise.race([timeSync.start(), sleep(clock, 1000)]);
    engine.start();
    // Metrics (docs/monitoring.md): a port that cannot be bound is logged with its code and the
    // terminal goes on without them; taking payments never depends on being watched.
    const metricsAt = config.metrics === undefined ? undefined : parseListenAddress(config.metrics.listen);
    if (metricsAt !== undefined) {
      // Loaded only when configured, like the optional gateways: without metrics nothing of them is resident.
      const metrics = new (await import('../metrics/terminal-metrics.js')).TerminalMetrics({
        ...metricsAt,
        clock,
        store,
        currency: config.currency,
        apis: [
          { api: 'paysera', baseUrl: paysera.baseUrl, pathPrefix: '/rest/' },
          ...(cp === undefined ? [] : [{ api: 'centrapay', baseUrl: cp.baseUrl, pathPrefix: '/api/' }]),
          ...(posConfig === undefined ? [] : [{ api: 'pos', baseUrl: posConfig.baseUrl }]),
        ],
        budget: { used: () => budget.used(), perMinute: tuning.requestBudgetPerMinute ?? paysera.requestBudgetPerMinute },
      });
      await metrics.start(engine).then(
        () => {
          this.metrics = metrics;
          metrics.devices.watchPrinter(() => spooler.status());
          logger.info({ listen: config.metrics?.listen }, 'metrics served at /metrics');
        },
        (error: unknown) => logger.error({ err: error, code: (error as { code?: unknown }).code, listen: config.metrics?.listen }, 'metrics: cannot listen; the terminal runs without them'),
      );
    }
    const tracked = <T extends { start(): Promise<void>; stop(): Promise<void> }>(kind: 'scanner' | 'keypad' | 'display' | 'printer' | 'buzzer', port: T) => this.metrics?.devices.track(kind, port) ?? port;
    this.unsubscribers.push(
      spooler.onStatus((status) => ui.setPrinterStatus(printerStatusOf(status))),
    );
    // Device failures go to the log once per new kind of failure (the status page shows them
    // too); a broken buzzer, display or scanner is never a stop.
    const problems = new DeviceProblemLog(logger.child({ component: 'devices' }));
    for (const port of [devices.scanner, devices.keypad, devices.display, devices.buzzer]) if (port !== null) this.unsubscribers.push(problems.attach(port));
    this.unsubscribers.push(problems.attachPrinter(spooler, devices.printer.description));

    // Idle: the WAL is folded back into the database file once per transition to idle, and the
    // heap's garbage collected then (when node runs with --expose-gc, as the service does).
    const walFolder = new IdleWalFolder({
      clock,
      journal: store,
      intervalMs: tuning.pollIntervalMs ?? paysera.pollIntervalMs,
      busy: () => engine.inFlightOps() > 0 || spooler.printing || engine.openSales().some((sale) => sale.state !== 'needs_human'),
      afterFold: collectGarbage,
      logger: logger.child({ component: 'journal' }),
    });
    this.walFolder = walFolder;
    walFolder.start();

    const starter = new DeviceStarter(clock, logger);
    this.starter = starter;
    // The display first, so the idle screen appears as soon as possible.
    await starter.start('display', tracked('display', devices.display));
    ui.start();
    await Promise.all([
      starter.start('keypad', tracked('keypad', devices.keypad)),
      devices.scanner === null ? Promise.resolve(true) : starter.start('scanner', tracked('scanner', devices.scanner)),
      starter.start('printer', tracked('printer', devices.printer), () => spooler.start()),
      devices.buzzer === null ? Promise.resolve(true) : starter.start('buzzer', tracked('buzzer', devices.buzzer)),
    ]);
    logger.info({ tables: paysera.tables.length, otherTables: paysera.otherTables.length, location: paysera.locationId }, 'terminal ready');
  }

  /**
   * Lets the operation in flight finish for STOP_GRACE_MS, then aborts the API requests still
   * waiting (their ops are journaled `unknown`, reconciled at the next start, as after kill -9),
   * leaves "Closed" on the display, closes the database. Bounded well below systemd's
   * TimeoutStopSec whatever a server does.
   */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    await this.metrics?.stop();
    this.timeSync?.stop();
    this.walFolder?.stop();
    await this.stopEngineWithinGrace();
    await this.spooler?.stop();
    this.uiInstance?.stop();
    await this.starter?.stop();
    await this.wallet?.stop();
    await this.centrapay?.stop();
    await this.pos?.stop();
    this.store?.close();
    this.lock?.release();
    this.options.logger.info('terminal stopped');
  }

  private async stopEngineWithinGrace(): Promise<void> {
    const engine = this.engineInstance;
    if (engine === undefined) return;
    let settled = false;
    const stopped = engine.stop().finally(() => (settled = true));
    const grace = new AbortController();
    await Promise.race([stopped, sleep(this.options.clock, STOP_GRACE_MS, grace.signal).catch(() => undefined)]);
    grace.abort();
    if (!settled) {
      this.options.logger.warn({ code: 'stop_aborted_requests', graceMs: STOP_GRACE_MS }, 'requests still in flight at stop aborted; they are reconciled at the next start');
      await Promise.all([this.wallet?.stop(), this.centrapay?.stop(), this.pos?.stop()]);
    }
    await stopped;
  }
}

/** How long stop() waits for requests in flight before aborting them (systemd allows 15 s in all). */
const STOP_GRACE_MS = 1500;
