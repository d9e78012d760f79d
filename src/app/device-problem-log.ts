import type { Logger } from 'pino';
import type { DeviceError, DeviceKind } from '../devices/device-error.js';
import type { Unsubscribe } from '../platform/listeners.js';

/** A device that reports its failures (scanner, keypad, display, buzzer). */
export interface ReportsProblems {
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
}

/**
 * Logs each device's problems for the installer reading journald: a warning when a device starts
 * failing in a new way (unplugged, cannot open, write failed), not one per retry. A display that
 * fails every frame, or a scanner retried every two seconds while unplugged, is one line until
 * it fails differently. The device's own problem stream keeps the details for the status page.
 */
export class DeviceProblemLog {
  /** The code last logged per device. */
  private readonly last = new Map<DeviceKind, string>();

  constructor(private readonly logger: Logger) {}

  attach(port: ReportsProblems): Unsubscribe {
    return port.onProblem((problem) => this.record(problem));
  }

  record(problem: DeviceError): void {
    const { device, code } = problem;
    if (this.last.get(device) === code) return;
    this.last.set(device, code);
    this.logger.warn({ device, code, retryable: problem.retryable, err: problem }, `${device}: ${code}`);
  }
}
