import thermal from 'node-thermal-printer';
import { DeviceError } from '../device-error.js';
import { transliterate } from '../display/transliterate.js';
import { assertAsciiPayload, fitModuleDots, qrRaster, rasterBands } from './qr-raster.js';

const { ThermalPrinter, PrinterTypes, CharacterSet } = thermal;

export interface EncoderOptions {
  /** Only 'epson' encodes; 'star' throws printer_type_unsupported (see devices-schema). */
  readonly type: 'epson' | 'star';
  /** Characters per line in font A (48 on 80 mm paper, 32 on 58 mm). */
  readonly width: number;
  /** node-thermal-printer CharacterSet name, e.g. PC858_EURO. */
  readonly codePage: string;
  /** `raster` (default): QR drawn by us and sent as an image; `native`: the printer's GS ( k. */
  readonly qr: 'raster' | 'native';
}

/** Printable width in dots: 12 dots per font-A character (576 on 80 mm, 384 on 58 mm). */
export function printableDots(width: number): number {
  return width * 12;
}

const EURO_PAGES = new Set(['PC858_EURO', 'WPC1252', 'ISO8859_15_LATIN9']);

type TP = InstanceType<typeof ThermalPrinter>;

/**
 * One ESC/POS document, encoded with node-thermal-printer used as an ENCODER ONLY (no interface,
 * no execute): a fresh encoder per document and `clear()` after taking its buffer, so code-page
 * state never leaks from one job into the next (hardware.md §0.7).
 *
 * Text is reduced to ASCII (plus the euro sign where the code page has it) before it reaches the
 * library, so the library never switches code pages on its own.
 */
export class EscPosDocument {
  private readonly printer: TP;
  private readonly euro: boolean;

  constructor(private readonly options: EncoderOptions) {
    if (options.type !== 'epson') {
      // See devices-schema: the library's Star encoder cannot size text and breaks QR codes.
      throw new DeviceError('printer', 'printer_type_unsupported', `printer type "${options.type}" is not supported; use ESC/POS emulation and type "epson"`);
    }
    const characterSet = (CharacterSet as Record<string, string>)[options.codePage] ?? CharacterSet.PC858_EURO;
    this.printer = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      width: options.width,
      characterSet: characterSet as typeof CharacterSet.PC858_EURO,
      // The typings demand an interface string; we never call execute(), so none is needed.
      interface: '',
    } as ConstructorParameters<typeof ThermalPrinter>[0]);
    this.euro = EURO_PAGES.has(options.codePage);
  }

  get width(): number {
    return this.options.width;
  }

  /** Text as it will be printed. */
  text(value: string): string {
    if (!this.euro) return transliterate(value);
    return value
      .split('€')
      .map((part) => transliterate(part))
      .join('€');
  }

  line(value = '', style: { bold?: boolean; size?: 1 | 2 | 3; align?: 'left' | 'center' | 'right' } = {}): this {
    const p = this.printer;
    if (style.align === 'center') p.alignCenter();
    else if (style.align === 'right') p.alignRight();
    else p.alignLeft();
    if (style.bold) p.bold(true);
    if (style.size !== undefined && style.size > 1) p.setTextSize(style.size - 1, style.size - 1);
    p.println(this.text(value));
    if (style.size !== undefined && style.size > 1) p.setTextNormal();
    if (style.bold) p.bold(false);
    p.alignLeft();
    return this;
  }

  /** Left text and right text on one line, the gap filled with spaces. */
  leftRight(left: string, right: string, style: { bold?: boolean } = {}): this {
    const r = Array.from(this.text(right));
    const l = Array.from(this.text(left)).slice(0, Math.max(0, this.options.width - r.length - 1));
    const gap = Math.max(1, this.options.width - l.length - r.length);
    return this.line(`${l.join('')}${' '.repeat(gap)}${r.join('')}`, style);
  }

  rule(): this {
    this.printer.drawLine();
    return this;
  }

  feed(lines = 1): this {
    for (let i = 0; i < lines; i++) this.printer.newLine();
    return this;
  }

  /** A centred QR code of an ASCII payload; `moduleDots` is the preferred module size in dots. */
  qr(payload: string, moduleDots: number): this {
    assertAsciiPayload(payload);
    const p = this.printer;
    p.alignCenter();
    if (this.options.qr === 'native') {
      p.printQR(payload, { cellSize: Math.min(8, Math.max(1, moduleDots)), correction: 'M', model: 2 });
      p.newLine();
    } else {
      const dots = fitModuleDots(payload, printableDots(this.options.width), moduleDots);
      p.append(rasterBands(qrRaster(payload, { moduleDots: dots })));
    }
    p.alignLeft();
    return this;
  }

  /** Feeds and cuts; ends the document. */
  cut(): this {
    this.printer.cut();
    return this;
  }

  /** The document's bytes; the encoder is cleared and must not be used again. */
  bytes(): Buffer {
    const bytes = Buffer.from(this.printer.getBuffer());
    this.printer.clear();
    return bytes;
  }
}
