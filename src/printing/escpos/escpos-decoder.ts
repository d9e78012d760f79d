import { PNG } from 'pngjs';
import { decodeByte, POWER_ON_ESC_T } from './code-pages.js';
import type { Raster } from './qr-raster.js';
import { nativeQrRaster } from './native-qr.js';
import { CELL_HEIGHT_DOTS, readTextRaster, textRaster } from './text-raster.js';

export type Align = 'left' | 'center' | 'right';

export type DecodedItem =
  | { readonly type: 'text'; readonly text: string; readonly bold: boolean; readonly widthMul: number; readonly heightMul: number; readonly align: Align }
  /** `text`: the raster read back as text, when it is a line printed as raster text. */
  | { readonly type: 'raster'; readonly raster: Raster; readonly align: Align; readonly text?: string }
  | { readonly type: 'qr'; readonly payload: string; readonly moduleSize: number; readonly align: Align }
  | { readonly type: 'feed'; readonly lines: number }
  | { readonly type: 'cut' };

export interface DecodedDocument {
  readonly items: DecodedItem[];
  /** The text lines, in order (style dropped), those printed as raster text included. */
  readonly lines: string[];
  readonly qrPayloads: string[];
  /** Raster images that are not text (QR codes, logos). */
  readonly rasters: Raster[];
  readonly cuts: number;
  /** Offsets of bytes the decoder did not understand; a test expects none. */
  readonly unknown: number[];
}

/** The most rows our encoder puts in one GS v 0 band: a band this tall continues in the next. */
const FULL_BAND_ROWS = 255;

/**
 * Decodes the Epson ESC/POS subset our encoder (node-thermal-printer, EPSON type, plus our
 * raster bands) emits: text and LF, ESC @ t a E - d 3 2 ! M p, GS ! B H f w h r V, GS ( k
 * (native QR: the stored payload), GS v 0 (raster image). Bytes 0x80-0xFF are read in the code
 * page the last `ESC t` selected (`ESC @` returns to the power-on page), as the printer reads
 * them; a raster that is a line of text in our font is read back to that text. Test and preview
 * tooling; never used on the way to a printer. Epson only: Star Line mode reuses some of these
 * bytes with other meanings (ESC E is bold on without an argument, ESC d n cuts), and is not
 * decoded.
 */
export function decodeEscPos(bytes: Buffer): DecodedDocument {
  const items: DecodedItem[] = [];
  const unknown: number[] = [];
  let align: Align = 'left';
  let bold = false;
  let widthMul = 1;
  let heightMul = 1;
  let text = '';
  let qrStored: string | null = null;
  let qrModule = 3;
  let cuts = 0;
  let escT = POWER_ON_ESC_T;
  const flushText = (): void => {
    items.push({ type: 'text', text, bold, widthMul, heightMul, align });
    text = '';
  };
  let i = 0;
  const at = (k: number): number => bytes[k] ?? 0;
  while (i < bytes.length) {
    const b = at(i);
    if (b === 0x0a) {
      flushText();
      i += 1;
    } else if (b === 0x0d) {
      i += 1;
    } else if (b === 0x1b) {
      const c = at(i + 1);
      switch (c) {
        case 0x40: // ESC @
          align = 'left';
          bold = false;
          widthMul = heightMul = 1;
          escT = POWER_ON_ESC_T;
          i += 2;
          break;
        case 0x74: // ESC t n
          escT = at(i + 2);
          i += 3;
          break;
        case 0x61: // ESC a n
          align = at(i + 2) % 48 === 1 ? 'center' : at(i + 2) % 48 === 2 ? 'right' : 'left';
          i += 3;
          break;
        case 0x45: // ESC E n
          bold = (at(i + 2) & 1) === 1;
          i += 3;
          break;
        case 0x21: {
          // ESC ! n
          const n = at(i + 2);
          bold = (n & 0x08) !== 0;
          heightMul = n & 0x10 ? 2 : 1;
          widthMul = n & 0x20 ? 2 : 1;
          i += 3;
          break;
        }
        case 0x64: // ESC d n
          if (text !== '') flushText();
          items.push({ type: 'feed', lines: at(i + 2) });
          i += 3;
          break;
        case 0x2d:
        case 0x33:
        case 0x4d:
        case 0x42:
        case 0x47:
          i += 3;
          break;
        case 0x32:
          i += 2;
          break;
        case 0x70: // ESC p m t1 t2
          i += 5;
          break;
        default:
          unknown.push(i);
          i += 2;
      }
    } else if (b === 0x1d) {
      const c = at(i + 1);
      if (c === 0x21) {
        const n = at(i + 2);
        widthMul = ((n >> 4) & 7) + 1;
        heightMul = (n & 7) + 1;
        i += 3;
      } else if (c === 0x42 || c === 0x48 || c === 0x66 || c === 0x77 || c === 0x68 || c === 0x72) {
        i += 3;
      } else if (c === 0x56) {
        // GS V m [n]
        if (text !== '') flushText();
        items.push({ type: 'cut' });
        cuts += 1;
        const m = at(i + 2);
        i += m === 65 || m === 66 ? 4 : 3;
      } else if (c === 0x28 && at(i + 2) === 0x6b) {
        // GS ( k pL pH cn fn ...
        const len = at(i + 3) + at(i + 4) * 256;
        const cn = at(i + 5);
        const fn = at(i + 6);
        if (cn === 0x31 && fn === 0x43) qrModule = at(i + 7);
        if (cn === 0x31 && fn === 0x50) qrStored = bytes.subarray(i + 8, i + 5 + len).toString('latin1');
        if (cn === 0x31 && fn === 0x51 && qrStored !== null) {
          if (text !== '') flushText();
          items.push({ type: 'qr', payload: qrStored, moduleSize: qrModule, align });
        }
        i += 5 + len;
      } else if (c === 0x76 && at(i + 2) === 0x30) {
        // GS v 0 m xL xH yL yH data
        const bytesPerRow = at(i + 4) + at(i + 5) * 256;
        const rows = at(i + 6) + at(i + 7) * 256;
        const data = Buffer.from(bytes.subarray(i + 8, i + 8 + bytesPerRow * rows));
        if (text !== '') flushText();
        const previous = items[items.length - 1];
        // A band of the full height continued in the next band of the same width: one image.
        if (previous?.type === 'raster' && previous.raster.widthDots === bytesPerRow * 8 && previous.raster.height % FULL_BAND_ROWS === 0) {
          items[items.length - 1] = {
            type: 'raster',
            align: previous.align,
            raster: { widthDots: previous.raster.widthDots, height: previous.raster.height + rows, data: Buffer.concat([previous.raster.data, data]) },
          };
        } else {
          items.push({ type: 'raster', raster: { widthDots: bytesPerRow * 8, height: rows, data }, align });
        }
        i += 8 + bytesPerRow * rows;
      } else {
        unknown.push(i);
        i += 2;
      }
    } else if (b >= 0x20 && b < 0x7f) {
      text += String.fromCharCode(b);
      i += 1;
    } else if (b >= 0x80 && decodeByte(b, escT) !== undefined) {
      text += decodeByte(b, escT);
      i += 1;
    } else {
      unknown.push(i);
      i += 1;
    }
  }
  if (text !== '') flushText();
  const read = items.map((it): DecodedItem => {
    if (it.type !== 'raster') return it;
    const line = readTextRaster(it.raster);
    return line === undefined ? it : { ...it, text: line.text };
  });
  return {
    items: read,
    lines: read.flatMap((it) => (it.type === 'text' ? [it.text] : it.type === 'raster' && it.text !== undefined ? [it.text] : [])),
    qrPayloads: read.flatMap((it) => (it.type === 'qr' ? [it.payload] : [])),
    rasters: read.flatMap((it) => (it.type === 'raster' && it.text === undefined ? [it.raster] : [])),
    cuts,
    unknown,
  };
}

