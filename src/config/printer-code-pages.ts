/**
 * The printer code pages a config may name (`devices.printer.codePage`). Data alone, with no
 * encoder, so the config's schema can list the names without loading iconv-lite; the encoder and
 * decoder that use it are in devices/printer/code-pages.ts.
 *
 * Which pages counterpay can print text in: node-thermal-printer's CharacterSet
 * names, the Epson `ESC t n` number that selects each (the library sends it at the start of a
 * document), and the single-byte encoding of its characters (iconv-lite, the library's own
 * encoder). The decoder reads printed bytes back through the same table.
 *
 * Numbers as in Epson's ESC/POS command reference ("ESC t: select character code table") and
 * node-thermal-printer's epson-config.js. Which pages a printer really has is model-specific:
 * its self-test page lists them. For Lithuanian: WPC1257_BALTIC_RIM (Windows-1257, with the euro
 * sign) or WPC775_BALTIC_RIM (PC775, no euro sign). Left out: PC851 (the library encodes it as
 * PC860), pages selected by other commands (Kanji, Thai) and the Vietnamese ones sharing n = 52.
 */
export const CODE_PAGES = {
  PC437_USA: { escT: 0, encoding: 'cp437' },
  PC850_MULTILINGUAL: { escT: 2, encoding: 'cp850' },
  PC860_PORTUGUESE: { escT: 3, encoding: 'cp860' },
  PC863_CANADIAN_FRENCH: { escT: 4, encoding: 'cp863' },
  PC865_NORDIC: { escT: 5, encoding: 'cp865' },
  PC857_TURKISH: { escT: 13, encoding: 'cp857' },
  PC737_GREEK: { escT: 14, encoding: 'cp737' },
  ISO8859_7_GREEK: { escT: 15, encoding: 'iso-8859-7' },
  WPC1252: { escT: 16, encoding: 'cp1252' },
  PC866_CYRILLIC2: { escT: 17, encoding: 'cp866' },
  PC852_LATIN2: { escT: 18, encoding: 'cp852' },
  /** node-thermal-printer's name for PC852. */
  SLOVENIA: { escT: 18, encoding: 'cp852' },
  PC858_EURO: { escT: 19, encoding: 'cp858' },
  WPC775_BALTIC_RIM: { escT: 33, encoding: 'cp775' },
  PC855_CYRILLIC: { escT: 34, encoding: 'cp855' },
  PC861_ICELANDIC: { escT: 35, encoding: 'cp861' },
  PC862_HEBREW: { escT: 36, encoding: 'cp862' },
  PC864_ARABIC: { escT: 37, encoding: 'cp864' },
  PC869_GREEK: { escT: 38, encoding: 'cp869' },
  ISO8859_2_LATIN2: { escT: 39, encoding: 'iso-8859-2' },
  ISO8859_15_LATIN9: { escT: 40, encoding: 'iso-8859-15' },
  PC1125_UKRANIAN: { escT: 44, encoding: 'cp1125' },
  WPC1250_LATIN2: { escT: 45, encoding: 'windows-1250' },
  WPC1251_CYRILLIC: { escT: 46, encoding: 'windows-1251' },
  WPC1253_GREEK: { escT: 47, encoding: 'windows-1253' },
  WPC1254_TURKISH: { escT: 48, encoding: 'windows-1254' },
  WPC1255_HEBREW: { escT: 49, encoding: 'windows-1255' },
  WPC1256_ARABIC: { escT: 50, encoding: 'windows-1256' },
  WPC1257_BALTIC_RIM: { escT: 51, encoding: 'windows-1257' },
  WPC1258_VIETNAMESE: { escT: 52, encoding: 'windows-1258' },
} as const satisfies Record<string, { escT: number; encoding: string }>;

export type CodePageName = keyof typeof CODE_PAGES;

export const CODE_PAGE_NAMES = Object.keys(CODE_PAGES) as [CodePageName, ...CodePageName[]];

export const DEFAULT_CODE_PAGE: CodePageName = 'PC858_EURO';
