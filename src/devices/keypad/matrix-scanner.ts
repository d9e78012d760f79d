import type { Clock } from '../../platform/clock.js';
import { DeviceError, messageOf } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import type { GpioFactory, GpioLine } from './gpio.js';
import { isKey, type Key, type KeyPress, type KeypadPort } from './keypad-port.js';

export interface MatrixKeypadOptions {
  /**
   * Opens the GPIO lines' factory; called in start(), so a Pi without sysfs GPIO is a keypad
   * that fails to start (reported and retried while payments already made are still confirmed),
   * not a terminal that cannot be built.
   */
  readonly gpio: () => Promise<GpioFactory>;
  readonly clock: Clock;
  /** BCM numbers of the row lines (driven) and column lines (inputs with pull-ups). */
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  /** Row-major key map, one character per key: "123A456B789C*0#D". */
  readonly keys: string;
  /** Interval between the two equal scans that make a reading stable (default 15 ms). */
  readonly debounceMs?: number;
}

/**
 * A 4x4 (any RxC) matrix keypad scanned by software.
 *
 * Idle: every row driven low, so a press pulls its column low and the column's edge interrupt
 * wakes the scanner. Scanning: every row is released (input, high impedance, so two pressed keys
 * cannot short two driven rows), then one row at a time is driven low and the columns are read.
 * A reading counts when two scans `debounceMs` apart agree; while anything is pressed it keeps
 * scanning every `debounceMs`, and it goes back to waiting for interrupts once all keys are up.
 * One key pressed: reported once (no repeat while held). Several keys: ignored, and nothing is
 * reported until all keys are up again.
 */
export class MatrixKeypad implements KeypadPort {
  private readonly keyListeners: Listeners<KeyPress>;
  private readonly problems = new Listeners<DeviceError>();
  private rowLines: GpioLine[] = [];
  private colLines: GpioLine[] = [];
  private cancelTimer: (() => void) | null = null;
  private scanning = false;
  private running = false;
  private lastReading: string | null = null;
  /** The key being held, 'multi' while several are pressed, null when all are up. */
  private held: Key | 'multi' | null = null;

  constructor(private readonly options: MatrixKeypadOptions) {
    this.keyListeners = new Listeners((error) =>
      this.problems.emit(new DeviceError('keypad', 'keypad_listener_failed', `key listener failed: ${messageOf(error)}`, { cause: error })),
    );
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { rows, cols, keys } = this.options;
    if (keys.length !== rows.length * cols.length || ![...keys].every(isKey)) {
      throw new DeviceError('keypad', 'keypad_config_invalid', `keys must be ${rows.length * cols.length} of 0-9 A-D * #, got "${keys}"`);
    }
    try {
      const gpio = await this.options.gpio();
      this.rowLines = rows.map((bcm) => gpio.output(bcm, 0));
      this.colLines = cols.map((bcm) => gpio.input(bcm));
    } catch (error) {
      this.release();
      // readGpioBase's own error (no sysfs GPIO, no Pi controller) already says what is missing.
      if (error instanceof DeviceError) throw error;
      throw new DeviceError('keypad', 'keypad_gpio_unavailable', `cannot claim keypad GPIO lines: ${messageOf(error)}`, { cause: error });
    }
    this.running = true;
    for (const line of this.colLines) {
      line.watch((error) => {
        if (error) {
          this.problems.emit(new DeviceError('keypad', 'keypad_gpio_failed', `keypad interrupt failed: ${error.message}`, { cause: error, retryable: true }));
          return;
        }
        this.wake();
      });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.release();
  }

  onKey(listener: (press: KeyPress) => void): Unsubscribe {
    return this.keyListeners.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }

  /** An edge on a column: start scanning unless a scan loop is already running. */
  private wake(): void {
    if (!this.running || this.scanning || this.cancelTimer !== null) return;
    this.lastReading = null;
    this.schedule();
  }

  private schedule(): void {
    this.cancelTimer = this.options.clock.setTimeout(() => {
      this.cancelTimer = null;
      this.tick();
    }, this.options.debounceMs ?? 15);
  }

  private tick(): void {
    if (!this.running) return;
    let pressed: Key[];
    try {
      pressed = this.scan();
    } catch (error) {
      this.problems.emit(new DeviceError('keypad', 'keypad_gpio_failed', `keypad scan failed: ${messageOf(error)}`, { cause: error, retryable: true }));
      this.schedule();
      return;
    }
    const reading = pressed.join('');
    const stable = reading === this.lastReading;
    this.lastReading = reading;
    if (stable) this.apply(pressed);
    // Keep scanning while unstable or while anything is down; interrupts cover the idle state.
    if (!stable || pressed.length > 0 || this.held !== null) this.schedule();
  }

  private apply(pressed: Key[]): void {
    if (pressed.length === 0) {
      this.held = null;
      return;
    }
    if (pressed.length > 1) {
      this.held = 'multi';
      return;
    }
    const key = pressed[0]!;
    if (this.held !== null) return; // held key, or the remainder of a multi-press: no report
    this.held = key;
    this.keyListeners.emit({ key, atMonoMs: this.options.clock.monoMs() });
  }

  /** One full scan; restores the idle drive (all rows low) before returning. */
  private scan(): Key[] {
    this.scanning = true;
    try {
      const pressed: Key[] = [];
      for (const row of this.rowLines) row.setDirection('in');
      this.rowLines.forEach((row, r) => {
        row.setDirection('low');
        this.colLines.forEach((col, c) => {
          if (col.readSync() === 0) pressed.push(this.options.keys[r * this.colLines.length + c] as Key);
        });
        row.setDirection('in');
      });
      return pressed;
    } finally {
      for (const row of this.rowLines) {
        try {
          row.setDirection('low');
        } catch {
          // reported by the next scan
        }
      }
      this.scanning = false;
    }
  }

  private release(): void {
    for (const line of [...this.colLines, ...this.rowLines]) {
      try {
        line.unwatchAll();
        line.unexport();
      } catch {
        // best effort on shutdown
      }
    }
    this.rowLines = [];
    this.colLines = [];
  }
}
