import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import type { SerialPortLike } from '../scanner/serial-scanner.js';
import { ConsoleDisplay } from './console-display.js';
import { FakeDisplay } from './fake-display.js';
import { FileDisplay } from './file-display.js';
import { LcdCharDevDisplay } from './lcd-chardev.js';
import { SerialPoleDisplay } from './serial-pole.js';
import { fitFrame, transliterate } from '../../i18n/transliterate.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('transliterate and fit', () => {
  it('drops accents, spells the euro sign, removes controls', () => {
    expect(transliterate('Zürich café 12,99 €')).toBe('Zurich cafe 12,99 EUR');
    expect(transliterate('Łódź Straße Ærø – “ok”…')).toBe('Lodz Strasse AEro - "ok"...');
    expect(transliterate('a\u0007b\nc')).toBe('abc');
    expect(transliterate('日本')).toBe('??');
    // Lithuanian on displays without these letters.
    expect(transliterate('ąčęėįšųūž ĄČĘĖĮŠŲŪŽ „Ačiū“')).toBe('aceeisuuz ACEEISUUZ "Aciu"');
  });

  it('cuts and pads each row to the width and fills missing rows', () => {
    expect(fitFrame(['12.99 €', 'Scan the QR code please'], 2, 16, 'ascii')).toEqual(['12.99 EUR       ', 'Scan the QR code']);
    expect(fitFrame([], 2, 4, 'ascii')).toEqual(['    ', '    ']);
    expect(fitFrame(['a', 'b', 'c'], 2, 2, 'unicode')).toEqual(['a ', 'b ']);
    expect(fitFrame(['12.99 €'], 1, 8, 'unicode')).toEqual(['12.99 € ']);
  });
});

describe('SerialPoleDisplay exact bytes (binding-mock)', () => {
  let ports: SerialPortMock[];
  const opener = ({ path, baudRate }: { path: string; baudRate: number }): SerialPortLike => {
    const port = new SerialPortMock({ path, baudRate, autoOpen: false });
    ports.push(port);
    return port as unknown as SerialPortLike;
  };

  beforeEach(() => {
    SerialPortMock.binding.reset();
    SerialPortMock.binding.createPort('/dev/ttyUSB0', { record: true });
    ports = [];
  });

  it('epson: init, then US $ 1 row + padded text per row, then clear on stop', async () => {
    const display = new SerialPoleDisplay({ path: '/dev/ttyUSB0', baudRate: 9600, commandSet: 'epson', columns: 20, openPort: opener });
    await display.start();
    await display.show(['Total 12.99 €', 'Merci, café!']);
    const recording = Buffer.from(ports[0]!.port!.recording);
    const expected = Buffer.concat([
      Buffer.from([0x1b, 0x40, 0x0c, 0x1f, 0x43, 0x00]),
      Buffer.from([0x1f, 0x24, 0x01, 0x01]),
      Buffer.from('Total 12.99 EUR     ', 'ascii'),
      Buffer.from([0x1f, 0x24, 0x01, 0x02]),
      Buffer.from('Merci, cafe!        ', 'ascii'),
    ]);
    expect(hex(recording)).toBe(hex(expected));
    await display.stop();
    expect(hex(Buffer.from(ports[0]!.port?.recording ?? Buffer.alloc(0)))).toBe(hex(Buffer.concat([expected, Buffer.from([0x0c])])));
  });

  it('cd5220: ESC Q A line CR, ESC Q B line CR', async () => {
    const display = new SerialPoleDisplay({ path: '/dev/ttyUSB0', baudRate: 9600, commandSet: 'cd5220', columns: 20, openPort: opener });
    await display.start();
    await display.show(['TABLE 4', '8.50 EUR']);
    expect(hex(Buffer.from(ports[0]!.port!.recording))).toBe(
      hex(
        Buffer.concat([
          Buffer.from([0x1b, 0x40, 0x0c, 0x1b, 0x5f, 0x00]),
          Buffer.from([0x1b, 0x51, 0x41]),
          Buffer.from('TABLE 4             '),
          Buffer.from([0x0d, 0x1b, 0x51, 0x42]),
          Buffer.from('8.50 EUR            '),
          Buffer.from([0x0d]),
        ]),
      ),
    );
    await display.stop();
  });

  it('does not rewrite an unchanged frame, and refuses 4 rows on cd5220', async () => {
    const display = new SerialPoleDisplay({ path: '/dev/ttyUSB0', baudRate: 9600, commandSet: 'epson', columns: 20, openPort: opener });
    await display.start();
    await display.show(['A']);
    const length = ports[0]!.port!.recording.length;
    await display.show(['A', '']);
    expect(ports[0]!.port!.recording.length).toBe(length);
    await display.stop();
    const big = new SerialPoleDisplay({ path: '/dev/ttyUSB0', baudRate: 9600, commandSet: 'cd5220', columns: 20, rows: 4, openPort: opener });
    await expect(big.start()).rejects.toMatchObject({ code: 'display_config_invalid' });
  });

  it('a missing device is reported, not thrown; after replug the next show re-initialises', async () => {
    SerialPortMock.binding.reset();
    const display = new SerialPoleDisplay({ path: '/dev/ttyUSB0', baudRate: 9600, commandSet: 'epson', columns: 20, openPort: opener });
    const problems: string[] = [];
    display.onProblem((p) => problems.push(p.code));
    await display.start();
    await display.show(['Hello']);
    expect(problems).toEqual(['display_open_failed', 'display_open_failed']);
    SerialPortMock.binding.createPort('/dev/ttyUSB0', { record: true });
    await display.show(['Hello']);
    const last = ports[ports.length - 1]!;
    expect(hex(Buffer.from(last.port!.recording)).startsWith('1b400c1f4300' + '1f240101' + hex(Buffer.from('Hello')))).toBe(true);
    await display.stop();
  });
});

