import { createRequire } from 'node:module';
import type QRCodeLibrary from 'qrcode';
import { PrinterError } from '../../devices/printer/printer-error.js';

const require = createRequire(import.meta.url);
let qrcode: typeof QRCodeLibrary | undefined;

/**
 * qrcode (with pngjs behind it, about 3 MB resident) is loaded on the first QR rendered: the
 * service's receipts carry none, only table cards and Centrapay slips do, so `counterpay run`
 * usually never loads it. It is CommonJS, so a synchronous require keeps qrRaster synchronous.
 */
function qrcodeLibrary(): typeof QRCodeLibrary {
  qrcode ??= require('qrcode') as typeof QRCodeLibrary;
  return qrcode;
}

/** A 1-bit image, rows of `widthDots / 8` bytes, most significant bit leftmost, 1 = black. */
export interface Raster {
  readonly widthDots: number;
  readonly height: number;
  readonly data: Buffer;
}

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** QR payloads must be printable ASCII: printers' native QR commands count bytes as characters. */
export function assertAsciiPayload(payload: string): void {
  if (payload.length === 0 || !/^[\x20-\x7e]+$/.test(payload)) {
    throw new PrinterError('printer_qr_not_ascii', `QR payload must be non-empty printable ASCII, got ${JSON.stringify(payload.slice(0, 40))}`, { retryable: false });
  }
}

/**
 * Renders `payload` as a QR raster with `moduleDots` dots per module and a quiet zone of
 * `quietModules` modules, padded on the right to a multiple of 8 dots.
 */
export function qrRaster(payload: string, options: { moduleDots: number; quietModules?: number; errorCorrection?: QrErrorCorrection }): Raster {
  assertAsciiPayload(payload);
  const qr = qrcodeLibrary().create(payload, { errorCorrectionLevel: options.errorCorrection ?? 'M' });
  const size = qr.modules.size;
  const quiet = options.quietModules ?? 4;
  const dotsSide = (size + 2 * quiet) * options.moduleDots;
  const widthDots = Math.ceil(dotsSide / 8) * 8;
  const bytesPerRow = widthDots / 8;
  const data = Buffer.alloc(bytesPerRow * dotsSide);
  for (let y = 0; y < dotsSide; y++) {
    const my = Math.floor(y / options.moduleDots) - quiet;
    for (let x = 0; x < dotsSide; x++) {
      const mx = Math.floor(x / options.moduleDots) - quiet;
      const black = mx >= 0 && my >= 0 && mx < size && my < size && qr.modules.get(my, mx) === 1;
      if (black) data[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { widthDots, height: dotsSide, data };
}

/** The largest module size that keeps the QR (with quiet zone) within `maxDots`. */
export function fitModuleDots(payload: string, maxDots: number, preferred: number, quietModules = 4): number {
  const size = qrcodeLibrary().create(payload, { errorCorrectionLevel: 'M' }).modules.size;
  return Math.max(1, Math.min(preferred, Math.floor(maxDots / (size + 2 * quietModules))));
}

/** `GS v 0` raster commands, one per band of at most `maxRows` rows (255 by default, as Odoo does). */
export function rasterBands(raster: Raster, maxRows = 255): Buffer {
  const bytesPerRow = raster.widthDots / 8;
  const parts: Buffer[] = [];
  for (let top = 0; top < raster.height; top += maxRows) {
    const rows = Math.min(maxRows, raster.height - top);
    parts.push(Buffer.from([0x1d, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8]));
    parts.push(raster.data.subarray(top * bytesPerRow, (top + rows) * bytesPerRow));
  }
  return Buffer.concat(parts);
}
