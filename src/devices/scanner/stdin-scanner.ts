import type { Clock } from '../../platform/clock.js';
import type { ClassifierOptions } from './scan-classifier.js';
import type { ScanEmitter } from './scan-emitter.js';
import { ScannerBase } from './scanner-base.js';

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
export class StdinScanner extends ScannerBase {
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
    super(options.clock, options.classifier, options.maxLineBytes);
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
}
