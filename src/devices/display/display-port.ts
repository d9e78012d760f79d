import type { DeviceError } from '../device-error.js';
import type { Unsubscribe } from '../../platform/listeners.js';

/**
 * A small character display (customer pole display, 16x2/20x2 LCD, or a stand-in).
 *
 * Contract:
 * - The constructor only stores options; `start()` opens the device and initialises it (clear,
 *   cursor off); `stop()` clears it where possible and closes it. `start()` rejects only for a
 *   configuration the adapter can never satisfy (e.g. 4 rows on a 2-row command set); a device
 *   that is missing is reported through `onProblem` and retried on the next `show()`.
 * - `show(lines)` replaces the whole screen: line i goes to row i, missing rows are blank, extra
 *   lines are dropped. Every line is transliterated to what the display can show (accents
 *   dropped, the euro sign as "EUR") and cut or padded to `columns`.
 * - `show()` never rejects: a failed write is reported on `onProblem` (`display_write_failed`,
 *   retryable) and the next `show()` writes the whole frame again. Frames are written in order;
 *   when frames arrive faster than the device takes them, intermediate frames are skipped and
 *   the latest one wins. A frame equal to the one on screen is not written again (idle is quiet).
 *   The returned promise resolves when the frame (or a newer one) is on screen or has failed.
 */
export interface DisplayPort {
  readonly columns: number;
  readonly rows: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  show(lines: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
}
