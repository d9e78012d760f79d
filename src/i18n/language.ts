/**
 * The languages the terminal speaks to staff and customers (`ui.language`). A language is one
 * message table (`en.ts`, `lt.ts`, same shape as English) plus its conventions for amounts and
 * dates (`conventions.ts`). Adding one: copy `lt.ts`, translate every text, add its code here and
 * its conventions; the i18n tests list anything missing or too wide for a 2x16 display.
 */
export const LANGUAGES = ['en', 'lt'] as const;

export type LanguageCode = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: LanguageCode = 'en';
