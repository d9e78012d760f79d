import type { TableConfig } from '../config/load-config.js';
import type { BuzzerPort, BuzzerSignal } from '../devices/buzzer/buzzer-port.js';
import type { DisplayPort } from '../devices/display/display-port.js';
import type { KeyPress, KeypadPort } from '../devices/keypad/keypad-port.js';
import type { Unsubscribe } from '../platform/listeners.js';
import type { Scan, ScannerPort, ScannerState } from '../devices/scanner/scanner-port.js';
import { isOpenSaleState } from '../domain/sale.js';
import type { EngineStatus, PaymentEngine, SaleChange, WaitingTable } from '../engine/engine-api.js';
import type { Clock } from '../platform/clock.js';
import type { SaleRecord } from '../store/types.js';
import { DEFAULT_MAX_AMOUNT_MINOR } from './amount-entry.js';
import { language, type DisplayMessages, type Language } from '../i18n/messages.js';
import type { LanguageCode } from '../i18n/language.js';
import { errorCode, errorLine } from './messages.js';
import { renderState } from './screens/index.js';
import { tableFromScan } from './tables.js';
import type { Lines, Text } from './text.js';
import type { BusyWork, EngineRequest, TimerName, UiCommand, UiEvent } from './reducer/events.js';
import { announcedKey, outcomeKind, type SaleOutcome } from './reducer/outcomes.js';
import { reduce } from './reducer/reduce.js';
import { chooseOrderToCancel, chooseTable, submitCode } from './reducer/sales.js';
import * as step from './reducer/step.js';
import type { PrinterStatus, Screen, TerminalState, UiContext, UiSettings, UiState } from './ui-state.js';

/**
 * Menu actions that belong to other modules (the print spooler, the Centrapay driver). Each may
 * throw or reject with a coded error (`no_receipt`, `printer_paper_out`, ...): the UI turns the
 * code into one line.
 */
export interface UiActions {
  /** Reprints the last receipt, marked COPY. */
  reprintLast(): Promise<void> | void;
  /** Prints a card with the QR code of every configured table. */
  printTableCards(): Promise<void> | void;
  /** Prints today's day report (the local day of the terminal's clock), built from the journal alone. */
  printDayReport(): Promise<void> | void;
  /**
   * Starts a Centrapay sale (journaled, like the engine's start methods) and returns it; its
   * progress arrives through the engine's onSaleChanged. Absent until the Centrapay issue adds
   * it: C then says "Not configured".
   */
  startCentrapaySale?(amountMinor: number): SaleRecord | Promise<SaleRecord>;
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
const NO_STATUS: EngineStatus = { online: undefined, queue: {}, needsHuman: 0, openSales: 0, clockSynced: false };

/**
 * The terminal's UI: key, scan and engine events move a state (ui-state.ts) from screen to
 * screen, and every change is rendered through the display port (screens/*.ts). It holds no I/O
 * of its own: the ports and the engine are started and stopped by the composition root; this
 * class only subscribes in `start()` and unsubscribes in `stop()`.
 *
 * Nothing that happens here may reach staff as an exception: every failure ends as one short
 * line on the display, keyed by the error's `code`.
 */
export class TerminalUi {
  private readonly options: TerminalUiOptions;
  private state: TerminalState | undefined;
  private subscriptions: Unsubscribe[] = [];
  /** The cancel of each running timer the reducer set. */
  private readonly timers = new Map<TimerName, () => void>();
  private readonly queue: { event: UiEvent; during: string }[] = [];
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
    // A restart keeps what was announced, so an outcome shown before is not shown again.
    const previous = this.state;
    this.state = { screen: { name: 'idle' }, ctx: this.initialContext(), flash: undefined, settings: this.settings(), generation: previous?.generation ?? 0, announced: previous?.announced ?? [] };
    this.subscriptions = [
      keypad.onKey((press) => this.guard('key', () => this.onKey(press))),
      engine.onSaleChanged((change) => this.guard('sale change', () => this.onSaleChanged(change))),
      engine.onWaitingTables((tables) => this.guard('waiting tables', () => this.onWaitingTables(tables))),
      engine.onStatus((status) => this.guard('status', () => this.updateContext({ status }))),
    ];
    if (scanner !== undefined) {
      this.subscriptions.push(
        scanner.onScan((scan) => this.guard('scan', () => this.onScan(scan))),
        // Junk, a cut-off code or a scanner in the wrong mode: staff ask for the code again.
        scanner.onReject(() => this.guard('scan rejected', () => this.flash(this.t().refusals.scanNotRead))),
        scanner.onState((state) => this.guard('scanner state', () => this.onScannerState(state))),
      );
    }
    if (buzzer !== undefined) this.subscriptions.push(buzzer.onState((state) => this.guard('buzzer state', () => this.updateContext({ buzzer: state }))));
    this.scheduleMinute();
    await this.render();
  }

