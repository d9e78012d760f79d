import type { TableConfig } from '../config/load-config.js';
import type { BuzzerPort, BuzzerSignal } from '../devices/buzzer/buzzer-port.js';
import type { DisplayPort } from '../devices/display/display-port.js';
import type { KeypadPort } from '../devices/keypad/keypad-port.js';
import type { ScannerPort } from '../devices/scanner/scanner-port.js';
import type { EngineStatus, PaymentEngine } from '../engine/engine-api.js';
import type { LanguageCode } from '../i18n/language.js';
import { language, type Language } from '../i18n/messages.js';
import type { Clock } from '../platform/clock.js';
import type { Unsubscribe } from '../platform/listeners.js';
import { DEFAULT_MAX_AMOUNT_MINOR } from './amount-digits.js';
import { errorCode } from './error-lines.js';
import type { BusyWork, EngineRequest, RefundRequest, TimerName, UiCommand, UiEvent } from './reducer/events.js';
import { initialState, reduce } from './reducer/reduce.js';
import type { Step } from './reducer/step.js';
import { renderState } from './screens/index.js';
import type { Lines } from './text.js';
import type { PrinterStatus, TerminalState, UiContext, UiSettings, UiState } from './ui-state.js';

/**
 * The menu's print actions, which belong to the print spooler. Each may throw or reject with a
 * coded error (`no_receipt`, `printer_paper_out`, ...): the UI turns the code into one line.
 */
export interface UiActions {
  /** Reprints the last receipt, marked COPY. */
  reprintLast(): Promise<void> | void;
  /** Prints a card with the QR code of every configured table. */
  printTableCards(): Promise<void> | void;
  /** Prints today's day report (the local day of the terminal's clock), built from the journal alone. */
  printDayReport(): Promise<void> | void;
  /** Asks the printer for its status (the status page is open); the answer comes as setPrinterStatus. */
  checkPrinter?(): Promise<void> | void;
}

export interface TerminalUiOptions {
  engine: PaymentEngine;
  display: DisplayPort;
  keypad: KeypadPort;
  /** Without a scanner, tables are typed and code sales wait for a scanner that never speaks. */
  scanner?: ScannerPort | undefined;
  /** Optional: a click per key, two short beeps on PAID, one long on a decline or a refusal. */
  buzzer?: BuzzerPort | undefined;
  clock: Clock;
  /** The configured tables (numbers staff type, identifiers on the cards). */
  tables: readonly TableConfig[];
  /** Tables other terminals of the location sell (paysera.otherTables). */
  otherTables?: readonly TableConfig[] | undefined;
  currency: string;
  actions?: UiActions | undefined;
  /** Largest amount staff may key, in minor units; default 50000 (500.00). */
  maxAmountMinor?: number | undefined;
  /** How long a result (PAID, DECLINED...) stays before idle returns; a key returns at once. */
  resultHoldMs?: number | undefined;
  /** How long a refusal ("No such table") stays over the first line. */
  flashMs?: number | undefined;
  /** Entry screens and the menu return to idle after this long without a key. */
  inactivityMs?: number | undefined;
  /** A code sale with no code scanned is cancelled after this long (ui.codeScanTimeoutSeconds); default 120 s. */
  codeScanTimeoutMs?: number | undefined;
  /** ui.supervisorPin: menu 6 (Refund) asks for it; absent, refunds are disabled. A secret: never shown or logged. */
  supervisorPin?: string | undefined;
  /** IANA zone for the idle clock; default: the system's. */
  timeZone?: string | undefined;
  /** The language of every text on the display (ui.language); default English. */
  language?: LanguageCode | undefined;
  /** Failures without a known code (bugs), for the log: staff only ever see one short line. */
  onError?: ((error: unknown, during: string) => void) | undefined;
}

const DEFAULT_RESULT_HOLD_MS = 4_000;
const DEFAULT_FLASH_MS = 2_500;
const DEFAULT_INACTIVITY_MS = 60_000;
const DEFAULT_CODE_SCAN_MS = 120_000;
const NO_STATUS: EngineStatus = { online: undefined, queue: {}, needsHuman: 0, openSales: 0, clockSynced: false };

