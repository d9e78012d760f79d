import type { BuzzerSignal } from '../../devices/buzzer/buzzer-port.js';
import { saleOutcome } from '../../domain/sale.js';
import type { DisplayMessages } from '../../i18n/messages.js';
import type { SaleRecord } from '../../store/types.js';
import { errorCode, errorLine } from '../error-lines.js';
import type { Text } from '../text.js';
import type { Screen, TerminalState, UiContext } from '../ui-state.js';
import type { UiCommand } from './events.js';
import { announcedKey, outcomeSignal, remember, type AnnouncedOutcome } from './outcomes.js';

/**
 * One step of the UI reducer under way: the state so far and the commands so far, in the order
 * the shell is to run them. Every transition below takes a step and returns a new one; none
 * changes its argument.
 */
export interface Step {
  readonly state: TerminalState;
  readonly commands: readonly UiCommand[];
}

export function stepFrom(state: TerminalState): Step {
  return { state, commands: [] };
}

/** The display texts of the terminal's language. */
export function texts(state: TerminalState): DisplayMessages {
  return state.ctx.lang.t.display;
}

export function command(s: Step, ...commands: UiCommand[]): Step {
  return { state: s.state, commands: [...s.commands, ...commands] };
}

/** Sounds the buzzer, if one is fitted (the shell makes sure a buzzer never stops the screen). */
export function sound(s: Step, signal: BuzzerSignal): Step {
  return command(s, { type: 'sound', signal });
}

function timeoutFor(screen: Screen, state: TerminalState): number | undefined {
  switch (screen.name) {
    case 'result':
      return state.settings.resultHoldMs;
    case 'table-entry':
    case 'amount-entry':
    case 'menu':
    case 'status':
    case 'busy':
    case 'refund-pin':
    case 'refund-number':
    case 'refund-confirm':
      return state.settings.inactivityMs;
    // A code sale waits for its code this long, the question over it too: then it is cancelled.
    case 'scan-code':
      return state.settings.codeScanMs;
    case 'confirm-cancel':
      return screen.back.name === 'scan-code' ? state.settings.codeScanMs : undefined;
    default:
      // Idle needs none; a sale's screens stay while the sale is under way.
      return undefined;
  }
}

/** Another screen: a refusal on show goes, and the new screen's timer replaces the old one's. */
export function go(s: Step, screen: Screen): Step {
  const generation = s.state.generation + 1;
  const state: TerminalState = { ...s.state, screen, flash: undefined, generation };
  const timeout = timeoutFor(screen, state);
  return {
    state,
    commands: [
      ...s.commands,
      { type: 'cancelTimer', timer: 'flash' },
      timeout === undefined ? { type: 'cancelTimer', timer: 'screen' } : { type: 'setTimer', timer: 'screen', ms: timeout, fire: { type: 'screenTimeout', generation } },
    ],
  };
}

/** The same screen with fresher data: timers and a refusal on show stay as they are. */
export function replace(s: Step, screen: Screen): Step {
  return { state: { ...s.state, screen }, commands: s.commands };
}

/** A refusal over the first line for a few seconds. Every flash refuses something staff did: one long beep. */
export function flash(s: Step, text: Text): Step {
  const next = sound({ state: { ...s.state, flash: text }, commands: s.commands }, 'failure');
  return command(next, { type: 'setTimer', timer: 'flash', ms: next.state.settings.flashMs, fire: { type: 'flashTimeout' } });
}

export function clearFlash(s: Step): Step {
  if (s.state.flash === undefined) return s;
  return command({ state: { ...s.state, flash: undefined }, commands: s.commands }, { type: 'cancelTimer', timer: 'flash' });
}

export function setContext(s: Step, patch: Partial<UiContext>): Step {
  return { state: { ...s.state, ctx: { ...s.state.ctx, ...patch } }, commands: s.commands };
}

/** A refused or failed action: one line that says what to do; unexpected failures are logged. */
export function failed(s: Step, error: unknown, during: string): Step {
  const logged = errorCode(error) === undefined ? command(s, { type: 'log', error, during }) : s;
  return flash(logged, errorLine(error, texts(s.state)));
}

/** A short screen of its own; `signal` when it refuses what staff asked for. */
export function notice(s: Step, title: Text, detail: Text, signal?: BuzzerSignal): Step {
  const shown = go(s, { name: 'result', outcome: { kind: 'notice', title, detail } });
  return signal === undefined ? shown : sound(shown, signal);
}

/** A sale's outcome on the result screen, remembered so that a late event does not show it again. */
export function announce(s: Step, kind: AnnouncedOutcome, sale: SaleRecord): Step {
  const remembered: Step = { state: { ...s.state, announced: remember(s.state.announced, announcedKey(sale.id, kind)) }, commands: s.commands };
  const shown = go(remembered, { name: 'result', outcome: { kind, sale } });
  const signal = outcomeSignal(kind, sale);
  return signal === undefined ? shown : sound(shown, signal);
}

/** The sale's screen: its outcome when it has one, else the waiting screen. */
export function showSale(s: Step, sale: SaleRecord): Step {
  const outcome = saleOutcome(sale);
  return outcome !== undefined ? announce(s, outcome, sale) : go(s, { name: 'waiting', sale });
}

/** `screen` showing `sale` when it is that sale's screen; else `screen` as it is. */
export function withSale(screen: Screen, sale: SaleRecord): Screen {
  return 'sale' in screen && screen.sale.id === sale.id ? { ...screen, sale } : screen;
}
