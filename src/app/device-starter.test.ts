import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { FakeClock } from '../platform/fake-clock.js';
import { DeviceStarter } from './device-starter.js';

function device(failures: number) {
  const d = {
    attempts: 0,
    stopped: 0,
    async start(): Promise<void> {
      d.attempts += 1;
      if (d.attempts <= failures) throw new Error('missing');
    },
    async stop(): Promise<void> {
      d.stopped += 1;
    },
  };
  return d;
}

describe('DeviceStarter', () => {
  it('a device missing at start is retried with backoff and reported started later', async () => {
    const clock = new FakeClock();
    const starter = new DeviceStarter(clock, silentLogger());
    const printer = device(2);
    let started = 0;
    expect(await starter.start('printer', printer, () => void (started += 1))).toBe(false);
    expect(printer.attempts).toBe(1);
    await clock.advance(4_999);
    expect(printer.attempts).toBe(1);
    await clock.advance(1);
    expect(printer.attempts).toBe(2);
    await clock.advance(10_000);
    expect(printer.attempts).toBe(3);
    expect(started).toBe(1);
    await clock.advance(100_000);
    expect(printer.attempts).toBe(3);
    await starter.stop();
    expect(printer.stopped).toBe(1);
  });

  it('stop() ends the retries and stops only what started', async () => {
    const clock = new FakeClock();
    const starter = new DeviceStarter(clock, silentLogger());
    const display = device(0);
    const scanner = device(Infinity);
    expect(await starter.start('display', display)).toBe(true);
    expect(await starter.start('scanner', scanner)).toBe(false);
    await starter.stop();
    await clock.advance(1_000_000);
    expect(scanner.attempts).toBe(1);
    expect(display.stopped).toBe(1);
    expect(scanner.stopped).toBe(0);
  });
});
