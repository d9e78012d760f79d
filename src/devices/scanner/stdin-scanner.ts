import type { Clock } from '../../platform/clock.js';
import type { DeviceError } from '../device-error.js';
import type { Unsubscribe } from '../../platform/listeners.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-sanitizer.js';
import type { ClassifierOptions } from './scan-classifier.js';
import { ScanEmitter } from './scan-emitter.js';
import type { Scan, ScannerPort, ScannerState, ScanReject } from './scanner-port.js';

export interface StreamScannerOptions {
  /** Where lines come from: process.stdin in development, a FIFO or a PassThrough in tests. */
  readonly input: NodeJS.ReadableStream;
  readonly clock: Clock;
  readonly classifier: ClassifierOptions;
  readonly maxLineBytes?: number;
}

/**
 * A scanner for development: every line typed (or piped) on the input is one scan, with the same
 * checks and classification as the serial scanner. End of input sets the state to
 * `disconnected`; there is nothing to reconnect to.
 */
export class StdinScanner implements ScannerPort {
  private readonly emitter: ScanEmitter;
  private reader: ReturnType<ScanEmitter['lineReader']> | null = null;
  private readonly onData = (chunk: Buffer | string): void => {
    this.reader?.input.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  };
  private readonly onEnd = (): void => {
    this.reader?.input.write(Buffer.from('\n'));
    this.emitter.setState('disconnected');
  };
  private readonly onError = (error: Error): void => {
    this.emitter.problem('scanner_input_failed', `scanner input failed: ${error.message}`, error);
  };

  constructor(private readonly options: StreamScannerOptions) {
    this.emitter = new ScanEmitter(options.clock, options.classifier, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  async start(): Promise<void> {
    if (this.reader !== null) return;
    this.reader = this.emitter.lineReader();
    this.options.input.on('data', this.onData);
    this.options.input.on('end', this.onEnd);
    this.options.input.on('error', this.onError);
    this.options.input.resume();
    this.emitter.setState('connected');
  }

  async stop(): Promise<void> {
    this.options.input.off('data', this.onData);
    this.options.input.off('end', this.onEnd);
    this.options.input.off('error', this.onError);
    this.options.input.pause();
    this.reader?.destroy();
    this.reader = null;
    this.emitter.setState('stopped');
  }

  state(): ScannerState {
    return this.emitter.state();
  }

  onScan(listener: (scan: Scan) => void): Unsubscribe {
    return this.emitter.scans.add(listener);
  }

  onReject(listener: (reject: ScanReject) => void): Unsubscribe {
    return this.emitter.rejects.add(listener);
  }

  onProblem(listener: (problem: DeviceError) => void): Unsubscribe {
    return this.emitter.problems.add(listener);
  }

  onState(listener: (state: ScannerState) => void): Unsubscribe {
    return this.emitter.states.add(listener);
  }
}