describe('LcdCharDevDisplay', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'counterpay-lcd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes charlcd escapes and padded rows to the device file', async () => {
    const path = join(dir, 'lcd');
    writeFileSync(path, '');
    const display = new LcdCharDevDisplay({ path, columns: 16 });
    await display.start();
    await display.show(['Paid 12.99 €', 'Danke schön']);
    await display.stop();
    expect(readFileSync(path, 'latin1')).toBe('\x1b[LI\f\x1b[Lc\x1b[Lb' + '\x1b[Lx0y0;Paid 12.99 EUR  ' + '\x1b[Lx0y1;Danke schon     ' + '\f');
  });

  it('reports a missing device instead of throwing', async () => {
    const display = new LcdCharDevDisplay({ path: join(dir, 'missing', 'lcd'), columns: 16 });
    const problems: string[] = [];
    display.onProblem((p) => problems.push(p.code));
    await display.start();
    await display.show(['x']);
    expect(problems).toEqual(['display_open_failed', 'display_open_failed']);
  });
});

describe('ConsoleDisplay and FileDisplay', () => {
  it('draws a framed 2-line display on the injected stream', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const display = new ConsoleDisplay({ output: out, columns: 10 });
    await display.start();
    await display.show(['12.99 €', 'Pay now please']);
    expect(text).toBe('+----------+\n|12.99 EUR |\n|Pay now pl|\n+----------+\n');
  });

  it('appends one JSON line per frame with the wall time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterpay-frames-'));
    const path = join(dir, 'frames.jsonl');
    const clock = new FakeClock({ wallMs: Date.UTC(2026, 0, 2, 3, 4, 5) });
    const display = new FileDisplay({ path, clock, columns: 16 });
    await display.start();
    await display.show(['Table 4', '12.99 €']);
    await display.show(['Table 4', '12.99 €']); // unchanged: not written again
    await clock.advance(1000);
    await display.show(['PAID']);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { ts: '2026-01-02T03:04:05.000Z', lines: ['Table 4', '12.99 EUR'] },
      { ts: '2026-01-02T03:04:06.000Z', lines: ['PAID', ''] },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('FakeDisplay and the shared frame behaviour', () => {
  it('keeps order, lets the latest frame win, and rewrites after a failure', async () => {
    const display = new FakeDisplay({ columns: 8 });
    const problems: string[] = [];
    display.onProblem((p) => problems.push(p.code));
    await display.start();
    const a = display.show(['one']);
    void display.show(['two']);
    const c = display.show(['three']);
    await Promise.all([a, c]);
    // 'two' was superseded while 'one' was being written.
    expect(display.frames.map((f) => f[0]!.trim())).toEqual(['one', 'three']);

    display.failNext();
    await display.show(['four']);
    expect(problems).toEqual(['display_write_failed']);
    await display.show(['four']); // same frame again: rewritten because the last write failed
    expect(display.lastText()).toEqual(['four', '']);
  });
});
