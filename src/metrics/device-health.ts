import type { BuzzerPort } from '../devices/buzzer/buzzer-port.js';
import type { DeviceError, DeviceKind } from '../devices/device-error.js';
import type { ScannerPort } from '../devices/scanner/scanner-port.js';
import type { Clock } from '../platform/clock.js';
import type { Unsubscribe } from '../platform/listeners.js';
import type { SpoolerStatus } from '../printing/print-failures.js';
import type { MetricFamily, Sample } from './exposition.js';

/** What DeviceStarter starts (and this tracker wraps to learn that a device is up). */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface ReportsProblems {
  onProblem(listener: (problem: DeviceError) => void): Unsubscribe;
}

/**
 * A display or keypad that has reported a problem counts as down this long after its last one.
 * Neither port announces a recovery: a display retries on its next frame and reports each frame
 * that fails (the idle screen's clock draws one a minute), so a display that stays broken keeps
 * reporting and stays down, and one that works again stops reporting and comes back up.
 */
export const PROBLEM_HOLD_MS = 5 * 60_000;

interface Tracked {
  started: boolean;
  lastProblemMonoMs: number | undefined;
}

/**
 * `counterpay_device_up{device}`, `counterpay_printer_paper_out` and `_near_end`: each configured device as
 * up (1) or down (0), from what the devices and the print spooler already say, read at scrape:
 * - every device is down until it has started (DeviceStarter keeps retrying one that is missing);
 * - the scanner is up while connected, the buzzer while its last write worked (their own states);
 * - the printer is up while the spooler's status is ok and no job is held (a failed job, paper
 *   out, cover open, offline: down);
 * - the display and the keypad are down while they have reported a problem in the last
 *   PROBLEM_HOLD_MS (they have no state of their own).
 * A device the config does not have (scanner or buzzer `none`) has no series at all.
 */
export class DeviceHealth {
  private readonly devices = new Map<DeviceKind, Tracked>();
  private scanner: ScannerPort | undefined;
  private buzzer: BuzzerPort | undefined;
  private printerStatus: (() => SpoolerStatus) | undefined;
  private readonly unsubscribers: Unsubscribe[] = [];

  constructor(private readonly clock: Clock) {}

  /**
   * Registers a configured device and returns it wrapped, so that its start (first attempt or a
   * retry) marks it started; hand the wrapper to DeviceStarter instead of the port.
   */
  track<T extends Startable>(kind: DeviceKind, port: T): Startable {
    const entry: Tracked = { started: false, lastProblemMonoMs: undefined };
    this.devices.set(kind, entry);
    if (kind === 'scanner') this.scanner = port as unknown as ScannerPort;
    if (kind === 'buzzer') this.buzzer = port as unknown as BuzzerPort;
    if (kind === 'display' || kind === 'keypad') {
      const reporter = port as unknown as Partial<ReportsProblems>;
      if (typeof reporter.onProblem === 'function') {
        this.unsubscribers.push(reporter.onProblem.call(port, () => (entry.lastProblemMonoMs = this.clock.monoMs())));
      }
    }
    return {
      start: async () => {
        await port.start();
        entry.started = true;
      },
      stop: async () => {
        entry.started = false;
        await port.stop();
      },
    };
  }

  /** The print spooler's status: the printer's up/down and paper state. */
  watchPrinter(status: () => SpoolerStatus): void {
    this.printerStatus = status;
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  families(): MetricFamily[] {
    const up: Sample[] = [];
    for (const [device, entry] of this.devices) up.push({ labels: { device }, value: this.isUp(device, entry) ? 1 : 0 });
    const families: MetricFamily[] = [{ name: 'counterpay_device_up', help: 'Whether each configured device works (1) or not (0).', type: 'gauge', samples: up }];
    const status = this.printerStatus?.();
    if (this.devices.has('printer') && status !== undefined) {
      // Paper as the printer last said (asked before each job, where the transport can read its
      // answer), or as a failed job's code said; a printer that cannot be asked reads 0.
      const out = status.paper === 'out' || (status.state === 'error' && (status.code ?? '').endsWith('printer_paper_out'));
      families.push(
        { name: 'counterpay_printer_paper_out', help: 'Whether the printer reported paper out (1); 0 otherwise, including printers that cannot tell.', type: 'gauge', samples: [{ value: out ? 1 : 0 }] },
        { name: 'counterpay_printer_paper_near_end', help: 'Whether the printer reported its paper near its end (1); 0 otherwise, including printers that cannot tell.', type: 'gauge', samples: [{ value: status.paper === 'near_end' ? 1 : 0 }] },
      );
    }
    return families;
  }

  private isUp(device: DeviceKind, entry: Tracked): boolean {
    if (!entry.started) return false;
    switch (device) {
      case 'scanner':
        return this.scanner?.state() === 'connected';
      case 'buzzer':
        return this.buzzer?.state() === 'ok';
      case 'printer': {
        // Held: jobs wait because the printer said it cannot print (paper out, cover open).
        const status = this.printerStatus?.();
        return status === undefined || (status.state === 'ok' && status.held !== true);
      }
      default:
        return entry.lastProblemMonoMs === undefined || this.clock.monoMs() - entry.lastProblemMonoMs > PROBLEM_HOLD_MS;
    }
  }
}
