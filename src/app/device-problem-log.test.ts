import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../devices/device-error.js';
import { FakeScanner } from '../devices/scanner/fake-scanner.js';
import { createLogger } from '../log/logger.js';
import { FakeClock } from '../platform/fake-clock.js';
import type { SpoolerStatus } from '../printing/print-failures.js';
import { DeviceProblemLog, type DeviceHealth } from './device-problem-log.js';

function logged(): { log: DeviceProblemLog; lines: () => Array<Record<string, unknown>> } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const log = new DeviceProblemLog(createLogger({ level: 'info', destination: out, pretty: false }));
  const lines = (): Array<Record<string, unknown>> =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DeviceProblemLog', () => {
  it('an unplugged scanner is one warning naming the device and the code', async () => {
    const { log, lines } = logged();
    const scanner = new FakeScanner(new FakeClock(), { locationId: 3 });
    log.attach(scanner);
    await scanner.start();
    scanner.unplug();
    await tick();
    expect(lines()).toEqual([expect.objectContaining({ level: 40, device: 'scanner', code: 'scanner_disconnected', msg: 'scanner: scanner_disconnected' })]);
  });

  it('a device that cannot be opened is one short line: its code and what it said, no stack, its cause not repeated', () => {
    const { log, lines } = logged();
    const cause = new Error('Error: No such file or directory, cannot open /dev/ttyNOPE');
    log.record(new DeviceError('scanner', 'scanner_open_failed', `cannot open scanner /dev/ttyNOPE: ${cause.message}`, { cause, retryable: true }));
    const [line] = lines();
    expect(line).toMatchObject({ level: 40, device: 'scanner', code: 'scanner_open_failed', reason: 'cannot open scanner /dev/ttyNOPE: Error: No such file or directory, cannot open /dev/ttyNOPE' });
    expect(JSON.stringify(line)).not.toContain('stack');
    expect(lines()).toHaveLength(1);
  });

  it('the same failure again is not logged again; a different one is, per device', () => {
    const { log, lines } = logged();
    const failed = (device: 'display' | 'scanner', code: string): DeviceError => new DeviceError(device, code, `${code} happened`, { retryable: true });
    for (let i = 0; i < 5; i++) log.record(failed('display', 'display_write_failed'));
    log.record(failed('scanner', 'scanner_open_failed'));
    log.record(failed('display', 'display_open_failed'));
    log.record(failed('display', 'display_write_failed'));
    expect(lines().map((l) => `${String(l['device'])} ${String(l['code'])}`)).toEqual([
      'display display_write_failed',
      'scanner scanner_open_failed',
      'display display_open_failed',
      'display display_write_failed',
    ]);
  });

  it('a scanner that works again is one info line; the health view follows', async () => {
    const { log, lines } = logged();
    const scanner = new FakeScanner(new FakeClock(), { locationId: 3 });
    const changes: DeviceHealth[] = [];
    log.attach(scanner);
    log.onChange((h) => changes.push(h));
    await scanner.start();
    for (let i = 0; i < 3; i++) {
      scanner.unplug();
      scanner.replug();
    }
    await tick();
    expect(lines().map((l) => [l['level'], l['msg']])).toEqual([
      [40, 'scanner: scanner_disconnected'],
      [30, 'scanner: working again'],
      [40, 'scanner: scanner_disconnected'],
      [30, 'scanner: working again'],
      [40, 'scanner: scanner_disconnected'],
      [30, 'scanner: working again'],
    ]);
    expect(log.health()).toEqual([{ device: 'scanner', up: true }]);
    expect(changes[0]).toEqual({ device: 'scanner', up: false, code: 'scanner_disconnected' });
  });

  it('printer: paper out once with its code and name however often the status repeats, near end a warning, the recovery one line', () => {
    const { log, lines } = logged();
    const listeners: ((s: SpoolerStatus) => void)[] = [];
    const spooler = { onStatus: (l: (s: SpoolerStatus) => void) => (listeners.push(l), () => undefined) };
    log.attachPrinter(spooler, 'tcp 127.0.0.1:9100');
    const say = (s: SpoolerStatus): void => listeners.forEach((l) => l(s));
    say({ state: 'ok', paper: 'ok', printed: false });
    say({ state: 'error', code: 'printer_paper_out', held: true, paper: 'out' });
    say({ state: 'error', code: 'printer_paper_out', held: true, paper: 'out' });
    expect(log.health()).toEqual([{ device: 'printer', up: false, code: 'printer_paper_out' }]);
    expect(log.paper()).toBe('out');
    say({ state: 'ok', paper: 'near_end', printed: true });
    say({ state: 'ok', paper: 'near_end', printed: true });
    say({ state: 'error', code: 'printer_offline', jobId: 'job_1', paper: 'not_checked' });
    expect(lines().map((l) => [l['level'], l['msg'], l['printer'], l['code'] ?? l['recoveredFrom']])).toEqual([
      [40, 'printer: printer_paper_out', 'tcp 127.0.0.1:9100', 'printer_paper_out'],
      [30, 'printer: working again', 'tcp 127.0.0.1:9100', 'printer_paper_out'],
      [40, 'printer: printer_paper_near_end', 'tcp 127.0.0.1:9100', 'printer_paper_near_end'],
      [40, 'printer: printer_offline', 'tcp 127.0.0.1:9100', 'printer_offline'],
    ]);
  });
});
