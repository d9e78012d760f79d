import type { Text } from './display-text.js';
import type { en } from './en.js';

/*
 * The shape of a language's table, apart from messages.ts (which holds every table), so that a
 * language's file (lt.ts) can be typed by it without importing the module that imports it.
 */

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