/** What each event is, for the log line of a failure while it was handled. */
const DURING: Readonly<Record<UiEvent['type'], string>> = {
  key: 'key',
  scan: 'scan',
  scanRejected: 'scan rejected',
  scannerState: 'scanner state',
  buzzerState: 'buzzer state',
  printerStatus: 'printer status',
  saleChanged: 'sale change',
  waitingTables: 'waiting tables',
  engineStatus: 'status',
  engineAnswered: 'engine answer',
  saleRead: 'engine answer',
  engineRefused: 'engine answer',
  printed: 'menu action',
  centrapayStarted: 'menu action',
  workFailed: 'menu action',
  screenTimeout: 'screen timeout',
  flashTimeout: 'flash timeout',
  stepFailed: 'failure line',
  stopped: 'stop',
  refundableFound: 'refund',
  refundStarted: 'refund',
  refundRefused: 'refund',
  refundChanged: 'refund change',
  refundUnlocked: 'refund lock',
};

/**
 * The terminal's UI: the thin shell around the UI reducer (reducer/reduce.ts). Key presses,
 * scans and the engine's events become reducer events; the commands a step gives back are run
 * here (the engine calls, the menu actions, the buzzer, the timers on the injected Clock, the
 * log), and the state is rendered through the display port (screens/*.ts) whenever it changed.
 * It holds no I/O of its own: the ports and the engine are started and stopped by the
 * composition root; this class only subscribes in `start()` and unsubscribes in `stop()`.
 *
 * Nothing that happens here may reach staff as an exception: every failure ends as one short
 * line on the display, keyed by the error's `code`.
 */
export class TerminalUi {
  private readonly options: TerminalUiOptions;
  private state: TerminalState | undefined;
  private subscriptions: Unsubscribe[] = [];
  /** The cancel of each timer the reducer set that has not fired yet. */
  private readonly timers = new Map<TimerName, () => void>();
  /** Events waiting for the step under way to finish. */
  private readonly queue: UiEvent[] = [];
  private draining = false;
  private cancelMinuteTimer: (() => void) | undefined;
  private running = false;
  private lastLines: Lines | undefined;
  /** Kept apart from the state so that a status given before start() is not lost. */
  private printer: PrinterStatus = { state: 'unknown' };
  private readonly lang: Language;

  constructor(options: TerminalUiOptions) {
    this.options = options;
    this.lang = language(options.language);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { engine, keypad, scanner, buzzer } = this.options;
    this.state = initialState(this.initialContext(), this.settings(), this.state);
    this.subscriptions = [
      keypad.onKey((press) => this.dispatch({ type: 'key', key: press.key })),
      engine.onSaleChanged((change) => this.dispatch({ type: 'saleChanged', change })),
      engine.onWaitingTables((waiting) => this.dispatch({ type: 'waitingTables', waiting })),
      engine.onStatus((status) => this.dispatch({ type: 'engineStatus', status })),
      engine.onRefundChanged((refund) => this.dispatch({ type: 'refundChanged', refund })),
    ];
    if (scanner !== undefined) {
      this.subscriptions.push(
        scanner.onScan((scan) => this.dispatch({ type: 'scan', classification: scan.classification })),
        scanner.onReject(() => this.dispatch({ type: 'scanRejected' })),
        scanner.onState((state) => this.dispatch({ type: 'scannerState', state })),
      );
    }
    if (buzzer !== undefined) this.subscriptions.push(buzzer.onState((state) => this.dispatch({ type: 'buzzerState', state })));
    this.scheduleMinute();
    await this.render();
  }

  /** Unsubscribes, cancels every timer and leaves "Closed" on the display. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const unsubscribe of this.subscriptions) unsubscribe();
    this.subscriptions = [];
    if (this.state !== undefined) this.apply(reduce(this.state, { type: 'stopped' }));
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.cancelMinuteTimer?.();
    this.cancelMinuteTimer = undefined;
    await this.show();
  }

  /** The printer's state as the print spooler or device layer sees it; idle warns on a problem. */
  setPrinterStatus(printer: PrinterStatus): void {
    this.printer = printer;
    this.dispatch({ type: 'printerStatus', printer });
  }

  /** The current state (for tests and diagnostics). */
  snapshot(): UiState | undefined {
    return this.state;
  }

