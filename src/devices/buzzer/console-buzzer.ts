import type { DeviceError } from '../device-error.js';
import { Listeners, type Unsubscribe } from '../../platform/listeners.js';
import type { BuzzerPort, BuzzerSignal, BuzzerState } from './buzzer-port.js';

const SOUNDS: Record<BuzzerSignal, string> = {
  click: 'click',
  success: 'two short',
  failure: 'one long',
};

/**
 * The buzzer as lines in the terminal (`~ beep: two short`), for the demo and for development
 * without GPIO. Writing never fails the terminal: a closed stream only loses the line.
 */
export class ConsoleBuzzer implements BuzzerPort {
  readonly description = 'console';
  private readonly states = new Listeners<BuzzerState>();
  private readonly problems = new Listeners<DeviceError>();
  private running = false;

  constructor(private readonly output: NodeJS.WritableStream) {}

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  play(signal: BuzzerSignal): void {
    if (!this.running) return;
    try {
      this.output.write(`  ~ beep: ${SOUNDS[signal]}\n`);
    } catch {
      // Nowhere to show it; the terminal goes on.
    }
  }

  state(): BuzzerState {
    return 'ok';
  }

  onState(listener: (state: BuzzerState) => void): Unsubscribe {
    return this.states.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.problems.add(listener);
  }
}
