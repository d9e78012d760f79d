import type { Clock } from '../../platform/clock.js';
import type { Unsubscribe } from '../../platform/listeners.js';
import type { DeviceError } from '../device-error.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-sanitizer.js';
import type { ClassifierOptions } from './scan-classifier.js';
import { ScanEmitter } from './scan-emitter.js';
import type { Scan, ScannerPort, ScannerState, ScanReject } from './scanner-port.js';

/**
 * What every scanner adapter (serial, stdin, the fake) shares: the ScanEmitter that checks,
 * classifies and announces lines, and the port's listener methods on it. An adapter only says
 * how bytes arrive and what its device does when it goes away.
 */
export abstract class ScannerBase implements ScannerPort {
  protected readonly emitter: ScanEmitter;

  constructor(clock: Clock, classifier: ClassifierOptions, maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    this.emitter = new ScanEmitter(clock, classifier, maxLineBytes);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

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