  /** The two lines last sent to the display. */
  lines(): Lines | undefined {
    return this.lastLines;
  }

  /**
   * Hands an event to the reducer. An event that arrives while a step's commands run (the engine
   * reports a change during a call, then answers) waits for them: each step runs to completion,
   * in the order the events came.
   */
  private dispatch(event: UiEvent): void {
    if (this.state === undefined || !this.running) return;
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined && this.running; next = this.queue.shift()) this.handle(next);
    } finally {
      this.draining = false;
      this.queue.length = 0;
    }
  }

  /** One step; nothing it throws escapes into the port that called: it is logged and shown as one line. */
  private handle(event: UiEvent): void {
    try {
      this.apply(reduce(this.current(), event));
    } catch (error) {
      this.options.onError?.(error, DURING[event.type]);
      try {
        this.apply(reduce(this.current(), { type: 'stepFailed', error }));
      } catch {
        // Rendering the failure failed too; the next event renders afresh.
      }
    }
  }

  /** Takes the step's state and runs its commands in order; the display shows the state when it changed. */
  private apply(step: Step): void {
    const before = this.state;
    this.state = step.state;
    for (const command of step.commands) this.run(command);
    if (this.state !== before) void this.render();
  }

  private run(command: UiCommand): void {
    switch (command.type) {
      case 'engine':
        this.callEngine(command.request);
        return;
      case 'refund':
        this.callRefund(command.request);
        return;
      case 'work':
        this.work(command.work, command.generation);
        return;
      case 'sound':
        this.sound(command.signal);
        return;
      case 'setTimer': {
        const { timer, fire } = command;
        this.timers.get(timer)?.();
        this.timers.set(
          timer,
          this.options.clock.setTimeout(() => {
            this.timers.delete(timer);
            this.dispatch(fire);
          }, command.ms),
        );
        return;
      }
      case 'cancelTimer':
        this.timers.get(command.timer)?.();
        this.timers.delete(command.timer);
        return;
      case 'log':
        this.options.onError?.(command.error, command.during);
        return;
      case 'checkPrinter':
        this.checkPrinter();
        return;
    }
  }

  /** A refund call of the engine; its answer (or refusal) goes to the reducer as the next event. */
  private callRefund(request: RefundRequest): void {
    const { engine } = this.options;
    let answer: UiEvent;
    try {
      answer =
        request.call === 'findRefundable'
          ? { type: 'refundableFound', sale: engine.findRefundable(request.saleNumber) }
          : { type: 'refundStarted', refund: engine.refundSale(request.saleId) };
    } catch (error) {
      answer = { type: 'refundRefused', request, error };
    }
    this.dispatch(answer);
  }

  /** Calls the engine; its answer (or refusal) goes to the reducer as the next event. */
  private callEngine(request: EngineRequest): void {
    const { engine } = this.options;
    let answer: UiEvent | undefined;
    try {
      switch (request.call) {
        case 'startTableSale':
          answer = { type: 'engineAnswered', request, sale: engine.startTableSale(request.table, request.minor) };
          break;
        case 'startCodeSale':
          answer = { type: 'engineAnswered', request, sale: engine.startCodeSale(request.minor) };
          break;
        case 'submitReservationCode':
          answer = { type: 'engineAnswered', request, sale: engine.submitReservationCode(request.saleId, request.code) };
          break;
        case 'cancelSale':
          answer = { type: 'engineAnswered', request, sale: engine.cancelSale(request.saleId) };
          break;
        case 'getSale': {
          const sale = engine.getSale(request.saleId);
          answer = sale === undefined ? undefined : { type: 'saleRead', sale };
          break;
        }
      }
    } catch (error) {
      answer = { type: 'engineRefused', request, error };
    }
    if (answer !== undefined) this.dispatch(answer);
  }

  /** Runs a menu action or starts a Centrapay sale; its outcome, whenever it comes, goes to the reducer. */
  private work(work: BusyWork, generation: number): void {
    this.doWork(work, generation).then(
      (event) => this.dispatch(event),
      (error: unknown) => this.dispatch({ type: 'workFailed', generation, work, error }),
    );
  }

  private async doWork(work: BusyWork, generation: number): Promise<UiEvent> {
    if (work.kind === 'startCentrapaySale') {
      return { type: 'centrapayStarted', generation, sale: this.options.engine.startCentrapaySale(work.minor) };
    }
    const actions = this.options.actions;
    // settings() told the reducer whether there are actions, and it asks for none without.
    if (actions === undefined) throw new Error(`UI action ${work.action} asked for, but not given`);
    await actions[work.action]();
    return { type: 'printed', generation, action: work.action };
  }

  /** Asks the printer for its status; a failure to ask is a bug for the log, never a screen. */
  private checkPrinter(): void {
    const check = this.options.actions?.checkPrinter;
    if (check === undefined) return;
    try {
      void Promise.resolve(check()).catch((error: unknown) => this.options.onError?.(error, 'printer status'));
    } catch (error) {
      this.options.onError?.(error, 'printer status');
    }
  }

  /** Sounds the buzzer, if one is fitted; a buzzer never stops the screen. */
  private sound(signal: BuzzerSignal): void {
    try {
      this.options.buzzer?.play(signal);
    } catch (error) {
      // The port never throws (its contract); a bug there is logged, never shown.
      this.options.onError?.(error, 'buzzer');
    }
  }

  private settings(): UiSettings {
    const { actions } = this.options;
    return {
      resultHoldMs: this.options.resultHoldMs ?? DEFAULT_RESULT_HOLD_MS,
      flashMs: this.options.flashMs ?? DEFAULT_FLASH_MS,
      inactivityMs: this.options.inactivityMs ?? DEFAULT_INACTIVITY_MS,
      actions: actions !== undefined,
      centrapay: this.options.engine.saleKinds().includes('centrapay'),
      codeScanMs: this.options.codeScanTimeoutMs ?? DEFAULT_CODE_SCAN_MS,
      supervisorPin: this.options.supervisorPin,
    };
  }

  /** The idle clock moves on at the minute: a new frame, with the time of the frame. */
  private scheduleMinute(): void {
    const { clock } = this.options;
    const untilNextMinute = 60_000 - (((clock.wallMs() % 60_000) + 60_000) % 60_000);
    this.cancelMinuteTimer = clock.setTimeout(() => {
      if (!this.running) return;
      void this.render();
      this.scheduleMinute();
    }, untilNextMinute);
  }

  private initialContext(): UiContext {
    const { engine, clock, scanner } = this.options;
    const read = <T>(what: string, fn: () => T, fallback: T): T => {
      try {
        return fn();
      } catch (error) {
        // The engine may still be starting; its events will fill the context in.
        if (errorCode(error) === undefined) this.options.onError?.(error, what);
        return fallback;
      }
    };
    const scannerState = scanner?.state();
    return {
      lang: this.lang,
      wallMs: clock.wallMs(),
      timeZone: this.options.timeZone,
      currency: this.options.currency,
      maxAmountMinor: this.options.maxAmountMinor ?? DEFAULT_MAX_AMOUNT_MINOR,
      tables: this.options.tables,
      otherTables: this.options.otherTables,
      waiting: read('waiting tables', () => engine.waitingTables(), []),
      status: read('status', () => engine.status(), NO_STATUS),
      printer: this.printer,
      scannerConnected: scannerState === undefined ? undefined : scannerState === 'disconnected' ? false : scannerState === 'connected' ? true : undefined,
      buzzer: this.options.buzzer?.state(),
      openSales: read('open sales', () => engine.openSales(), []),
    };
  }

  private current(): TerminalState {
    if (this.state === undefined) throw new Error('TerminalUi used before start()');
    return this.state;
  }

  private render(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return this.show();
  }

  /** Renders the state with the time of the frame (the idle clock reads Clock.wallMs only here). */
  private async show(): Promise<void> {
    const state = this.state;
    if (state === undefined) return;
    this.state = { ...state, ctx: { ...state.ctx, wallMs: this.options.clock.wallMs() } };
    const lines = renderState(this.state, this.options.display.columns);
    this.lastLines = lines;
    try {
      await this.options.display.show([...lines]);
    } catch (error) {
      // The display port reports its own failures; show() rejecting would be a port bug.
      this.options.onError?.(error, 'display');
    }
  }
}
