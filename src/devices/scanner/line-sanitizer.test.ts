import { describe, expect, it } from 'vitest';
import { createLineReader, hasControlChars, sanitizeLine } from './line-sanitizer.js';
import { ScanEmitter } from './scan-emitter.js';
import { FakeClock } from '../../platform/fake-clock.js';
import { SeededRandom } from '../../platform/random.js';
import type { Scan, ScanReject } from './scanner-port.js';

/** Runs bytes through the same reader + emitter pipeline the adapters use. */
async function feed(chunks: (string | Buffer)[], maxLineBytes = 64): Promise<{ scans: string[]; rejects: string[] }> {
  const emitter = new ScanEmitter(new FakeClock(), { locationId: 3 }, maxLineBytes);
  const scans: string[] = [];
  const rejects: string[] = [];
  emitter.scans.add((s: Scan) => scans.push(s.text));
  emitter.rejects.add((r: ScanReject) => rejects.push(`${r.kind}:${r.lengthBytes}`));
  const reader = emitter.lineReader();
  for (const chunk of chunks) reader.input.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  await new Promise((resolve) => setImmediate(resolve));
  reader.destroy();
  return { scans, rejects };
}

describe('line reader', () => {
  it('ends lines on CR, LF and CRLF, and joins split chunks', async () => {
    const { scans, rejects } = await feed(['A1\r', 'B2\n', 'C3\r\n', '40063', '81333931\r\n', '\r\n\n']);
    expect(scans).toEqual(['A1', 'B2', 'C3', '4006381333931']);
    expect(rejects).toEqual([]);
  });

  it('discards an overlong line, reports it once with its whole length, and reads the next line', async () => {
    const { scans, rejects } = await feed(['x'.repeat(30), 'y'.repeat(100), '\r\nOK\r\n'], 64);
    expect(scans).toEqual(['OK']);
    expect(rejects).toEqual(['too_long:130']);
  });

  it('accepts a line of exactly the limit', async () => {
    const { scans } = await feed([`${'z'.repeat(64)}\r`], 64);
    expect(scans).toEqual(['z'.repeat(64)]);
  });

  it('a 1 MB line: one reject with its length when it ends, nothing of it kept meanwhile, and the next line is read', async () => {
    const lines: number[] = [];
    const overlong: number[] = [];
    const reader = createLineReader(512, (bytes) => lines.push(bytes.length), (length) => overlong.push(length));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 16; i++) reader.input.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing delivered yet, and nothing buffered but the parser's bounded prefix.
    expect(lines).toEqual([]);
    expect(overlong).toEqual([]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
    reader.input.write(Buffer.from('\rPAYSERA*3:T1\r'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(overlong).toEqual([1024 * 1024]);
    expect(lines).toEqual([12]);
    reader.destroy();
  });

  it('rejects invalid UTF-8, control characters (NUL too) and ANSI sequences by kind and length; keeps valid UTF-8', async () => {
    const { scans, rejects } = await feed([
      Buffer.from([0x41, 0xff, 0x42, 0x0d]),
      'A\u0007B\r',
      'A\tB\r',
      Buffer.from([0x31, 0x00, 0x32, 0x0d]),
      '\u001b[31mPAYSERA*3:T1\u001b[0m\r',
      'Zürich\r',
      Buffer.from([0xef, 0xbb, 0xbf, 0x51, 0x0d]),
    ]);
    expect(scans).toEqual(['Zürich', 'Q']);
    expect(rejects).toEqual(['invalid_utf8:3', 'control_chars:3', 'control_chars:3', 'control_chars:3', 'ansi_escape:21']);
  });

  it('never throws on random bytes (fuzz)', async () => {
    const random = new SeededRandom(7);
    const chunks: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(random.next() * 200);
      chunks.push(Buffer.from(Array.from({ length: len }, () => Math.floor(random.next() * 256))));
    }
    const { scans, rejects } = await feed(chunks, 64);
    for (const s of scans) {
      expect(hasControlChars(s)).toBe(false);
      expect(s).not.toContain('\ufffd');
      expect(Buffer.byteLength(s)).toBeLessThanOrEqual(64);
    }
    expect(rejects.length).toBeGreaterThan(0);
  });

  it('sanitizeLine trims scanner whitespace', () => {
    expect(sanitizeLine(Buffer.from('  PAYSERA*3:T1 '), 64)).toEqual({ ok: true, text: 'PAYSERA*3:T1' });
  });
});
