/**
 * Text for displays that only have ASCII (pole displays, HD44780): the euro sign becomes "EUR",
 * accents are dropped ("Zürich" -> "Zurich"), a few letters without a decomposition are spelled
 * out, typographic punctuation becomes ASCII, control characters are removed and anything else
 * becomes "?".
 */
const SPECIAL: Record<string, string> = {
  '€': 'EUR',
  ß: 'ss',
  ẞ: 'SS',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '·': '.',
  '×': 'x',
  '\u00a0': ' ',
};

export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) {
      out += ch;
      continue;
    }
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) continue; // controls: dropped
    const special = SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += /^[\x20-\x7e]+$/.test(stripped) ? stripped : '?';
  }
  return out;
}

/** Removes only control characters, for displays that can show any printable character. */
export function printableOnly(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && !(code >= 0x7f && code <= 0x9f)) out += ch;
  }
  return out;
}

/** Cuts to `columns` characters (code points) and pads with spaces to exactly `columns`. */
export function fitLine(text: string, columns: number): string {
  const chars = Array.from(text);
  return chars.length >= columns ? chars.slice(0, columns).join('') : text + ' '.repeat(columns - chars.length);
}

export type Charset = 'ascii' | 'unicode';

/** The frame a display with `rows` x `columns` and this charset shows for `lines`. */
export function fitFrame(lines: readonly string[], rows: number, columns: number, charset: Charset): string[] {
  const frame: string[] = [];
  for (let row = 0; row < rows; row++) {
    const raw = lines[row] ?? '';
    frame.push(fitLine(charset === 'ascii' ? transliterate(raw) : printableOnly(raw), columns));
  }
  return frame;
}
