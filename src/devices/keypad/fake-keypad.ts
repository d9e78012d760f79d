import type { Clock } from '../../platform/clock.js';
import type { DeviceError } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import { isKey, type KeyPress, type KeypadPort } from './keypad-port.js';

/** A keypad the test or demo types on: `type("1299#")` presses each key in turn. */
export class FakeKeypad implements KeypadPort {
  private readonly keys = new Listeners<KeyPress>();
  private readonly problems = new Listeners<DeviceError>();
  private running = false;

  constructor(private readonly clock: Clock) {}

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  type(sequence: string): void {
    if (!this.running) return;
    for (const ch of sequence) if (isKey(ch)) this.keys.emit({ key: ch, atMonoMs: this.clock.monoMs() });
  }

  onKey(listener: (press: KeyPress) => void): Unsubscribe {
    return this.keys.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }
}
