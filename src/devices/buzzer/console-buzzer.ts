import { BuzzerAdapter } from './buzzer-adapter.js';
import type { BuzzerSignal } from './buzzer-port.js';

const SOUNDS: Record<BuzzerSignal, string> = {
  click: 'click',
  success: 'two short',
  failure: 'one long',
};

/**
 * The buzzer as lines in the terminal (`~ beep: two short`), for the demo and for development
 * without GPIO. Writing never fails the terminal: a closed stream only loses the line.
 */
export class ConsoleBuzzer extends BuzzerAdapter {
  readonly description = 'console';
  private running = false;

  constructor(private readonly output: NodeJS.WritableStream) {
    super('ok');
  }

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
}
