/**
 * Byte sequences of the two common customer pole display command sets (after LCDproc's
 * serialPOS drivers). Frames are already fitted and ASCII (see transliterate.ts).
 */
export interface PoleCommandSet {
  readonly name: 'epson' | 'cd5220';
  readonly maxRows: number;
  readonly maxColumns: number;
  /** Reset, clear, cursor off. */
  init(): Buffer;
  /** Writes every row of the frame. */
  frame(frame: readonly string[]): Buffer;
  /** Blanks the screen. */
  clear(): Buffer;
}

const ESC = 0x1b;
const US = 0x1f;
const FF = 0x0c;
const CR = 0x0d;

/** Epson ESC/POS customer display: `US $ x y` (1-based) then the row's characters. */
export const epsonCommands: PoleCommandSet = {
  name: 'epson',
  maxRows: 4,
  maxColumns: 20,
  init: () => Buffer.from([ESC, 0x40, FF, US, 0x43, 0x00]),
  frame: (frame) => Buffer.concat(frame.map((line, row) => Buffer.concat([Buffer.from([US, 0x24, 1, row + 1]), Buffer.from(line, 'latin1')]))),
  clear: () => Buffer.from([FF]),
};

/** CD5220: `ESC Q A <upper line> CR`, `ESC Q B <lower line> CR`; two rows at most. */
export const cd5220Commands: PoleCommandSet = {
  name: 'cd5220',
  maxRows: 2,
  maxColumns: 20,
  init: () => Buffer.from([ESC, 0x40, FF, ESC, 0x5f, 0x00]),
  frame: (frame) =>
    Buffer.concat(frame.map((line, row) => Buffer.concat([Buffer.from([ESC, 0x51, row === 0 ? 0x41 : 0x42]), Buffer.from(line, 'latin1'), Buffer.from([CR])]))),
  clear: () => Buffer.from([FF]),
};

export function poleCommandSet(name: 'epson' | 'cd5220'): PoleCommandSet {
  return name === 'epson' ? epsonCommands : cd5220Commands;
}
