import { qrRaster, type Raster } from './qr-raster.js';

/** How a printer would draw a native (GS ( k) QR: `moduleSize` dots per module, 4-module quiet zone. */
export function nativeQrRaster(payload: string, moduleSize: number): Raster {
  return qrRaster(payload, { moduleDots: Math.max(1, moduleSize) });
}
