import type { Clock } from '../../platform/clock.js';
import type { DeviceError } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import { isKey, type KeyPress, type KeypadPort } from './keypad-port.js';

export interface StdinKeypadOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly clock: Clock;
  /** Called on Ctrl-C in raw mode (the terminal no longer turns it into SIGINT). */
  readonly onInterrupt?: () => void;
}

/**
 * The keypad on a terminal or a pipe, for development and end-to-end tests. On a TTY it switches
 * to raw mode so every key press arrives at once; from a pipe every character is one key.
 * Lower-case a-d are A-D, Enter is # (OK), Backspace is * (back); other characters are ignored.
 */
export class StdinKeypad implements KeypadPort {
  private readonly keys: Listeners<KeyPress>;
  private readonly problems = new Listeners<DeviceError>();
  private raw = false;
  private readonly onData = (chunk: Buffer | string): void => {
    for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('latin1')) {
      if (ch === '\u0003') {
        this.options.onInterrupt?.();
        continue;
      }
      const key = ch === '\r' || ch === '\n' ? '#' : ch === '\u007f' || ch === '\b' ? '*' : ch.toUpperCase();
      if (isKey(key)) this.keys.emit({ key, atMonoMs: this.options.clock.monoMs() });
    }
  };

  constructor(private readonly options: StdinKeypadOptions) {
    this.keys = new Listeners();
  }

  async start(): Promise<void> {
    const input = this.options.input;
    if (input.isTTY === true && typeof input.setRawMode === 'function') {
      input.setRawMode(true);
      this.raw = true;
    }
    input.on('data', this.onData);
    input.resume();
  }

  async stop(): Promise<void> {
    const input = this.options.input;
    input.off('data', this.onData);
    input.pause();
    if (this.raw && typeof input.setRawMode === 'function') input.setRawMode(false);
    this.raw = false;
  }

  onKey(listener: (press: KeyPress) => void): Unsubscribe {
    return this.keys.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }
}
