import { z } from 'zod';
import { CODE_PAGE_NAMES, DEFAULT_CODE_PAGE } from './printer-code-pages.js';

/** A BCM GPIO number on the 40-pin header (0-27). */
const bcm = z.number().int().min(0).max(27);
const devicePath = z.string().min(1);
const baudRate = z.number().int().positive().default(9600);
const KEY_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', '*', '#'] as const;

export const scannerSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('serial'), path: devicePath, baudRate }),
  z.strictObject({ driver: z.literal('stdin') }),
  z.strictObject({ driver: z.literal('none') }),
]);

export const keypadSchema = z.discriminatedUnion('driver', [
  z
    .strictObject({
      driver: z.literal('gpio-matrix'),
      rows: z.array(bcm).min(1).max(8).default([5, 6, 13, 19]),
      cols: z.array(bcm).min(1).max(8).default([12, 16, 20, 21]),
      keys: z.string().regex(/^[0-9A-D*#]+$/, 'keys are 0-9, A-D, * and #').default('123A456B789C*0#D'),
    })
    .superRefine((value, ctx) => {
      if (value.keys.length !== value.rows.length * value.cols.length) {
        ctx.addIssue({ code: 'custom', path: ['keys'], message: `needs ${value.rows.length * value.cols.length} keys (rows x cols), got ${value.keys.length}` });
      }
      const pins = [...value.rows, ...value.cols];
      if (new Set(pins).size !== pins.length) ctx.addIssue({ code: 'custom', path: ['rows'], message: 'a GPIO is used twice in rows/cols' });
    }),
  z.strictObject({
    driver: z.literal('evdev'),
    path: devicePath,
    /** Overrides of the default map (KEY_KP0-9, KEY_KPENTER -> #, ...); null removes a key. */
    keyMap: z.record(z.string().regex(/^(KEY|BTN)_[A-Z0-9_]+$/, 'evdev key names look like KEY_KP1'), z.enum(KEY_NAMES).nullable()).optional(),
  }),
  z.strictObject({ driver: z.literal('stdin') }),
]);

export const displaySchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('serial-pole'),
    path: devicePath,
    baudRate,
    commandSet: z.enum(['epson', 'cd5220']).default('epson'),
    columns: z.number().int().min(8).max(20).default(20),
  }),
  z.strictObject({ driver: z.literal('lcd-chardev'), path: devicePath.default('/dev/lcd'), columns: z.number().int().min(8).max(40).default(16) }),
  z.strictObject({ driver: z.literal('console') }),
  z.strictObject({ driver: z.literal('file'), path: devicePath }),
]);

/** An active buzzer through a transistor on one GPIO (hardware/README.md); `console` prints `~ beep` lines. */
export const buzzerSchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('gpio'),
    /** BCM number of the line driving the transistor. */
    pin: bcm.default(18),
    /** True when the buzzer sounds with the line low (a PNP stage, a low-level-trigger module). */
    activeLow: z.boolean().default(false),
  }),
  z.strictObject({ driver: z.literal('console') }),
  z.strictObject({ driver: z.literal('none') }),
]);

/** `/dev/usb/lp0` (any absolute device path), `tcp://host[:port]`, `serial:/dev/ttyS0`, `file:DIR`. */
export const printerInterface = z
  .string()
  .min(1)
  .refine((v) => v.startsWith('/') || /^tcp:\/\/[^/:]+(:\d{1,5})?$/.test(v) || /^serial:\/.+/.test(v) || /^file:.+/.test(v), {
    message: 'must be a device path (/dev/usb/lp0), tcp://host[:port], serial:/dev/ttyS0 or file:DIR',
  });

export const printerSchema = z.strictObject({
  interface: printerInterface,
  // 'star' is a known name but refused: node-thermal-printer 4.6.1's Star encoder has no text
  // sizes (setTextSize throws) and its QR command lacks the data-store header, and our raster QR
  // is Epson GS v 0. Star printers with ESC/POS emulation work as 'epson'.
  type: z
    .enum(['epson', 'star'])
    .default('epson')
    .refine((t) => t === 'epson', { message: 'type "star" (Star Line mode) is not supported yet: switch the printer to ESC/POS emulation and use "epson"' }),
  width: z.number().int().min(24).max(64).default(48),
  qr: z.enum(['raster', 'native']).default('raster'),
  /** The printer's code page for text (its self-test page lists those it has); WPC1257_BALTIC_RIM or WPC775_BALTIC_RIM for Lithuanian. */
  codePage: z.enum(CODE_PAGE_NAMES).default(DEFAULT_CODE_PAGE),
  /** Letters the code page lacks: printed as raster text (default) or transliterated ("č" -> "c"). */
  textFallback: z.enum(['raster', 'transliterate']).default('raster'),
  /** Printed at the head of receipts, table cards and reports; optional (cards then carry no name). */
  venue: z
    .strictObject({
      name: z.string().min(1).max(48),
      lines: z.array(z.string().min(1).max(64)).max(4).default([]),
    })
    .optional(),
});

export const devicesSchema = z
  .strictObject({
    scanner: scannerSchema.default({ driver: 'stdin' }),
    keypad: keypadSchema.default({ driver: 'stdin' }),
    display: displaySchema.default({ driver: 'console' }),
    printer: printerSchema.default({ interface: 'file:./prints', type: 'epson', width: 48, qr: 'raster', codePage: DEFAULT_CODE_PAGE, textFallback: 'raster' }),
    /** Optional: none unless configured. */
    buzzer: buzzerSchema.default({ driver: 'none' }),
  })
  .superRefine((value, ctx) => {
    const { keypad, buzzer } = value;
    if (buzzer.driver === 'gpio' && keypad.driver === 'gpio-matrix' && [...keypad.rows, ...keypad.cols].includes(buzzer.pin)) {
      ctx.addIssue({ code: 'custom', path: ['buzzer', 'pin'], message: `GPIO ${buzzer.pin} is wired to the keypad` });
    }
  });

/**
 * The section when the file has none: scanner and keypad on stdin, console display, prints to
 * ./prints. (zod 4 does not parse a `.default()` value, so the parsed defaults are given whole.)
 */
export function defaultDevices(): z.infer<typeof devicesSchema> {
  return devicesSchema.parse({});
}

export type DevicesConfig = z.infer<typeof devicesSchema>;
export type ScannerConfig = z.infer<typeof scannerSchema>;
export type KeypadConfig = z.infer<typeof keypadSchema>;
export type DisplayConfig = z.infer<typeof displaySchema>;
export type PrinterConfig = z.infer<typeof printerSchema>;
export type BuzzerConfig = z.infer<typeof buzzerSchema>;
