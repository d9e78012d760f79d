import type { DeviceError } from '../device-error.js';
import type { Unsubscribe } from '../../platform/listeners.js';

/** One of the 16 keys: 0-9, A-D, * and #. */
export type Key = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'A' | 'B' | 'C' | 'D' | '*' | '#';

export const KEYS: readonly Key[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', '*', '#'];

export function isKey(value: string): value is Key {
  return (KEYS as readonly string[]).includes(value);
}

export interface KeyPress {
  readonly key: Key;
  /** Monotonic time the press was accepted. */
  readonly atMonoMs: number;
}

/**
 * The staff keypad.
 *
 * Contract:
 * - The constructor only stores options; `start()` claims the device (GPIO lines, evdev grab,
 *   raw TTY) and `stop()` releases it; no key is reported after `stop()` resolves.
 * - `onKey` fires once per physical press, after debouncing: holding a key does not repeat;
 *   several keys pressed together are ignored (no key is reported until all are released).
 * - Only the 16 keys of `Key` are reported; anything else the device produces is dropped.
 * - Device failures arrive on `onProblem` as DeviceError (`keypad_*` codes); nothing throws into
 *   the caller after `start()` resolved. `start()` rejects when the device cannot be claimed at
 *   all (no GPIO, no device file), with a code that says why.
 */
export interface KeypadPort {
  start(): Promise<void>;
  stop(): Promise<void>;
  onKey(listener: (press: KeyPress) => void): Unsubscribe;
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
}