  /** Unsubscribes, cancels every timer and leaves "Closed" on the display. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const unsubscribe of this.subscriptions) unsubscribe();
    this.subscriptions = [];
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.cancelMinuteTimer?.();
    this.cancelMinuteTimer = undefined;
    if (this.state !== undefined) this.state = { ...this.state, screen: { name: 'closed' }, flash: undefined };
    await this.show();
  }

  /** The printer's state as the print spooler or device layer sees it; idle warns on a problem. */
  setPrinterStatus(printer: PrinterStatus): void {
    this.printer = printer;
    this.guard('printer status', () => this.updateContext({ printer }));
  }

  /** The current state (for tests and diagnostics). */
  snapshot(): UiState | undefined {
    return this.state;
  }

  /** The two lines last sent to the display. */
  lines(): Lines | undefined {
    return this.lastLines;
  }

  // ---- events -------------------------------------------------------------------------------

  private onKey(press: KeyPress): void {
    this.dispatch({ type: 'key', key: press.key }, 'key');
  }

  private onScan(scan: Scan): void {
    const state = this.current();
    if (state === undefined) return;
    const screen = state.screen;
    const { classification } = scan;
    if (screen.name === 'scan-code') {
      if (classification.kind === 'paysera-reservation') this.change((s) => submitCode(s, screen.sale, classification.code));
      else this.flash(this.t().refusals.notPaymentCode);
      return;
    }
    const choosesTable = screen.name === 'idle' || (screen.name === 'table-entry' && screen.purpose === 'sale');
    const choosesOrder = screen.name === 'table-entry' && screen.purpose === 'cancel';
    if (!choosesTable && !choosesOrder) {
      if (screen.name === 'waiting' && classification.kind === 'paysera-reservation') this.flash(this.t().refusals.codeAlreadySent);
      return;
    }
    if (classification.kind === 'paysera-reservation') {
      this.flash(this.t().refusals.pressBFirst);
      return;
    }
    const card = tableFromScan(this.ctx().tables, classification);
    if (card.kind === 'table') {
      if (choosesOrder && screen.name === 'table-entry') this.change((s) => chooseOrderToCancel(s, card.table, screen));
      else this.change((s) => chooseTable(s, card.table, card.table.id));
    } else if (card.kind === 'other_location') this.flash(this.t().refusals.otherShopCard);
    else if (card.kind === 'unknown_table') this.flash(this.t().refusals.unknownCard);
    else this.flash(this.t().refusals.notTableCard);
  }

  private onSaleChanged(change: SaleChange): void {
    const { sale, previous } = change;
    const open = this.ctx().openSales.filter((s) => s.id !== sale.id);
    this.setContext({ openSales: isOpenSaleState(sale.state) ? [...open, sale] : open });

    const outcome = outcomeKind(sale);
    const screen = this.current()?.screen;
    const onScreen = screen !== undefined && 'sale' in screen && screen.sale.id === sale.id;
    if (onScreen) {
      if (outcome !== undefined) this.announce(outcome, sale);
      else if (screen.name === 'confirm-cancel') this.replace({ ...screen, sale, back: step.withSale(screen.back, sale) });
      else this.replace(step.withSale(screen, sale));
      return;
    }
    // A sale that ends while staff are not watching it (they pressed *, or the terminal
    // restarted mid-sale) is announced when the counter is idle; typing is never interrupted.
    const changedOutcome = outcome !== undefined && (previous === undefined || outcomeKind({ state: previous, resolvedPaid: undefined }) !== outcome);
    const fresh = changedOutcome && !(this.current()?.announced ?? []).includes(announcedKey(sale.id, outcome));
    if (fresh && screen?.name === 'idle' && this.current()?.flash === undefined) this.announce(outcome, sale);
    else void this.render();
  }

  private onWaitingTables(waiting: WaitingTable[]): void {
    this.updateContext({ waiting });
  }

  private onScannerState(state: ScannerState): void {
    this.updateContext({ scannerConnected: state === 'connected' ? true : state === 'disconnected' ? false : this.ctx().scannerConnected });
  }

  // ---- state changes ------------------------------------------------------------------------

