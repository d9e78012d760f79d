import { describe, expect, it } from 'vitest';
import { createLineReader, hasControlChars, sanitizeLine } from './line-sanitizer.js';
import { ScanEmitter } from './scan-emitter.js';
import { FakeClock } from '../../platform/fake-clock.js';
import { SeededRandom } from '../../platform/random.js';
import type { Scan } from './scanner-port.js';
import type { DeviceError } from '../device-error.js';

/** Runs bytes through the same reader + emitter pipeline the adapters use. */
async function feed(chunks: (string | Buffer)[], maxLineBytes = 64): Promise<{ scans: string[]; problems: string[] }> {
  const emitter = new ScanEmitter(new FakeClock(), { locationId: 3 }, maxLineBytes);
  const scans: string[] = [];
  const problems: string[] = [];
  emitter.scans.add((s: Scan) => scans.push(s.text));
  emitter.problems.add((p: DeviceError) => problems.push(p.code));
  const reader = createLineReader(maxLineBytes, (bytes) => emitter.line(bytes));
  for (const chunk of chunks) reader.input.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  await new Promise((resolve) => setImmediate(resolve));
  reader.destroy();
  return { scans, problems };
}

describe('line reader', () => {
  it('ends lines on CR, LF and CRLF, and joins split chunks', async () => {
    const { scans, problems } = await feed(['A1\r', 'B2\n', 'C3\r\n', '40063', '81333931\r\n', '\r\n\n']);
    expect(scans).toEqual(['A1', 'B2', 'C3', '4006381333931']);
    expect(problems).toEqual([]);
  });

  it('discards an overlong line, reports it once, and reads the next line', async () => {
    const { scans, problems } = await feed(['x'.repeat(30), 'y'.repeat(100), '\r\nOK\r\n'], 64);
    expect(scans).toEqual(['OK']);
    expect(problems).toEqual(['scanner_line_too_long']);
  });

  it('accepts a line of exactly the limit', async () => {
    const { scans } = await feed([`${'z'.repeat(64)}\r`], 64);
    expect(scans).toEqual(['z'.repeat(64)]);
  });

  it('survives a megabyte without a newline with one report and bounded memory', async () => {
    const emitterLines: number[] = [];
    const reader = createLineReader(512, (bytes) => emitterLines.push(bytes.length));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 16; i++) reader.input.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
    // One overlong line (limit + 1 bytes) was cut at once; nothing else is buffered.
    expect(emitterLines).toEqual([513]);
    reader.input.write(Buffer.from('\rPAYSERA*3:T1\r'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitterLines).toEqual([513, 12]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
    reader.destroy();
  });

  it('rejects invalid UTF-8 and control characters, keeps valid UTF-8', async () => {
    const { scans, problems } = await feed([Buffer.from([0x41, 0xff, 0x42, 0x0d]), 'A\u0007B\r', 'A\tB\r', 'Zürich\r', Buffer.from([0xef, 0xbb, 0xbf, 0x51, 0x0d])]);
    expect(scans).toEqual(['Zürich', 'Q']);
    expect(problems).toEqual(['scanner_invalid_utf8', 'scanner_control_chars', 'scanner_control_chars']);
  });

  it('never throws on random bytes (fuzz)', async () => {
    const random = new SeededRandom(7);
    const chunks: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(random.next() * 200);
      chunks.push(Buffer.from(Array.from({ length: len }, () => Math.floor(random.next() * 256))));
    }
    const { scans, problems } = await feed(chunks, 64);
    for (const s of scans) {
      expect(hasControlChars(s)).toBe(false);
      expect(s).not.toContain('\ufffd');
      expect(Buffer.byteLength(s)).toBeLessThanOrEqual(64);
    }
    expect(problems.length).toBeGreaterThan(0);
  });

  it('sanitizeLine trims scanner whitespace', () => {
    expect(sanitizeLine(Buffer.from('  PAYSERA*3:T1 '), 64)).toEqual({ ok: true, text: 'PAYSERA*3:T1' });
  });
});
