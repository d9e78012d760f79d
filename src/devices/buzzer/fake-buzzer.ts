import { DeviceError } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import type { BuzzerPort, BuzzerSignal, BuzzerState } from './buzzer-port.js';

/** Records every signal; `break()` makes it fail as a broken buzzer would (reported, never thrown). */
export class FakeBuzzer implements BuzzerPort {
  readonly description = 'fake';
  readonly signals: BuzzerSignal[] = [];
  private readonly states = new Listeners<BuzzerState>();
  private readonly problems = new Listeners<DeviceError>();
  private current: BuzzerState = 'ok';
  private broken = false;

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  play(signal: BuzzerSignal): void {
    if (this.broken) {
      if (this.current === 'ok') {
        this.current = 'failed';
        this.problems.emit(new DeviceError('buzzer', 'buzzer_write_failed', 'fake buzzer broken', { retryable: true }));
        this.states.emit('failed');
      }
      return;
    }
    this.signals.push(signal);
  }

  break(): void {
    this.broken = true;
  }

  state(): BuzzerState {
    return this.current;
  }

  onState(listener: (state: BuzzerState) => void): Unsubscribe {
    return this.states.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }
}
