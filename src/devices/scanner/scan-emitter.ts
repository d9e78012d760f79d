import type { Clock } from '../../platform/clock.js';
import { DeviceError, messageOf } from '../device-error.js';
import { Listeners } from '../../platform/listeners.js';
import { classifyScan, type ClassifierOptions } from './scan-classifier.js';
import { createLineReader, sanitizeLine } from './line-sanitizer.js';
import type { Scan, ScannerState, ScanReject } from './scanner-port.js';

/**
 * The part every scanner adapter shares: listeners, line checks, classification, state. Adapters
 * feed it complete lines (`line(bytes)`) and problems; it never throws.
 */
export class ScanEmitter {
  readonly scans: Listeners<Scan>;
  readonly rejects: Listeners<ScanReject>;
  readonly problems: Listeners<DeviceError>;
  readonly states: Listeners<ScannerState>;
  private current: ScannerState = 'stopped';

  constructor(
    private readonly clock: Clock,
    private readonly classifier: ClassifierOptions,
    private readonly maxLineBytes: number,
  ) {
    const onListenerError = (error: unknown): void =>
      this.problems.emit(new DeviceError('scanner', 'scanner_listener_failed', `scan listener failed: ${messageOf(error)}`, { cause: error }));
    this.scans = new Listeners(onListenerError);
    this.rejects = new Listeners(onListenerError);
    this.problems = new Listeners();
    this.states = new Listeners(onListenerError);
  }

  /** A line reader for one connection that feeds this emitter: scans, and rejects with their length. */
  lineReader(): ReturnType<typeof createLineReader> {
    return createLineReader(
      this.maxLineBytes,
      (bytes) => this.line(bytes),
      (lengthBytes) => this.reject('too_long', lengthBytes),
    );
  }

  line(bytes: Buffer): void {
    try {
      const verdict = sanitizeLine(bytes, this.maxLineBytes);
      if (!verdict.ok) {
        if (verdict.kind !== 'empty') this.reject(verdict.kind, bytes.length);
        return;
      }
      this.scans.emit({ text: verdict.text, classification: classifyScan(verdict.text, this.classifier), atMonoMs: this.clock.monoMs() });
    } catch (error) {
      this.problem('scanner_internal', `scanner failed on a line: ${messageOf(error)}`, error);
    }
  }

  /** A line that is not a scan: its kind and length only. */
  reject(kind: ScanReject['kind'], lengthBytes: number): void {
    this.rejects.emit({ kind, lengthBytes, atMonoMs: this.clock.monoMs() });
  }

  problem(code: string, message: string, cause?: unknown, retryable = false): void {
    this.problems.emit(new DeviceError('scanner', code, message, { cause, retryable }));
  }

  setState(state: ScannerState): void {
    if (state === this.current) return;
    this.current = state;
    this.states.emit(state);
  }

  state(): ScannerState {
    return this.current;
  }
}
