/**
 * A 5x7 bitmap font for printable ASCII, the euro sign and the Lithuanian letters, drawn for this
 * project. It renders receipt previews (escpos-decoder.ts) and the raster text printed where the
 * printer's code page lacks a letter (text-raster.ts), so both look alike. Each glyph is two hex
 * digits per row, bit 4 = leftmost column: 7 rows (0-6), or 10 rows (-1 to 8) for letters with a
 * mark above a capital or an ogonek below the line.
 */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

const GLYPHS = new Map<string, string>([
  [' ', '00000000000000'],
  ['!', '04040404040004'],
  ['"', '0a0a0000000000'],
  ['#', '0a0a1f0a1f0a0a'],
  ['$', '040f140e051e04'],
  ['%', '18190204081303'],
  ['&', '0c12140815120d'],
  ["'", '04040000000000'],
  ['(', '02040808080402'],
  [')', '08040202020408'],
  ['*', '0004150e150400'],
  ['+', '0004041f040400'],
  [',', '000000000c0408'],
  ['-', '0000001f000000'],
  ['.', '00000000000c0c'],
  ['/', '00010204081000'],
  ['0', '0e11131519110e'],
  ['1', '040c040404040e'],
  ['2', '0e11010204081f'],
  ['3', '1f02040201110e'],
  ['4', '02060a121f0202'],
  ['5', '1f101e0101110e'],
  ['6', '0608101e11110e'],
  ['7', '1f010204080808'],
  ['8', '0e11110e11110e'],
  ['9', '0e11110f01020c'],
  [':', '000c0c000c0c00'],
  [';', '000c0c000c0408'],
  ['<', '02040810080402'],
  ['=', '00001f001f0000'],
  ['>', '08040201020408'],
  ['?', '0e110102040004'],
  ['@', '0e11010d15150e'],
  ['A', '0e11111f111111'],
  ['B', '1e11111e11111e'],
  ['C', '0e11101010110e'],
  ['D', '1c12111111121c'],
  ['E', '1f10101e10101f'],
  ['F', '1f10101e101010'],
  ['G', '0e11101711110f'],
  ['H', '1111111f111111'],
  ['I', '0e04040404040e'],
  ['J', '0702020202120c'],
  ['K', '11121418141211'],
  ['L', '1010101010101f'],
  ['M', '111b1515111111'],
  ['N', '11111915131111'],
  ['O', '0e11111111110e'],
  ['P', '1e11111e101010'],
  ['Q', '0e11111115120d'],
  ['R', '1e11111e141211'],
  ['S', '0f10100e01011e'],
  ['T', '1f040404040404'],
  ['U', '1111111111110e'],
  ['V', '11111111110a04'],
  ['W', '1111111515150a'],
  ['X', '11110a040a1111'],
  ['Y', '11110a04040404'],
  ['Z', '1f01020408101f'],
  ['[', '0e08080808080e'],
  ['\\', '00100804020100'],
  [']', '0e02020202020e'],
  ['^', '040a1100000000'],
  ['_', '0000000000001f'],
  ['`', '08040000000000'],
  ['{', '02040408040402'],
  ['|', '04040404040404'],
  ['}', '08040402040408'],
  ['~', '00000815020000'],
  ['€', '07081e081e0807'],
  ['a', '00000e010f110f'],
  ['b', '1010161911111e'],
  ['c', '00000e1010110e'],
  ['d', '01010d1311110f'],
  ['e', '00000e111f100e'],
  ['f', '0609081c080808'],
  ['g', '000f11110f010e'],
  ['h', '10101619111111'],
  ['i', '04000c0404040e'],
  ['j', '0200060202120c'],
  ['k', '10101214181412'],
  ['l', '0c04040404040e'],
  ['m', '00001a15151111'],
  ['n', '00001619111111'],
  ['o', '00000e1111110e'],
  ['p', '00001e111e1010'],
  ['q', '00000d130f0101'],
  ['r', '00001619101010'],
  ['s', '00000e100e011e'],
  ['t', '08081c08080906'],
  ['u', '0000111111130d'],
  ['v', '00001111110a04'],
  ['w', '0000111115150a'],
  ['x', '0000110a040a11'],
  ['y', '000011110f010e'],
  ['z', '00001f0204081f'],
  // Lithuanian quotation marks: „Ąžuolas“.
  ['„', '000000000a0a14'],
  ['“', '050a0a00000000'],
  ['”', '0a0a1400000000'],
  // Lithuanian. Small letters carry caron, dot and macron in the two rows above x-height.
  ['č', '0a040e1010110e'],
  ['š', '0a040e100e011e'],
  ['ž', '0a041f0204081f'],
  ['ė', '04000e111f100e'],
  ['ū', '0e00111111130d'],
  // Ogonek in rows 7-8, under the right of the letter.
  ['ą', '0000000e010f110f0203'],
  ['ę', '0000000e111f100e0203'],
  ['į', '0004000c0404040e0406'],
  ['ų', '000000111111130d0203'],
  // Capitals with a mark above are one row shorter, so the mark stays clear of the letter.
  ['Č', '0a040e111010110e0000'],
  ['Š', '0a040f100e01011e0000'],
  ['Ž', '0a041f020408101f0000'],
  ['Ė', '04001f101e10101f0000'],
  ['Ū', '0e0011111111110e0000'],
  ['Ą', '000e11111f1111110203'],
  ['Ę', '001f10101e10101f0203'],
  ['Į', '000e04040404040e0406'],
  ['Ų', '001111111111110e0203'],
]);

/** Every character the font draws. */
export function glyphChars(): string[] {
  return [...GLYPHS.keys()];
}

/** Whether the font has a glyph of its own for `ch` (anything else is drawn as "?"). */
export function hasGlyph(ch: string): boolean {
  return GLYPHS.has(ch);
}

/** Rows a cell spans: one above the 7 glyph rows, two below them (for marks), none spare. */
export const CELL_ROWS = GLYPH_HEIGHT + 3;

/**
 * Calls `put(x, y)` for every black pixel of `text`, one 6-pixel-wide cell per character; y runs
 * from -1 (marks above capitals) to 8 (ogonek), the letters themselves are rows 0-6.
 */
export function drawText(text: string, put: (x: number, y: number) => void): void {
  let cell = 0;
  for (const ch of text) {
    const glyph = GLYPHS.get(ch) ?? GLYPHS.get('?') ?? '';
    const rows = glyph.length / 2;
    const top = rows > GLYPH_HEIGHT ? -1 : 0;
    for (let row = 0; row < rows; row++) {
      const bits = parseInt(glyph.slice(row * 2, row * 2 + 2), 16);
      for (let col = 0; col < GLYPH_WIDTH; col++) if (bits & (0x10 >> col)) put(cell * (GLYPH_WIDTH + 1) + col, top + row);
    }
    cell += 1;
  }
}
