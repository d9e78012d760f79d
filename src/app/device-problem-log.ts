import type { Logger } from 'pino';
import type { DeviceError, DeviceKind } from '../devices/device-error.js';
import { Listeners, type Unsubscribe } from '../platform/listeners.js';
import type { PaperState, SpoolerStatus } from '../printing/print-failures.js';

/** A device that reports its failures (scanner, keypad, display, buzzer). */
export interface ReportsProblems {
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
  /** Where the device says it works again (the scanner's `connected`, the buzzer's `ok`). */
  onState?(listener: (state: string) => void): Unsubscribe;
}

/** What the print spooler says of the printer (PrintSpooler.onStatus). */
export interface ReportsPrinterStatus {
  onStatus(listener: (status: SpoolerStatus) => void): Unsubscribe;
}

/** One device as the log last saw it: up, or down with the code of its problem. */
export interface DeviceHealth {
  readonly device: DeviceKind;
  readonly up: boolean;
  /** The problem's code while down. */
  readonly code?: string;
}

/** Device states that mean it works again. */
const WORKING_STATES = new Set(['connected', 'ok']);

/**
 * Logs each device's problems for the installer reading journald: a warning when a device starts
 * failing in a new way (unplugged, cannot open, write failed, paper out), not one per retry, and
 * one info line when it works again. A display that fails every frame, or a scanner retried every
 * two seconds while unplugged, is one line until it fails differently. The printer's lines name
 * it (its transport and path) and come from the print spooler's status: a failed job, a job held
 * for paper, the paper near its end.
 *
 * Read-only views for a dashboard or metrics: `health()` (each device seen, up or down with its
 * code), `paper()` (what the printer last said of its paper) and `onChange` (called after every
 * change of either).
 */
export class DeviceProblemLog {
  /** The code last logged per device; absent while it works. */
  private readonly last = new Map<DeviceKind, string>();
  private readonly seen = new Set<DeviceKind>();
  private paperState: PaperState | undefined;
  private readonly changes = new Listeners<DeviceHealth>();

  constructor(private readonly logger: Logger) {}

  attach(port: ReportsProblems): Unsubscribe {
    const offProblem = port.onProblem((problem) => this.record(problem));
    let kind: DeviceKind | undefined;
    const offProblemKind = port.onProblem((problem) => (kind = problem.device));
    const offState = port.onState?.((state) => {
      if (kind !== undefined && WORKING_STATES.has(state)) this.recovered(kind);
    });
    return () => {
      offProblem();
      offProblemKind();
      offState?.();
    };
  }

  /** Follows the printer through the spooler's status; `printer` names it in every line (its description). */
  attachPrinter(spooler: ReportsPrinterStatus, printer: string): Unsubscribe {
    this.seen.add('printer');
    return spooler.onStatus((status) => {
      const paperChanged = status.paper !== this.paperState;
      this.paperState = status.paper;
      if (status.state === 'error') {
        this.problem('printer', status.code ?? 'printer_error', { printer, held: status.held === true, jobId: status.jobId });
        return;
      }
      const wasDown = this.last.has('printer');
      this.recovered('printer', { printer });
      if (status.paper === 'near_end' && (paperChanged || wasDown)) {
        this.logger.warn({ device: 'printer', printer, code: 'printer_paper_near_end' }, 'printer: printer_paper_near_end');
      }
      if (paperChanged && !wasDown) this.changes.emit(this.healthOf('printer'));
    });
  }

  record(problem: DeviceError): void {
    // One short line for the owner (a missing serial device is retried for ever): its code and
    // what the device said, no stack (the error and its cause chain are at debug).
    this.logger.debug({ err: problem, device: problem.device }, 'device problem');
    this.problem(problem.device, problem.code, { retryable: problem.retryable, reason: problem.message });
  }

  /** Every device seen so far, up or down. */
  health(): DeviceHealth[] {
    return [...this.seen].map((device) => this.healthOf(device));
  }

  /** What the printer last said of its paper; undefined before it was asked. */
  paper(): PaperState | undefined {
    return this.paperState;
  }

  /** Called with a device's health after each change of it (and after each change of the paper). */
  onChange(listener: (health: DeviceHealth) => void): Unsubscribe {
    return this.changes.add(listener);
  }

  private problem(device: DeviceKind, code: string, fields: Record<string, unknown>): void {
    this.seen.add(device);
    if (this.last.get(device) === code) return;
    this.last.set(device, code);
    this.logger.warn({ device, code, ...fields }, `${device}: ${code}`);
    this.changes.emit(this.healthOf(device));
  }

  private recovered(device: DeviceKind, fields: Record<string, unknown> = {}): void {
    this.seen.add(device);
    const code = this.last.get(device);
    if (code === undefined) return;
    this.last.delete(device);
    this.logger.info({ device, recoveredFrom: code, ...fields }, `${device}: working again`);
    this.changes.emit(this.healthOf(device));
  }

  private healthOf(device: DeviceKind): DeviceHealth {
    const code = this.last.get(device);
    return code === undefined ? { device, up: true } : { device, up: false, code };
  }
}
