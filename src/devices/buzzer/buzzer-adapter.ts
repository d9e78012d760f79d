import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import type { DeviceError } from '../device-error.js';
import type { BuzzerPort, BuzzerSignal, BuzzerState } from './buzzer-port.js';

/**
 * What every buzzer adapter shares: its state and the listeners of BuzzerPort. A problem is
 * reported once per outage (when an `ok` buzzer fails); the state is announced only when it
 * changes. Subclasses do the device I/O.
 */
export abstract class BuzzerAdapter implements BuzzerPort {
  abstract readonly description: string;
  private readonly states = new Listeners<BuzzerState>();
  private readonly problems = new Listeners<DeviceError>();
  private current: BuzzerState;

  protected constructor(initial: BuzzerState) {
    this.current = initial;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract play(signal: BuzzerSignal): void;

  state(): BuzzerState {
    return this.current;
  }

  onState(listener: (state: BuzzerState) => void): Unsubscribe {
    return this.states.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }

  /** The buzzer failed: reported when it was working, and the state turns `failed`. */
  protected failed(problem: DeviceError): void {
    if (this.current === 'ok') this.problems.emit(problem);
    this.setState('failed');
  }

  protected setState(state: BuzzerState): void {
    if (state === this.current) return;
    this.current = state;
    this.states.emit(state);
  }
}
