import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPos, renderPng } from '../../src/printing/escpos/escpos-decoder.js';
import { jsQR } from '../support/qr/jsqr.js';
import { runCli } from '../support/cli-run.js';
import { PROCESS_TEST_MS } from '../support/wait-for.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'counterpay-print-tables-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(printer: Record<string, unknown> = {}, tables: unknown[] = ['TABLE1', { id: 'T-TERRACE', name: 'Terrace' }]): string {
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({
      paysera: { macId: 'wkVd93h2uS', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3, tables },
      devices: { printer: { interface: `file:${join(dir, 'printed')}`, venue: { name: 'Cafe Vilnius' }, ...printer } },
    }),
  );
  return path;
}

function qrOfPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}

describe('counterpay print-tables', { timeout: PROCESS_TEST_MS }, () => {
  it('--out writes a .bin and a .png per table; the PNG QR decodes to PAYSERA*{locationId}:{id}', async () => {
    const out = join(dir, 'cards');
    const { code, out: stdout, err } = await runCli(['print-tables', '--config', config(), '--out', out]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['table-T-TERRACE.bin', 'table-T-TERRACE.png', 'table-TABLE1.bin', 'table-TABLE1.png']);
    expect(qrOfPng(readFileSync(join(out, 'table-TABLE1.png')))).toBe('PAYSERA*3:TABLE1');
    expect(qrOfPng(readFileSync(join(out, 'table-T-TERRACE.png')))).toBe('PAYSERA*3:T-TERRACE');
    const doc = decodeEscPos(readFileSync(join(out, 'table-T-TERRACE.bin')));
    expect(doc.unknown).toEqual([]);
    expect(doc.lines.map((l) => l.trim()).filter(Boolean)).toEqual(['Cafe Vilnius', 'Terrace', 'Scan with the Paysera app to pay']);
    expect(stdout).toContain('Terrace  PAYSERA*3:T-TERRACE');
  });

  it('prints to the configured printer (file:DIR here), only the --tables asked for, any case', async () => {
    const { code, out } = await runCli(['print-tables', '--config', config(), '--tables', 't-terrace']);
    expect(code).toBe(0);
    expect(out.trim()).toBe('printed Terrace  PAYSERA*3:T-TERRACE');
    const printed = join(dir, 'printed');
    expect(readdirSync(printed)).toEqual(['000001-table-card.bin']);
    const png = renderPng(decodeEscPos(readFileSync(join(printed, '000001-table-card.bin'))), { widthDots: 576 });
    expect(qrOfPng(png)).toBe('PAYSERA*3:T-TERRACE');
  });

  it('native QR mode: the bytes carry GS ( k, and the preview still decodes', async () => {
    const out = join(dir, 'cards');
    expect((await runCli(['print-tables', '--config', config({ qr: 'native', width: 32 }), '--out', out, '--tables', 'TABLE1'])).code).toBe(0);
    expect(decodeEscPos(readFileSync(join(out, 'table-TABLE1.bin'))).qrPayloads).toEqual(['PAYSERA*3:TABLE1']);
    expect(qrOfPng(readFileSync(join(out, 'table-TABLE1.png')))).toBe('PAYSERA*3:TABLE1');
  });

  it('an unknown table is a usage error naming the configured ones; no tables is a config error', async () => {
    const unknown = await runCli(['print-tables', '--config', config(), '--tables', 'TABLE9']);
    expect(unknown.code).toBe(64);
    expect(unknown.err).toContain('unknown table TABLE9; configured: TABLE1, T-TERRACE');
    const none = await runCli(['print-tables', '--config', config({}, [])]);
    expect(none.code).toBe(78);
    expect(none.err).toContain('paysera.tables: no tables configured');
  });

  it('a printer error is one line with its code and the tables not printed', async () => {
    const { code, err } = await runCli(['print-tables', '--config', config({ interface: 'tcp://127.0.0.1:1' })]);
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/\[printer_offline\]; not printed: TABLE1, T-TERRACE/);
  });

  it('warns when no venue is configured, and has help', async () => {
    const path = config({ venue: undefined });
    const { code, err } = await runCli(['print-tables', '--config', path, '--out', join(dir, 'cards')]);
    expect(code).toBe(0);
    expect(err).toContain('devices.printer.venue is not set');
    const help = await runCli(['print-tables', '--help']);
    expect(help.out).toContain('--tables A,B');
  });
});