  private announce(kind: SaleOutcome, sale: SaleRecord): void {
    this.change((s) => step.announce(s, kind, sale));
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

  private go(screen: Screen): void {
    this.change((s) => step.go(s, screen));
  }

  private replace(screen: Screen): void {
    this.change((s) => step.replace(s, screen));
  }

  private flash(text: Text): void {
    this.change((s) => step.flash(s, text));
  }

  private setContext(patch: Partial<UiContext>): void {
    this.change((s) => step.setContext(s, patch));
  }

  private updateContext(patch: Partial<UiContext>): void {
    this.setContext(patch);
  }

  /** Applies a transition of the reducer to the current state. */
  private change(transition: (s: step.Step) => step.Step): void {
    const state = this.state;
    if (state === undefined || !this.running) return;
    this.apply(transition(step.stepFrom(state)));
  }

  /** Takes the reducer's state and runs its commands; the display shows the state when it changed. */
  private apply(next: step.Step): void {
    const before = this.state;
    this.state = next.state;
    for (const command of next.commands) this.run(command);
    if (this.state !== before) void this.render();
  }

  /**
   * Hands an event to the reducer. An event that arrives while a step's commands run (the engine
   * reports a change during a call, then answers) waits for them: each step runs to completion.
   */
  private dispatch(event: UiEvent, during: string): void {
    if (this.state === undefined || !this.running) return;
    this.queue.push({ event, during });
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        const state = this.state;
        if (state === undefined || !this.running) break;
        const { event: queued, during: what } = next;
        this.guard(what, () => this.apply(reduce(state, queued)));
      }
    } finally {
      this.draining = false;
      this.queue.length = 0;
    }
  }

  private run(command: UiCommand): void {
    switch (command.type) {
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
            this.dispatch(fire, timer === 'screen' ? 'screen timeout' : 'flash timeout');
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
      case 'work':
        this.work(command.work, command.generation);
        return;
      case 'engine':
        this.callEngine(command.request);
        return;
    }
  }

  /** Calls the engine; its answer (or refusal) goes to the reducer as an event. */
  private callEngine(request: EngineRequest): void {
    const { engine } = this.options;
    let answer: UiEvent;
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
          if (sale === undefined) return;
          answer = { type: 'saleRead', sale };
          break;
        }
      }
    } catch (error) {
      answer = { type: 'engineRefused', request, error };
    }
    this.dispatch(answer, 'engine answer');
  }

  /** Runs a menu action or starts a Centrapay sale; the outcome goes to the reducer as an event. */
  private work(work: BusyWork, generation: number): void {
    const actions = this.options.actions;
    let pending: Promise<UiEvent>;
    try {
      if (actions === undefined) throw new Error('no UI actions');
      if (work.kind === 'print') {
        const action = work.action;
        pending = Promise.resolve(actions[action]()).then(() => ({ type: 'printed', generation, action }));
      } else {
        const start = actions.startCentrapaySale;
        if (start === undefined) throw new Error('no startCentrapaySale action');
        pending = Promise.resolve(start.call(actions, work.minor)).then((sale) => ({ type: 'centrapayStarted', generation, sale }));
      }
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (event) => this.dispatch(event, 'menu action'),
      (error: unknown) => this.dispatch({ type: 'workFailed', generation, work, error }, 'menu action'),
    );
  }

  private settings(): UiSettings {
    const { actions } = this.options;
    return {
      resultHoldMs: this.options.resultHoldMs ?? DEFAULT_RESULT_HOLD_MS,
      flashMs: this.options.flashMs ?? DEFAULT_FLASH_MS,
      inactivityMs: this.options.inactivityMs ?? DEFAULT_INACTIVITY_MS,
      actions: actions !== undefined,
      centrapay: actions?.startCentrapaySale !== undefined,
    };
  }

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
      waiting: read('waiting tables', () => engine.waitingTables(), []),
      status: read('status', () => engine.status(), NO_STATUS),
      printer: this.printer,
      scannerConnected: scannerState === undefined ? undefined : scannerState === 'disconnected' ? false : scannerState === 'connected' ? true : undefined,
      buzzer: this.options.buzzer?.state(),
      openSales: read('open sales', () => engine.openSales(), []),
    };
  }

  private current(): TerminalState | undefined {
    return this.state;
  }

  private ctx(): UiContext {
    if (this.state === undefined) throw new Error('TerminalUi used before start()');
    return this.state.ctx;
  }

  /** The display texts of the terminal's language. */
  private t(): DisplayMessages {
    return this.lang.t.display;
  }

  private render(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return this.show();
  }

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

  /** Runs an event handler so that nothing it throws escapes into the port that called it. */
  private guard(during: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.options.onError?.(error, during);
      try {
        this.flash(errorLine(error, this.t()));
      } catch {
        // Rendering the failure failed too; the next event renders afresh.
      }
    }
  }
}
