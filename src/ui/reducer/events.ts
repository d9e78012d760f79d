import type { BuzzerSignal, BuzzerState } from '../../devices/buzzer/buzzer-port.js';
import type { Key } from '../../devices/keypad/keypad-port.js';
import type { ScanClassification, ScannerState } from '../../devices/scanner/scanner-port.js';
import type { EngineStatus, SaleChange, WaitingTable } from '../../engine/engine-api.js';
import type { RefundRecord, SaleRecord } from '../../store/types.js';
import type { PrinterStatus, Screen } from '../ui-state.js';

/**
 * What the UI reducer takes in (UiEvent: what happened) and gives out (UiCommand: what the shell,
 * TerminalUi, is to do). Both are plain data, so a step can be tested by comparing values.
 */

/** The shell keeps at most one timer of each name; setting one replaces it. */
export type TimerName = 'screen' | 'flash' | 'refundLock';

/** A menu item that prints: the UiActions method of that name (terminal-ui.ts). */
export type PrintAction = 'reprintLast' | 'printTableCards' | 'printDayReport';

/** Slow work the busy screen waits for: a print action, or starting a Centrapay sale. */
export type BusyWork = { readonly kind: 'print'; readonly action: PrintAction } | { readonly kind: 'startCentrapaySale'; readonly minor: number };

/** A call of the PaymentEngine; each answers at once, with a sale or an error. */
export type EngineRequest =
  /** `table`: the number staff typed, or the identifier of a scanned card. */
  | { readonly call: 'startTableSale'; readonly table: string | number; readonly minor: number }
  | { readonly call: 'startCodeSale'; readonly minor: number }
  | { readonly call: 'submitReservationCode'; readonly saleId: string; readonly code: string }
  /**
   * `back`: the screen the question came from, for a refusal to return to. `noCode`: the code
   * sale's deadline passed without a code (the display says so).
   */
  | { readonly call: 'cancelSale'; readonly saleId: string; readonly back: Screen; readonly noCode?: boolean }
  /** The engine's latest record of a sale a screen has kept a while. */
  | { readonly call: 'getSale'; readonly saleId: string };

/** A refund call of the PaymentEngine (menu 6); each answers at once. */
export type RefundRequest = { readonly call: 'findRefundable'; readonly saleNumber?: number | undefined } | { readonly call: 'refundSale'; readonly saleId: string };

export type UiEvent =
  | { readonly type: 'key'; readonly key: Key }
  | { readonly type: 'scan'; readonly classification: ScanClassification }
  /** A line the scanner could not read (junk, a cut-off code, a scanner in the wrong mode). */
  | { readonly type: 'scanRejected' }
  | { readonly type: 'scannerState'; readonly state: ScannerState }
  | { readonly type: 'buzzerState'; readonly state: BuzzerState }
  | { readonly type: 'printerStatus'; readonly printer: PrinterStatus }
  | { readonly type: 'saleChanged'; readonly change: SaleChange }
  | { readonly type: 'waitingTables'; readonly waiting: readonly WaitingTable[] }
  | { readonly type: 'engineStatus'; readonly status: EngineStatus }
  /** What the engine answered to a call that changes a sale. */
  | { readonly type: 'engineAnswered'; readonly request: Exclude<EngineRequest, { call: 'getSale' }>; readonly sale: SaleRecord }
  /** What getSale found. */
  | { readonly type: 'saleRead'; readonly sale: SaleRecord }
  /** The engine refused a call (or failed): its error, with the stable code when it has one. */
  | { readonly type: 'engineRefused'; readonly request: EngineRequest; readonly error: unknown }
  /** A print action went through (its job is queued). Stale unless `generation` is current. */
  | { readonly type: 'printed'; readonly generation: number; readonly action: PrintAction }
  | { readonly type: 'centrapayStarted'; readonly generation: number; readonly sale: SaleRecord }
  | { readonly type: 'workFailed'; readonly generation: number; readonly work: BusyWork; readonly error: unknown }
  /** The screen's timer ran out: result hold or inactivity. Stale unless `generation` is current. */
  | { readonly type: 'screenTimeout'; readonly generation: number }
  /** The refusal on show has been there long enough. */
  | { readonly type: 'flashTimeout' }
  /** A step threw (a bug; the shell has logged it): staff see one line, never a trace. */
  | { readonly type: 'stepFailed'; readonly error: unknown }
  /** The terminal stops: "Closed" stays on the display. */
  | { readonly type: 'stopped' }
  /** findRefundable found the sale. */
  | { readonly type: 'refundableFound'; readonly sale: SaleRecord }
  /** refundSale journaled the refund. */
  | { readonly type: 'refundStarted'; readonly refund: RefundRecord }
  /** The engine refused a refund call. */
  | { readonly type: 'refundRefused'; readonly request: RefundRequest; readonly error: unknown }
  /** A refund moved (onRefundChanged). */
  | { readonly type: 'refundChanged'; readonly refund: RefundRecord }
  /** The 60 s after three wrong PINs are over. */
  | { readonly type: 'refundUnlocked' };

export type UiCommand =
  /** Calls the engine; the answer comes back as `engineAnswered`, `saleRead` or `engineRefused`. */
  | { readonly type: 'engine'; readonly request: EngineRequest }
  /** Calls the engine for a refund; the answer comes back as `refundableFound`, `refundStarted` or `refundRefused`. */
  | { readonly type: 'refund'; readonly request: RefundRequest }
  /** Sounds the buzzer, if one is fitted. */
  | { readonly type: 'sound'; readonly signal: BuzzerSignal }
  /** Dispatches `fire` after `ms` (Clock.setTimeout), replacing the timer of that name. */
  | { readonly type: 'setTimer'; readonly timer: TimerName; readonly ms: number; readonly fire: UiEvent }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  /** Starts `work`; its outcome comes back as `printed`, `centrapayStarted` or `workFailed` with `generation`. */
  | { readonly type: 'work'; readonly work: BusyWork; readonly generation: number }
  /** Asks the printer for its status (the status page shows it); the answer comes as `printerStatus`. */
  | { readonly type: 'checkPrinter' }
  /** A failure without a known code (a bug) for the log; staff only ever see one short line. */
  | { readonly type: 'log'; readonly error: unknown; readonly during: string };
