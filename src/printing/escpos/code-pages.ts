import iconv from 'iconv-lite';

import { CODE_PAGES, type CodePageName } from '../../config/printer-code-pages.js';

/** The page a printer starts in after power-on or `ESC @` (Epson's default table). */
export const POWER_ON_ESC_T = 0;

/** The byte that prints `ch` in `page`, or undefined when the page has no such character. */
export function encodeChar(ch: string, page: CodePageName): number | undefined {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return code;
  const { encoding } = CODE_PAGES[page];
  const bytes = iconv.encode(ch, encoding);
  // iconv-lite writes "?" for what the page lacks; a round trip tells the two apart.
  if (bytes.length !== 1 || iconv.decode(bytes, encoding) !== ch) return undefined;
  return bytes[0];
}

/** What byte `b` (0x80-0xFF) prints as in the page `ESC t escT` selected; undefined for a page we do not know. */
export function decodeByte(b: number, escT: number): string | undefined {
  const page = Object.values(CODE_PAGES).find((p) => p.escT === escT);
  if (page === undefined) return undefined;
  return iconv.decode(Buffer.from([b]), page.encoding);
}
