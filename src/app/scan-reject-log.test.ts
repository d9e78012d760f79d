import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeScanner } from '../devices/scanner/fake-scanner.js';
import { createLogger } from '../log/logger.js';
import { FakeClock } from '../platform/fake-clock.js';
import { ScanRejectLog } from './scan-reject-log.js';

/** The scanner's rejects through the log, read back as JSON lines. */
async function setup(): Promise<{ clock: FakeClock; scanner: FakeScanner; lines: () => Array<Record<string, unknown>>; raw: () => string }> {
  const clock = new FakeClock();
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const logger = createLogger({ level: 'info', destination: out, pretty: false });
  const scanner = new FakeScanner(clock, { locationId: 3 });
  new ScanRejectLog(clock, logger).attach(scanner);
  await scanner.start();
  return {
    clock,
    scanner,
    raw: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ScanRejectLog: each reject kind once a minute, with kind and length, never content', () => {
  it('a 1 MB line: one warning with its length; none of its bytes in the log', async () => {
    const { scanner, lines, raw } = await setup();
    scanner.scan(Buffer.alloc(1024 * 1024, 0x37));
    await tick();
    expect(lines()).toEqual([expect.objectContaining({ level: 40, kind: 'too_long', lengthBytes: 1024 * 1024, suppressed: 0, msg: 'scanner: line rejected, not a scan' })]);
    expect(raw()).not.toContain('7777');
  });

  it('NUL, ANSI and invalid UTF-8 are logged as their kinds; a customer code inside junk never reaches the log', async () => {
    const { scanner, lines, raw } = await setup();
    scanner.scan(Buffer.from('0155567464130298871198969060\u0000'));
    scanner.scan('\u001b[31m0155567464130298871198969060');
    scanner.scan(Buffer.from([0x41, 0xff]));
    await tick();
    expect(lines().map((l) => [l['kind'], l['lengthBytes']])).toEqual([
      ['control_chars', 29],
      ['ansi_escape', 33],
      ['invalid_utf8', 2],
    ]);
    expect(raw()).not.toContain('0155567464130298871198969060');
  });

  it('a flood: one line per kind per minute on the clock, the rest counted into the next line', async () => {
    const { clock, scanner, lines } = await setup();
    for (let i = 0; i < 100; i++) scanner.scan(Buffer.from([0x31, 0x00]));
    scanner.scan(Buffer.from([0xff]));
    await tick();
    expect(lines().map((l) => l['kind'])).toEqual(['control_chars', 'invalid_utf8']);
    await clock.advance(59_000);
    scanner.scan(Buffer.from([0x31, 0x00]));
    expect(lines()).toHaveLength(2);
    await clock.advance(1_000);
    scanner.scan(Buffer.from([0x31, 0x32, 0x00]));
    await tick();
    expect(lines()).toHaveLength(3);
    expect(lines()[2]).toMatchObject({ kind: 'control_chars', lengthBytes: 3, suppressed: 100 });
  });
});
