import thermal from 'node-thermal-printer';
import type { PrinterConfig } from '../../config/devices-schema.js';
import { DeviceError } from '../../devices/device-error.js';
import { transliterate } from '../../i18n/transliterate.js';
import { hasGlyph } from './bitmap-font.js';
import { CODE_PAGES, DEFAULT_CODE_PAGE, type CodePageName } from '../../config/printer-code-pages.js';
import { encodeChar } from './code-pages.js';
import { assertAsciiPayload, fitModuleDots, qrRaster, rasterBands } from './qr-raster.js';
import { textRaster } from './text-raster.js';

const { ThermalPrinter, PrinterTypes } = thermal;

/**
 * What to do with a letter the code page lacks (Lithuanian "ą" on PC858): `raster` prints its line
 * as an image drawn in the preview's font, so it comes out right on any ESC/POS printer;
 * `transliterate` prints it without its accent ("a"), as plain text.
 */
export type TextFallback = 'raster' | 'transliterate';

export interface EncoderOptions {
  /** Only 'epson' encodes; 'star' throws printer_type_unsupported (see devices-schema). */
  readonly type: 'epson' | 'star';
  /** Characters per line in font A (48 on 80 mm paper, 32 on 58 mm). */
  readonly width: number;
  /** The printer's code page for text (a node-thermal-printer CharacterSet name, see code-pages.ts). */
  readonly codePage: string;
  /** `raster` (default): QR drawn by us and sent as an image; `native`: the printer's GS ( k. */
  readonly qr: 'raster' | 'native';
  /** Letters the code page lacks; default `raster`. */
  readonly textFallback?: TextFallback;
}

/** Printable width in dots: 12 dots per font-A character (576 on 80 mm, 384 on 58 mm). */
/** The encoder settings of the configured printer (config `devices.printer`). */
export function encoderOptions(config: PrinterConfig): EncoderOptions {
  return { type: config.type, width: config.width, codePage: config.codePage, qr: config.qr, textFallback: config.textFallback };
}

export function printableDots(width: number): number {
  return width * 12;
}

type TP = InstanceType<typeof ThermalPrinter>;

type Align = 'left' | 'center' | 'right';

export interface LineStyle {
  readonly bold?: boolean;
  readonly size?: 1 | 2 | 3;
  readonly align?: Align;
}

/** Splits `chars` into rows of at most `width`, at spaces where it can. */
function wrap(chars: readonly string[], width: number): string[][] {
  const rows: string[][] = [];
  let rest = [...chars];
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    rows.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest.shift();
  }
  rows.push(rest);
  return rows;
}

/**
 * One ESC/POS document, encoded with node-thermal-printer used as an ENCODER ONLY (no interface,
 * no execute): a fresh encoder per document and `clear()` after taking its buffer, so code-page
 * state never leaks from one job into the next (the library's cut() resets the printer with
 * ESC @ but keeps assuming the old code page).
 *
 * Text reaches the library already encoded as bytes of the configured code page (the library
 * sends `ESC t` for it at the start), so the library never switches code pages on its own.
 * Characters are kept when the preview font can draw them (ASCII, "€", the Lithuanian letters)
 * and transliterated otherwise ("é" -> "e"), so the preview shows exactly what prints. A line with
 * a letter the code page lacks is printed as raster text (or transliterated, see TextFallback).
 * Lines are wrapped here, at the width their size allows: the printer never wraps on its own.
 */
export class EscPosDocument {
  private readonly printer: TP;
  private readonly page: CodePageName;
  private readonly fallback: TextFallback;

  constructor(private readonly options: EncoderOptions) {
    if (options.type !== 'epson') {
      // See devices-schema: the library's Star encoder cannot size text and breaks QR codes.
      throw new DeviceError('printer', 'printer_type_unsupported', `printer type "${options.type}" is not supported; use ESC/POS emulation and type "epson"`);
    }
    this.page = Object.hasOwn(CODE_PAGES, options.codePage) ? (options.codePage as CodePageName) : DEFAULT_CODE_PAGE;
    this.fallback = options.textFallback ?? 'raster';
    this.printer = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      width: options.width,
      characterSet: this.page as ConstructorParameters<typeof ThermalPrinter>[0]['characterSet'],
      // The typings demand an interface string; we never call execute(), so none is needed.
      interface: '',
    } as ConstructorParameters<typeof ThermalPrinter>[0]);
  }

  get width(): number {
    return this.options.width;
  }

  /**
   * The characters `value` prints as, one per column: kept where the font draws them and the code
   * page or raster text can print them, else transliterated.
   */
  text(value: string): string {
    let out = '';
    for (const ch of value.normalize('NFC')) {
      const code = ch.codePointAt(0) ?? 0;
      if (code >= 0x20 && code < 0x7f) out += ch;
      else if (hasGlyph(ch) && (this.fallback === 'raster' || encodeChar(ch, this.page) !== undefined)) out += ch;
      else out += transliterate(ch);
    }
    return out;
  }

  line(value = '', style: LineStyle = {}): this {
    const size = style.size ?? 1;
    for (const row of wrap(Array.from(this.text(value)), Math.max(1, Math.floor(this.options.width / size)))) this.row(row, style, size);
    return this;
  }

  /** Left text and right text on one line, the gap filled with spaces. */
  leftRight(left: string, right: string, style: { bold?: boolean } = {}): this {
    const r = Array.from(this.text(right));
    const l = Array.from(this.text(left)).slice(0, Math.max(0, this.options.width - r.length - 1));
    const gap = Math.max(1, this.options.width - l.length - r.length);
    return this.line(`${l.join('')}${' '.repeat(gap)}${r.join('')}`, style);
  }

  /** One printed row: text in the code page, or raster text when the page lacks a letter of it. */
  private row(chars: readonly string[], style: LineStyle, size: number): void {
    const p = this.printer;
    if (style.align === 'center') p.alignCenter();
    else if (style.align === 'right') p.alignRight();
    else p.alignLeft();
    const bytes = chars.map((ch) => encodeChar(ch, this.page));
    if (bytes.every((b): b is number => b !== undefined)) {
      if (style.bold) p.bold(true);
      if (size > 1) p.setTextSize(size - 1, size - 1);
      p.add(Buffer.from(bytes));
      p.newLine();
      if (size > 1) p.setTextNormal();
      if (style.bold) p.bold(false);
    } else {
      // GS v 0 feeds the paper by the image's height: no line feed after it.
      p.add(rasterBands(textRaster(chars.join(''), { bold: style.bold === true, widthMul: size, heightMul: size })));
    }
    p.alignLeft();
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
