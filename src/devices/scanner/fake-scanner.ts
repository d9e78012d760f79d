import type { Clock } from '../../platform/clock.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-sanitizer.js';
import type { ClassifierOptions } from './scan-classifier.js';
import { ScannerBase } from './scanner-base.js';

/**
 * A scanner driven by the test or the demo: `scan(text)` delivers one line through the same
 * checks and classification as the real adapters; `unplug()`/`replug()` change the state as a
 * disconnect would.
 */
export class FakeScanner extends ScannerBase {
  private readonly maxLineBytes: number;

  constructor(clock: Clock, classifier: ClassifierOptions, maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    super(clock, classifier, maxLineBytes);
    this.maxLineBytes = maxLineBytes;
  }

  async start(): Promise<void> {
    this.emitter.setState('connected');
  }

  async stop(): Promise<void> {
    this.emitter.setState('stopped');
  }

  /** Delivers `text` (or raw bytes) as if the scanner sent it followed by CR. Ignored when stopped. */
  scan(text: string | Buffer): void {
    if (this.emitter.state() !== 'connected') return;
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    // As on the device path: a line over the limit is rejected with its whole length.
    if (bytes.length > this.maxLineBytes) this.emitter.reject('too_long', bytes.length);
    else this.emitter.line(bytes);
  }

  unplug(): void {
    if (this.emitter.state() !== 'connected') return;
    this.emitter.setState('disconnected');
    this.emitter.problem('scanner_disconnected', 'fake scanner unplugged', undefined, true);
  }

  replug(): void {
    if (this.emitter.state() === 'disconnected') this.emitter.setState('connected');
  }
}
