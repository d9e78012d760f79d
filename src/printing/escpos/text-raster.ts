import { CELL_ROWS, drawText, GLYPH_WIDTH, glyphChars } from './bitmap-font.js';
import type { Raster } from './qr-raster.js';

/**
 * Text as pixels in the printer's character grid: 12 x 24 dots per character of font A, times
 * the size multipliers, drawn with the project's bitmap font. The preview draws every printed
 * line this way, and a line whose letters the printer's code page lacks is printed this way (as a
 * `GS v 0` image), so what the preview shows is what the paper shows.
 */

export const CELL_WIDTH_DOTS = 12;
export const CELL_HEIGHT_DOTS = 24;

export interface TextStyle {
  readonly bold: boolean;
  readonly widthMul: number;
  readonly heightMul: number;
}

/** Calls `put(x, y)` for every black dot of `text` in `style`; x from 0, y from 0 to the cell height. */
export function drawTextCells(text: string, style: TextStyle, put: (x: number, y: number) => void): void {
  const sx = (CELL_WIDTH_DOTS * style.widthMul) / (GLYPH_WIDTH + 1);
  const sy = (CELL_HEIGHT_DOTS * style.heightMul) / CELL_ROWS;
  const dots = Math.ceil(sx) + (style.bold ? 1 : 0);
  drawText(text, (gx, gy) => {
    // Glyph rows run from -1 (marks above capitals) to 8 (ogonek): the cell's rows 0-9.
    for (let dy = 0; dy < Math.ceil(sy); dy++) for (let dx = 0; dx < dots; dx++) put(Math.floor(gx * sx) + dx, Math.floor((gy + 1) * sy) + dy);
  });
}

/** `text` as a raster one character cell high, padded on the right to whole bytes. */
export function textRaster(text: string, style: TextStyle): Raster {
  const cellWidth = CELL_WIDTH_DOTS * style.widthMul;
  const height = CELL_HEIGHT_DOTS * style.heightMul;
  const widthDots = Math.max(8, Math.ceil((Array.from(text).length * cellWidth) / 8) * 8);
  const bytesPerRow = widthDots / 8;
  const data = Buffer.alloc(bytesPerRow * height);
  drawTextCells(text, style, (x, y) => {
    if (x < 0 || x >= widthDots || y < 0 || y >= height) return;
    data[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
  });
  return { widthDots, height, data };
}

/** Every character the font draws, to read rasters back. */
const READABLE = glyphChars();

const cellMaps = new Map<string, Map<string, string>>();

function cellKey(raster: Raster, x0: number, cellWidth: number): string {
  const bytesPerRow = raster.widthDots / 8;
  let key = '';
  for (let y = 0; y < raster.height; y++) {
    for (let x = x0; x < x0 + cellWidth; x++) key += (raster.data[y * bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) !== 0 ? '1' : '0';
  }
  return key;
}

/** Each readable character's cell, as pixels, in `style`. */
function cellMap(style: TextStyle): Map<string, string> {
  const id = `${style.bold}/${style.widthMul}/${style.heightMul}`;
  let map = cellMaps.get(id);
  if (map === undefined) {
    map = new Map();
    const cellWidth = CELL_WIDTH_DOTS * style.widthMul;
    for (const ch of READABLE) {
      const key = cellKey(textRaster(ch, style), 0, cellWidth);
      if (!map.has(key)) map.set(key, ch);
    }
    cellMaps.set(id, map);
  }
  return map;
}

/**
 * Reads a raster drawn by `textRaster` back to its text and style, or undefined when it is not
 * text in this font (a QR code, a logo): how tests decode raster-printed lines to text.
 */
export function readTextRaster(raster: Raster): { text: string; style: TextStyle } | undefined {
  if (raster.height % CELL_HEIGHT_DOTS !== 0) return undefined;
  const heightMul = raster.height / CELL_HEIGHT_DOTS;
  if (heightMul < 1 || heightMul > 8) return undefined;
  for (let widthMul = 1; widthMul <= 8; widthMul++) {
    const cellWidth = CELL_WIDTH_DOTS * widthMul;
    const cells = Math.floor(raster.widthDots / cellWidth);
    // textRaster pads to whole bytes only: fewer than 8 dots are left over.
    if (cells === 0 || raster.widthDots - cells * cellWidth >= 8) continue;
    for (const bold of [false, true]) {
      const style: TextStyle = { bold, widthMul, heightMul };
      const map = cellMap(style);
      let text = '';
      for (let cell = 0; cell < cells; cell++) {
        const ch = map.get(cellKey(raster, cell * cellWidth, cellWidth));
        if (ch === undefined) break;
        text += ch;
      }
      if (Array.from(text).length === cells && text.trim() !== '') return { text, style };
    }
  }
  return undefined;
}
