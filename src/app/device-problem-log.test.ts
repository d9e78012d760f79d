import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../devices/device-error.js';
import { FakeScanner } from '../devices/scanner/fake-scanner.js';
import { createLogger } from '../log/logger.js';
import { FakeClock } from '../platform/fake-clock.js';
import { DeviceProblemLog } from './device-problem-log.js';

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
});
