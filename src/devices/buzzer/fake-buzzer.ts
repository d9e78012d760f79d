import { DeviceError } from '../device-error.js';
import { BuzzerAdapter } from './buzzer-adapter.js';
import type { BuzzerSignal } from './buzzer-port.js';

/** Records every signal; `break()` makes it fail as a broken buzzer would (reported, never thrown). */
export class FakeBuzzer extends BuzzerAdapter {
  readonly description = 'fake';
  readonly signals: BuzzerSignal[] = [];
  private broken = false;

  constructor() {
    super('ok');
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  play(signal: BuzzerSignal): void {
    if (this.broken) this.failed(new DeviceError('buzzer', 'buzzer_write_failed', 'fake buzzer broken', { retryable: true }));
    else this.signals.push(signal);
  }

  break(): void {
    this.broken = true;
  }
}
