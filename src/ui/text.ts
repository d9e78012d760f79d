import { transliterate } from '../i18n/transliterate.js';
import type { Text } from '../i18n/display-text.js';

/**
 * Fitting text to a small character display. Every screen builds its two lines with these
 * helpers so that nothing a screen renders is ever longer than the display is wide: the display
 * port would cut it anyway, but cutting at the port loses the end of the line, which is usually
 * the part that matters (the amount, the hint).
 */

/** Two rows of a character display, each at most `width` characters. */
export type Lines = readonly [string, string];

export type { Text } from '../i18n/display-text.js';

/** The variants of `text`, longest (preferred) first. */
export function variants(text: Text): readonly string[] {
  return typeof text === 'string' ? [text] : text;
}

/**
 * Columns `text` takes on the display. Displays without accents or the euro sign show them
 * transliterated ("č" -> "c", "€" -> "EUR"), so the width is measured on that form: a line that
 * fits there fits everywhere (the ports are ASCII by default).
 */
export function displayWidth(text: string): number {
  return transliterate(text).length;
}

/** Cuts `text` to what `width` columns show. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width) break;
    out += ch;
  }
  return out;
}

/** The first variant of `text` that fits, else the last (shortest) one cut to the width. */
export function pick(text: Text, width: number): string {
  const all = variants(text);
  for (const variant of all) if (displayWidth(variant) <= width) return variant;
  return fit(all[all.length - 1] ?? '', Math.max(0, width));
}

/** Whether some variant of `text` fits without cutting. */
export function fits(text: Text, width: number): boolean {
  return variants(text).some((variant) => displayWidth(variant) <= width);
}

/** `text` (its best variant) centered in `width`; trailing spaces are left to the display. */
export function center(text: Text, width: number): string {
  const chosen = pick(text, width);
  const left = Math.floor((width - displayWidth(chosen)) / 2);
  return ' '.repeat(Math.max(0, left)) + chosen;
}

/**
 * `left` at the start and `right` at the end of one line, at least one space apart. When both do
 * not fit, `right` is dropped (it is the hint or the secondary value), then `left` is cut.
 */
export function twoColumn(left: Text, right: Text, width: number): string {
  for (const l of variants(left)) {
    for (const r of variants(right)) {
      if (r.length === 0) continue;
      const used = displayWidth(l) + displayWidth(r);
      if (used + 1 <= width) return l + ' '.repeat(width - used) + r;
    }
  }
  return pick(left, width);
}

/** The right-hand hint of a line when it fits beside `main`, else `main` alone; for each variant of `main` in turn. */
export function withHint(main: Text, hint: Text): readonly string[] {
  return variants(main).flatMap((m) => [...variants(hint).flatMap((h) => [`${m}  ${h}`, `${m} ${h}`]), m]);
}
