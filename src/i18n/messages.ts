import { CONVENTIONS, type Conventions } from './conventions.js';
import { en } from './en.js';
import { DEFAULT_LANGUAGE, type LanguageCode } from './language.js';
import { lt } from './lt.js';
import type { Messages } from './message-table.js';

export type { DisplayMessages, Messages, PrintMessages } from './message-table.js';

/** A language: its texts and its conventions for amounts and times. */
export interface Language {
  readonly code: LanguageCode;
  readonly t: Messages;
  readonly format: Conventions;
}

const TABLES: Record<LanguageCode, Messages> = { en, lt };

export function language(code: LanguageCode = DEFAULT_LANGUAGE): Language {
  return { code, t: TABLES[code], format: CONVENTIONS[code] };
}

/** Every language's table, for the tests that compare them. */
export function messageTables(): Readonly<Record<LanguageCode, Messages>> {
  return TABLES;
}
