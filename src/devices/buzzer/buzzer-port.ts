import type { DeviceError } from '../device-error.js';
import type { Unsubscribe } from '../../platform/listeners.js';

/**
 * What the counter's buzzer says: `click` a key was taken; `success` two short beeps (PAID);
 * `failure` one long beep (declined, expired, a refused key).
 */
export type BuzzerSignal = 'click' | 'success' | 'failure';

/** `failed`: the last write to the buzzer failed, or it has not been claimed (yet). */
export type BuzzerState = 'ok' | 'failed';

/** Each signal as alternating on/off durations in ms, starting with on. */
export const BUZZER_PATTERNS: Readonly<Record<BuzzerSignal, readonly number[]>> = {
  click: [15],
  success: [90, 90, 90],
  failure: [600],
};

/**
 * The counter's buzzer (optional: a terminal without one simply has none).
 *
 * Contract:
 * - The constructor only stores options; `start()` claims the device (a GPIO line) and leaves it
 *   silent, rejecting with a `buzzer_*` DeviceError when it cannot be claimed; `stop()` silences
 *   and releases it.
 * - `play(signal)` returns at once and never throws: the pattern (BUZZER_PATTERNS) runs on the
 *   Clock's timers, so a beep never holds up the screen. A click never cuts a beep short; a beep
 *   replaces whatever is sounding. Before `start()` and after `stop()` it does nothing.
 * - A failed write silences the signal and is reported once per outage on `onProblem`
 *   (`buzzer_write_failed`, retryable); the state turns `failed`. The next signal tries again; a
 *   write that works turns it `ok`. A broken buzzer never stops the terminal.
 */
export interface BuzzerPort {
  /** For logs and doctor, e.g. "GPIO BCM 18 (active high)". */
  readonly description: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  play(signal: BuzzerSignal): void;
  state(): BuzzerState;
  onState(listener: (state: BuzzerState) => void): Unsubscribe;
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
}
