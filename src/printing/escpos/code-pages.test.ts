import thermal from 'node-thermal-printer';
import { describe, expect, it } from 'vitest';
import { CODE_PAGE_NAMES, CODE_PAGES } from '../../config/printer-code-pages.js';
import { decodeByte, encodeChar } from './code-pages.js';

const { ThermalPrinter, PrinterTypes } = thermal;
const LITHUANIAN = 'ąčęėįšųūžĄČĘĖĮŠŲŪŽ';

describe('printer code pages', () => {
  it('node-thermal-printer selects each page with the same ESC t number as our table', () => {
    for (const name of CODE_PAGE_NAMES) {
      const printer = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', characterSet: name } as ConstructorParameters<typeof ThermalPrinter>[0]);
      expect([name, ...printer.getBuffer()]).toEqual([name, 0x1b, 0x74, CODE_PAGES[name].escT]);
    }
  });

  it('both Baltic pages have every Lithuanian letter, and read each byte back as that letter', () => {
    for (const page of ['WPC1257_BALTIC_RIM', 'WPC775_BALTIC_RIM'] as const) {
      for (const ch of LITHUANIAN) {
        const byte = encodeChar(ch, page);
        expect(byte, `${ch} in ${page}`).toBeGreaterThanOrEqual(0x80);
        expect(decodeByte(byte!, CODE_PAGES[page].escT)).toBe(ch);
      }
    }
    expect(encodeChar('€', 'WPC1257_BALTIC_RIM')).toBe(0x80);
    expect(encodeChar('€', 'WPC775_BALTIC_RIM')).toBeUndefined();
  });

  it('a page without a letter says so instead of printing "?"', () => {
    expect(encodeChar('ą', 'PC858_EURO')).toBeUndefined();
    expect(encodeChar('€', 'PC858_EURO')).toBe(0xd5);
    expect(encodeChar('?', 'PC858_EURO')).toBe(0x3f);
    expect(decodeByte(0xd5, 99)).toBeUndefined();
  });
});
