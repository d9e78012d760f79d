import { describe, expect, it } from 'vitest';
import { glyphChars } from './bitmap-font.js';
import { qrRaster } from './qr-raster.js';
import { readTextRaster, textRaster } from './text-raster.js';

describe('raster text', () => {
  it('every character of the font reads back from its raster, in every style', () => {
    const all = glyphChars().join('');
    for (const style of [
      { bold: false, widthMul: 1, heightMul: 1 },
      { bold: true, widthMul: 1, heightMul: 1 },
      { bold: true, widthMul: 2, heightMul: 2 },
      { bold: false, widthMul: 3, heightMul: 3 },
    ]) {
      expect(readTextRaster(textRaster(all, style))).toEqual({ text: all, style });
    }
  });

  it('each Lithuanian letter is drawn apart from its base letter', () => {
    const style = { bold: false, widthMul: 1, heightMul: 1 };
    for (const letter of 'ąčęėįšųūžĄČĘĖĮŠŲŪŽ') {
      const base = letter.normalize('NFD').charAt(0);
      expect(textRaster(letter, style).data.equals(textRaster(base, style).data), letter).toBe(false);
    }
  });

  it('a QR code is not text', () => {
    expect(readTextRaster(qrRaster('PAYSERA*3:TABLE1', { moduleDots: 4 }))).toBeUndefined();
  });
});
