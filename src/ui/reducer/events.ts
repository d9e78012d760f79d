import type { BuzzerSignal } from '../../devices/buzzer/buzzer-port.js';

/**
 * What the UI reducer takes in (UiEvent: what happened) and gives out (UiCommand: what the shell,
 * TerminalUi, is to do). Both are plain data, so a step can be tested by comparing values.
 */

/** The shell keeps at most one timer of each name; setting one replaces it. */
export type TimerName = 'screen' | 'flash';

export type UiEvent =
  /** The screen's timer ran out: result hold or inactivity. Stale unless `generation` is current. */
  | { readonly type: 'screenTimeout'; readonly generation: number }
  /** The refusal on show has been there long enough. */
  | { readonly type: 'flashTimeout' };

export type UiCommand =
  /** Sounds the buzzer, if one is fitted. */
  | { readonly type: 'sound'; readonly signal: BuzzerSignal }
  /** Dispatches `fire` after `ms` (Clock.setTimeout), replacing the timer of that name. */
  | { readonly type: 'setTimer'; readonly timer: TimerName; readonly ms: number; readonly fire: UiEvent }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  /** A failure without a known code (a bug) for the log; staff only ever see one short line. */
  | { readonly type: 'log'; readonly error: unknown; readonly during: string };
