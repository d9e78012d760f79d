import type { Text } from '../ui/text.js';
import { CONVENTIONS, type Conventions } from './conventions.js';
import { en } from './en.js';
import { DEFAULT_LANGUAGE, type LanguageCode } from './language.js';
import { lt } from './lt.js';

/** Display texts: any string may become a list of variants in another language, and back. */
type DisplayTexts<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => Text ? (...args: A) => Text : T[K] extends Text ? Text : DisplayTexts<T[K]>;
};

/** Printed texts are single strings: paper has room, and lines wrap. */
type PrintTexts<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R : T[K] extends string ? string : PrintTexts<T[K]>;
};

/** The shape of every language's table: English's (en.ts). */
export interface Messages {
  readonly display: DisplayTexts<typeof en.display>;
  readonly print: PrintTexts<typeof en.print>;
}

export type DisplayMessages = Messages['display'];
export type PrintMessages = Messages['print'];

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