export interface RenderOptions {
  /** Paper width in dots (576 for 80 mm). */
  readonly widthDots: number;
  /** White margin around the paper, in pixels. */
  readonly margin?: number;
}

/**
 * Renders a decoded document to a PNG a person can read: text drawn exactly as raster text
 * prints (the project's bitmap font in the printer's 12x24 character cell; bold is drawn one dot
 * wider, sizes multiply the cell), raster images as printed, native QR commands drawn with
 * `qrcode` at their module size, a dashed line per cut.
 */
export function renderPng(doc: DecodedDocument, options: RenderOptions): Buffer {
  const margin = options.margin ?? 16;
  const width = options.widthDots;
  const blocks: { height: number; draw: (put: (x: number, y: number) => void) => void }[] = [];
  const alignX = (align: Align, w: number): number => (align === 'center' ? Math.floor((width - w) / 2) : align === 'right' ? width - w : 0);
  const pushRaster = (raster: Raster, align: Align): void => {
    const x0 = alignX(align, Math.min(raster.widthDots, width));
    const bytesPerRow = raster.widthDots / 8;
    blocks.push({
      height: raster.height,
      draw: (put) => {
        for (let y = 0; y < raster.height; y++)
          for (let x = 0; x < raster.widthDots; x++) if ((raster.data[y * bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) !== 0) put(x0 + x, y);
      },
    });
  };
  for (const item of doc.items) {
    if (item.type === 'text') {
      if (item.text === '') blocks.push({ height: CELL_HEIGHT_DOTS * item.heightMul, draw: () => {} });
      else pushRaster(textRaster(item.text, item), item.align);
    } else if (item.type === 'raster') {
      pushRaster(item.raster, item.align);
    } else if (item.type === 'qr') {
      try {
        pushRaster(nativeQrRaster(item.payload, item.moduleSize), item.align);
      } catch {
        // A payload no QR can hold: leave the space blank; the decoded payload still shows it.
      }
    } else if (item.type === 'feed') {
      blocks.push({ height: item.lines * CELL_HEIGHT_DOTS, draw: () => {} });
    } else {
      blocks.push({
        height: 12,
        draw: (put) => {
          for (let x = 0; x < width; x += 8) for (let d = 0; d < 4; d++) put(x + d, 6);
        },
      });
    }
  }
  const height = blocks.reduce((sum, b) => sum + b.height, 0);
  const png = new PNG({ width: width + 2 * margin, height: height + 2 * margin });
  png.data.fill(255);
  let top = margin;
  for (const block of blocks) {
    const y0 = top;
    block.draw((x, y) => {
      if (x < 0 || x >= width || y < 0 || y >= block.height) return;
      const idx = ((y0 + y) * png.width + margin + x) * 4;
      png.data[idx] = png.data[idx + 1] = png.data[idx + 2] = 0;
    });
    top += block.height;
  }
  return PNG.sync.write(png);
}
