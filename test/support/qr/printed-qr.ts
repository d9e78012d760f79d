import { PNG } from 'pngjs';
import { decodeEscPos, renderPng } from '../../../src/printing/escpos/escpos-decoder.js';
import { jsQR } from './jsqr.js';

/** Decodes the QR code a person would scan from printed ESC/POS bytes (rendered, then read from the pixels). */
export function qrFromPrintedBytes(bytes: Buffer, widthDots = 576): string | null {
  const image = PNG.sync.read(renderPng(decodeEscPos(bytes), { widthDots }));
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}
