import type { TableConfig } from '../config/load-config.js';
import type { BuzzerState } from '../devices/buzzer/buzzer-port.js';
import type { SaleOutcome } from '../domain/sale.js';
import type { EngineStatus, WaitingTable } from '../engine/engine-api.js';
import type { Language } from '../i18n/messages.js';
import type { PaperState } from '../printing/print-failures.js';
import type { SaleRecord } from '../store/types.js';
import type { Text } from './text.js';

/**
 * The whole state of the terminal's UI: which screen is up (with what staff have typed so far),
 * plus the context every screen may show (time, waiting tables, engine and printer status).
 * Screens render from this alone, so each one is a pure function tested at 16 and 20 columns.
 */

/** The printer as the composition root reports it (TerminalUi.setPrinterStatus). */
export type PrinterStatus =
  | { readonly state: 'unknown' }
  /**
   * Nothing wrong. `paper`: what the printer last said of its paper (`not_checked` on a printer
   * that cannot be asked, `unknown` when it did not answer); `printed`: a job went out this run.
   */
  | { readonly state: 'ok'; readonly paper?: PaperState; readonly printed?: boolean }
  /** `code` is the printer's DeviceError code, e.g. `printer_paper_out`. */
  | { readonly state: 'problem'; readonly code: string };

/** What an amount is being typed for. */
export type AmountPurpose =
  /** `ref` is what the engine is given: the number staff typed, or the identifier of a scanned card. */
  | { readonly kind: 'table'; readonly table: TableConfig; readonly ref: string | number }
  | { readonly kind: 'code' }
  | { readonly kind: 'centrapay' };

/** What a result screen announces. */
export type Outcome =
  | { readonly kind: SaleOutcome; readonly sale: SaleRecord }
  /** The network is down: the sale is journaled and the engine carries it on later. */
  | { readonly kind: 'queued'; readonly sale: SaleRecord }
  /** Anything else worth a screen of its own ("Centrapay / Not configured", "Copy sent"). */
  | { readonly kind: 'notice'; readonly title: Text; readonly detail: Text };

export type Screen =
  | { readonly name: 'idle' }
  /** Typing a table number; `purpose` says whether for a sale or to cancel its pending order. */
  | { readonly name: 'table-entry'; readonly purpose: 'sale' | 'cancel'; readonly digits: string }
  | { readonly name: 'amount-entry'; readonly purpose: AmountPurpose; readonly digits: string }
  /** A code sale is journaled; the customer's reservation code is to be scanned. */
  | { readonly name: 'scan-code'; readonly sale: SaleRecord }
  /** A sale is under way; the engine's changes arrive here until it ends. */
  | { readonly name: 'waiting'; readonly sale: SaleRecord }
  /** "Cancel this sale?"; `back` is the screen to return to on `*`. */
  | { readonly name: 'confirm-cancel'; readonly sale: SaleRecord; readonly back: Screen }
  | { readonly name: 'result'; readonly outcome: Outcome }
  | { readonly name: 'menu' }
  | { readonly name: 'status'; readonly page: number }
  /** A menu action (reprint, table cards, day report) is running. */
  | { readonly name: 'busy'; readonly title: Text; readonly detail: Text }
  /** Refund (menu 6): the supervisor PIN as typed (shown masked, never its digits). */
  | { readonly name: 'refund-pin'; readonly digits: string }
  /** Refund: the receipt number as typed; none takes the last paid sale. */
  | { readonly name: 'refund-number'; readonly digits: string }
  /** Refund: the sale found; # refunds it in full, * goes back. */
  | { readonly name: 'refund-confirm'; readonly sale: SaleRecord }
  /** Refund: journaled and sent; its outcome replaces this screen. */
  | { readonly name: 'refund-waiting'; readonly sale: SaleRecord; readonly refundId: string }
  | { readonly name: 'closed' };

export type ScreenName = Screen['name'];

export interface UiContext {
  /** The language of every text, and its conventions for amounts and times (ui.language). */
  readonly lang: Language;
  /** Wall time of the frame (Clock.wallMs), for the idle clock. */
  readonly wallMs: number;
  /** IANA zone for the clock; undefined means the system's. */
  readonly timeZone: string | undefined;
  readonly currency: string;
  readonly maxAmountMinor: number;
  readonly tables: readonly TableConfig[];
  /** Tables other terminals sell (paysera.otherTables): keying one says so. */
  readonly otherTables?: readonly TableConfig[] | undefined;
  readonly waiting: readonly WaitingTable[];
  readonly status: EngineStatus;
  readonly printer: PrinterStatus;
  /** False while the scanner is unplugged; undefined without a scanner. */
  readonly scannerConnected: boolean | undefined;
  /** The buzzer's state; undefined without a buzzer. */
  readonly buzzer: BuzzerState | undefined;
  /** Sales not yet done, cancelled or declined (including those needing a person). */
  readonly openSales: readonly SaleRecord[];
}

export interface UiState {
  readonly screen: Screen;
  readonly ctx: UiContext;
  /** A refusal or short notice over the first line ("No such table"), until the next key or a few seconds. */
  readonly flash: Text | undefined;
}

/** What the reducer knows of the terminal's set-up; fixed from TerminalUi.start() on. */
export interface UiSettings {
  /** How long a result (PAID, DECLINED...) stays before idle returns; a key returns at once. */
  readonly resultHoldMs: number;
  /** How long a refusal ("No such table") stays over the first line. */
  readonly flashMs: number;
  /** Entry screens and the menu return to idle after this long without a key. */
  readonly inactivityMs: number;
  /** Whether the menu's print actions are wired; without them they say "Not configured". */
  readonly actions: boolean;
  /** Whether Centrapay sales can be started; without it C says "Not configured". */
  readonly centrapay: boolean;
  /** How long a code sale waits for its code at the scanner before it is cancelled (ui.codeScanTimeoutSeconds). */
  readonly codeScanMs: number;
  /** ui.supervisorPin: what menu 6 asks for; absent, refunds are disabled. A secret: never rendered. */
  readonly supervisorPin?: string | undefined;
}

/**
 * The UI reducer's whole state (reducer/reduce.ts): what the screens render from, plus what the
 * next step depends on.
 */
export interface TerminalState extends UiState {
  readonly settings: UiSettings;
  /** Bumped on every screen change, so a timer or a menu action of an older screen is stale. */
  readonly generation: number;
  /** Outcomes already shown (`kind:saleId`), oldest first, so a late engine event does not show one twice. */
  readonly announced: readonly string[];
  /** Wrong supervisor PINs in a row (reset by a right one and by the lock's end). */
  readonly pinFailures?: number;
  /** Three wrong PINs in a row: refunds wait for the `refundLock` timer (60 s). */
  readonly refundsLocked?: boolean;
}

/** The state one screen renders from. */
export interface ScreenState<N extends ScreenName> {
  readonly screen: Extract<Screen, { name: N }>;
  readonly ctx: UiContext;
}
