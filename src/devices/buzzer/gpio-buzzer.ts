import type { Clock } from '../../platform/clock.js';
import { DeviceError, messageOf } from '../device-error.js';
import type { GpioFactory, GpioLine } from '../keypad/gpio.js';
import { BuzzerAdapter } from './buzzer-adapter.js';
import { BUZZER_PATTERNS, type BuzzerSignal } from './buzzer-port.js';

export interface GpioBuzzerOptions {
  /** Creates the GPIO factory (onoff with the sysfs base; a fake in tests). */
  readonly gpio: () => Promise<GpioFactory>;
  /** BCM number of the line driving the buzzer's transistor. */
  readonly pin: number;
  /** True when the line sounds the buzzer at 0 (a PNP stage or a low-level-trigger module). */
  readonly activeLow: boolean;
  readonly clock: Clock;
}

/**
 * An active buzzer on one GPIO output (see hardware/README.md: through a transistor; the Pi's pin
 * cannot drive it directly). The line is driven to "off" when claimed and after every signal.
 */
export class GpioBuzzer extends BuzzerAdapter {
  private line: GpioLine | undefined;
  private sounding: BuzzerSignal | undefined;
  private cancelStep: (() => void) | undefined;

  /** `failed` until start() has claimed the line. */
  constructor(private readonly options: GpioBuzzerOptions) {
    super('failed');
  }

  get description(): string {
    return `GPIO BCM ${this.options.pin} (active ${this.options.activeLow ? 'low' : 'high'})`;
  }

  async start(): Promise<void> {
    if (this.line !== undefined) return;
    try {
      const gpio = await this.options.gpio();
      this.line = gpio.output(this.options.pin, this.level(false));
    } catch (error) {
      this.setState('failed');
      throw new DeviceError('buzzer', 'buzzer_unavailable', `buzzer on ${this.description}: ${messageOf(error)}`, { cause: error, retryable: true });
    }
    this.setState('ok');
  }

  async stop(): Promise<void> {
    const line = this.line;
    if (line === undefined) return;
    this.silence();
    this.line = undefined;
    try {
      line.writeSync(this.level(false));
      line.unexport();
    } catch {
      // Released anyway: the next start claims the line afresh.
    }
  }

  play(signal: BuzzerSignal): void {
    if (this.line === undefined) return;
    if (signal === 'click' && this.sounding !== undefined && this.sounding !== 'click') return;
    this.silence();
    this.sounding = signal;
    this.step(BUZZER_PATTERNS[signal], 0);
  }

  /** Even steps sound, odd steps are silent; after the last step the line goes off. */
  private step(pattern: readonly number[], at: number): void {
    const duration = pattern[at];
    if (duration === undefined) {
      this.sounding = undefined;
      this.write(false);
      return;
    }
    if (!this.write(at % 2 === 0)) {
      this.sounding = undefined;
      return;
    }
    this.cancelStep = this.options.clock.setTimeout(() => {
      this.cancelStep = undefined;
      this.step(pattern, at + 1);
    }, duration);
  }

  private silence(): void {
    this.cancelStep?.();
    this.cancelStep = undefined;
    if (this.sounding !== undefined) this.write(false);
    this.sounding = undefined;
  }

  private write(on: boolean): boolean {
    const line = this.line;
    if (line === undefined) return false;
    try {
      line.writeSync(this.level(on));
    } catch (error) {
      this.failed(new DeviceError('buzzer', 'buzzer_write_failed', `buzzer on ${this.description}: ${messageOf(error)}`, { cause: error, retryable: true }));
      return false;
    }
    this.setState('ok');
    return true;
  }

  private level(on: boolean): 0 | 1 {
    return on !== this.options.activeLow ? 1 : 0;
  }
}
