import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsQR } from '../../test/support/qr/jsqr.js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import { hasTool, skipReason } from '../../test/support/debian-tools.js';
import type { EncoderOptions } from './escpos/escpos-document.js';
import { decodeEscPos, renderPng } from './escpos/escpos-decoder.js';
import { centrapaySlipJob, dayReportJob, saleReceiptJob, tableCardJob, type LayoutContext } from './layouts.js';
import { qrRaster, rasterBands } from './escpos/qr-raster.js';
import type { Printout } from '../devices/printer/printer-port.js';

const encoder: EncoderOptions = { type: 'epson', width: 48, codePage: 'PC858_EURO', qr: 'raster' };
const ctx: LayoutContext = { encoder, timeZone: 'UTC' };
const venue = { name: 'Café Vilnius', headerLines: ['Gedimino pr. 1'] };
const hasZbar = hasTool('zbarimg', ['--version']);

function pngOf(job: Printout): Buffer {
  const doc = decodeEscPos(job.bytes);
  expect(doc.unknown).toEqual([]);
  return renderPng(doc, { widthDots: 576 });
}

function jsqrDecode(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}

function zbarDecode(png: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'counterpay-zbar-'));
  try {
    const file = join(dir, 'page.png');
    writeFileSync(file, png);
    const result = spawnSync('zbarimg', ['--nodbus', '--quiet', '--raw', file], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    return result.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases: { name: string; job: Printout; payload: string }[] = [
  {
    name: 'table card',
    job: tableCardJob('job-1', { venue, tableName: 'Table 4', locationId: 3, identifier: 'TABLE4' }, ctx),
    payload: 'PAYSERA*3:TABLE4',
  },
  {
    name: 'centrapay slip',
    job: centrapaySlipJob(
      'job-2',
      { venue, saleId: 'S-77', url: 'https://app.centrapay.com/pay/WRhAxxWpTKb5U7pXyxQjjY', shortCode: '123-456', amount: money(1299, 'EUR'), expiresAtWallMs: Date.UTC(2026, 10, 21, 12, 2), clockSynced: true },
      ctx,
    ),
    payload: 'https://app.centrapay.com/pay/WRhAxxWpTKb5U7pXyxQjjY',
  },
];

describe('printed layouts, decoded back from the bytes', () => {
  for (const c of cases) {
    it(`${c.name}: one cut, raster bands of at most 255 rows, QR decodes with jsqr to exactly the payload`, () => {
      const doc = decodeEscPos(c.job.bytes);
      expect(doc.cuts).toBe(1);
      expect(doc.rasters).toHaveLength(1);
      // Bands: every GS v 0 header declares <= 255 rows.
      for (let i = c.job.bytes.indexOf(Buffer.from([0x1d, 0x76, 0x30])); i !== -1; i = c.job.bytes.indexOf(Buffer.from([0x1d, 0x76, 0x30]), i + 1)) {
        expect(c.job.bytes[i + 6]! + c.job.bytes[i + 7]! * 256).toBeLessThanOrEqual(255);
      }
      expect(jsqrDecode(pngOf(c.job))).toBe(c.payload);
    });

    it.skipIf(!hasZbar)(`${c.name}: QR decodes with zbarimg too${skipReason(hasZbar, 'zbarimg', 'zbar-tools')}`, () => {
      expect(zbarDecode(pngOf(c.job))).toBe(c.payload);
    });
  }

  it('table card text: venue, table name, instruction', () => {
    const doc = decodeEscPos(cases[0]!.job.bytes);
    expect(doc.lines.map((l) => l.trim()).filter(Boolean)).toEqual(['Cafe Vilnius', 'Table 4', 'Scan with the Paysera app to pay']);
  });

  it('sale receipt: amount with currency, method, table, key, and no COPY on the original', () => {
    const job = saleReceiptJob(
      'r1',
      { venue, saleId: 'S-1', method: 'paysera-table', tableName: 'Table 4', amount: money(1299, 'EUR'), paidAtWallMs: Date.UTC(2026, 10, 21, 14, 5), clockSynced: true, transactionKey: 'abc123', copy: false },
      ctx,
    );
    expect(job.kind).toBe('receipt');
    const lines = decodeEscPos(job.bytes).lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(lines).toContain('Date 2026-11-21 14:05');
    expect(lines).toContain('Table Table 4');
    expect(lines).toContain('Method Paysera (table)');
    expect(lines).toContain('Transaction abc123');
    expect(lines).toContain('TOTAL 12.99 EUR');
    expect(lines.join('\n')).not.toContain('COPY');
    expect(lines.join('\n')).not.toContain('not synced');
  });

  it('reprint says COPY; an unsynced clock is marked', () => {
    const job = saleReceiptJob('r2', { venue, saleId: 'S-2', method: 'paysera-code', amount: money(5, 'EUR'), paidAtWallMs: 0, clockSynced: false, copy: true }, ctx);
    const lines = decodeEscPos(job.bytes).lines.map((l) => l.trim());
    expect(lines.filter((l) => l === '*** COPY ***')).toHaveLength(2);
    expect(lines).toContain('(time not synced)');
    expect(lines.some((l) => /TOTAL +0\.05 EUR/.test(l))).toBe(true);
  });

  it('day report sums per currency', () => {
    const job = dayReportJob(
      'd1',
      {
        venue,
        reportId: 'd1',
        day: '2026-11-21',
        rows: [
          { method: 'paysera-table', count: 2, total: money(2500, 'EUR') },
          { method: 'centrapay', count: 1, total: money(199, 'EUR') },
        ],
        printedAtWallMs: Date.UTC(2026, 10, 21, 23, 0),
        clockSynced: true,
      },
      ctx,
    );
    const lines = decodeEscPos(job.bytes).lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(lines).toContain('TOTAL x3 26.99 EUR');
    expect(jsqrDecode(pngOf(job))).toBeNull();
  });

  it('native QR mode sends the payload in GS ( k with the right byte length', () => {
    const job = tableCardJob('n1', { venue, tableName: 'T1', locationId: 3, identifier: 'T1' }, { ...ctx, encoder: { ...encoder, qr: 'native' } });
    const doc = decodeEscPos(job.bytes);
    expect(doc.qrPayloads).toEqual(['PAYSERA*3:T1']);
    expect(doc.rasters).toHaveLength(0);
    const store = job.bytes.indexOf(Buffer.from([0x1d, 0x28, 0x6b]), job.bytes.indexOf(Buffer.from('PAYSERA')) - 8);
    expect(job.bytes[store + 3]! + job.bytes[store + 4]! * 256).toBe('PAYSERA*3:T1'.length + 3);
    // The preview draws the native QR, and it decodes.
    expect(jsqrDecode(pngOf(job))).toBe('PAYSERA*3:T1');
  });

  it('refuses a non-ASCII QR payload', () => {
    expect(() => tableCardJob('x', { venue, tableName: 'T', locationId: 3, identifier: 'Zürich' }, ctx)).toThrow(expect.objectContaining({ code: 'printer_qr_not_ascii' }));
  });

  it('the euro sign prints in code page PC858 (0xD5); letters PC858 lacks are transliterated when asked to', () => {
    const job = saleReceiptJob('e1', { venue: { name: 'Ąžuolas €' }, saleId: 'S', method: 'centrapay', amount: money(100, 'EUR'), paidAtWallMs: 0, clockSynced: true, copy: false }, {
      ...ctx,
      encoder: { ...encoder, textFallback: 'transliterate' },
    });
    expect(job.bytes.includes(Buffer.from([0x41, 0x7a, 0x75, 0x6f, 0x6c, 0x61, 0x73, 0x20, 0xd5]))).toBe(true);
    expect(decodeEscPos(job.bytes).lines[0]!.trim()).toBe('Azuolas €');
  });

  it('splits a tall raster into bands of at most 255 rows that decode back to the same image', () => {
    const raster = qrRaster('PAYSERA*3:' + 'X'.repeat(60), { moduleDots: 8 });
    expect(raster.height).toBeGreaterThan(255);
    const bytes = rasterBands(raster);
    const back = decodeEscPos(bytes).rasters;
    expect(back).toHaveLength(1);
    expect(back[0]!.height).toBe(raster.height);
    expect(back[0]!.data.equals(raster.data)).toBe(true);
  });
});

describe('Lithuanian on paper', () => {
  const venue = { name: 'Kavinė „Ąžuolas“', headerLines: ['Užupio g. 12, Vilnius'] };
  const receipt = (codePage: string, textFallback?: 'raster' | 'transliterate'): Printout =>
    saleReceiptJob(
      'lt1',
      { venue, saleId: 'S-12', method: 'paysera-table', tableName: 'Terasa Šiaurė', amount: money(1299, 'EUR'), paidAtWallMs: Date.UTC(2026, 10, 21, 12, 5), clockSynced: false, transactionKey: 'ąčęėįšųūž', copy: true },
      { encoder: { ...encoder, codePage, textFallback }, timeZone: 'Europe/Vilnius', language: 'lt' },
    );
  const EXPECTED = [
    '*** KOPIJA ***',
    'Kavinė „Ąžuolas“',
    'Užupio g. 12, Vilnius',
    'Data 2026-11-21 14:05',
    '(laikas nesuderintas)',
    'Pardavimo nr. S-12',
    'Stalas Terasa Šiaurė',
    'Mokėjimo būdas Paysera (stalas)',
    'Operacija ąčęėįšųūž',
    'IŠ VISO 12,99 €',
    'APMOKĖTA',
    '*** KOPIJA ***',
  ];
  const textOf = (job: Printout): string[] =>
    decodeEscPos(job.bytes)
      .lines.map((l) => l.replace(/ +/g, ' ').trim())
      .filter((l) => !/^-+$/.test(l));

  it('WPC1257: ESC t 51, one Windows-1257 byte per letter, read back as the same text; nothing drawn as an image', () => {
    const job = receipt('WPC1257_BALTIC_RIM');
    expect(job.bytes.subarray(0, 3)).toEqual(Buffer.from([0x1b, 0x74, 51]));
    // "Operacija ... ąčęėįšųūž" in Windows-1257.
    expect(job.bytes.includes(Buffer.from([0xe0, 0xe8, 0xe6, 0xeb, 0xe1, 0xf0, 0xf8, 0xfb, 0xfe]))).toBe(true);
    const doc = decodeEscPos(job.bytes);
    expect(doc.unknown).toEqual([]);
    expect(doc.items.some((i) => i.type === 'raster')).toBe(false);
    expect(textOf(job)).toEqual(EXPECTED);
  });

  it('PC775: ESC t 33 and PC775 bytes; the euro sign, which PC775 lacks, prints as raster text', () => {
    const job = receipt('WPC775_BALTIC_RIM');
    expect(job.bytes.subarray(0, 3)).toEqual(Buffer.from([0x1b, 0x74, 33]));
    expect(job.bytes.includes(Buffer.from([0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]))).toBe(true);
    const doc = decodeEscPos(job.bytes);
    expect(doc.items.filter((i) => i.type === 'raster').map((i) => (i.type === 'raster' ? i.text?.replace(/ +/g, ' ') : ''))).toEqual(['IŠ VISO 12,99 €']);
    expect(textOf(job)).toEqual(EXPECTED);
  });

  it('PC858 has none of the letters: their lines print as raster text that reads back the same', () => {
    const job = receipt('PC858_EURO');
    const doc = decodeEscPos(job.bytes);
    expect(doc.unknown).toEqual([]);
    // No byte of the page stands in for a missing letter: every letter is in an image.
    expect(doc.items.filter((i) => i.type === 'text').map((i) => (i.type === 'text' ? i.text : '')).join('')).not.toMatch(/[ąčęėįšųūžĄČĘĖĮŠŲŪŽ„“]/);
    expect(doc.rasters).toEqual([]);
    expect(textOf(job)).toEqual(EXPECTED);
  });

  it('the preview is the same image whether a line went in the code page or as raster text', () => {
    expect(pngOf(receipt('PC858_EURO')).equals(pngOf(receipt('WPC1257_BALTIC_RIM')))).toBe(true);
  });

  it('transliterated on request: plain text, no images', () => {
    const job = receipt('PC858_EURO', 'transliterate');
    expect(decodeEscPos(job.bytes).items.some((i) => i.type === 'raster')).toBe(false);
    expect(textOf(job)).toContain('Kavine "Azuolas"');
    expect(textOf(job)).toContain('IS VISO 12,99 €');
  });

  it('a bold double-size raster line wraps at the width its size allows and reads back bold and large', () => {
    const job = tableCardJob('c1', { venue: { name: 'Kavinė „Ąžuolas“ prie Neries upės' }, tableName: 'Terasa', locationId: 3, identifier: 'T1' }, { ...ctx, language: 'lt' });
    const doc = decodeEscPos(job.bytes);
    const textRows = doc.items.filter((i) => i.type === 'raster' && i.text !== undefined);
    expect(textRows.map((i) => (i.type === 'raster' ? i.text : ''))).toEqual(['Kavinė „Ąžuolas“ prie', 'Neries upės', 'Nuskaitykite Paysera programėle ir sumokėkite']);
    // The venue is double size: 24 characters of 24 x 48 dots a row on 80 mm paper.
    for (const row of textRows.slice(0, 2)) if (row.type === 'raster') expect([row.raster.height, row.raster.widthDots <= 576]).toEqual([48, true]);
  });
});

