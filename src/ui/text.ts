/**
 * Fitting text to a small character display. Every screen builds its two lines with these
 * helpers so that nothing a screen renders is ever longer than the display is wide: the display
 * port would cut it anyway, but cutting at the port loses the end of the line, which is usually
 * the part that matters (the amount, the hint).
 */

/** Two rows of a character display, each at most `width` characters. */
export type Lines = readonly [string, string];

/**
 * A text with fallbacks: the first variant that fits the width is used, so a screen can say
 * "Code declined: funds" on 20 columns and "Declined: funds" on 16.
 */
export type Text = string | readonly string[];

function variants(text: Text): readonly string[] {
  return typeof text === 'string' ? [text] : text;
}

/** Cuts `text` to `width` characters. */
export function fit(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width));
}

/** The first variant of `text` that fits, else the last (shortest) one cut to the width. */
export function pick(text: Text, width: number): string {
  const all = variants(text);
  for (const variant of all) if (variant.length <= width) return variant;
  return fit(all[all.length - 1] ?? '', width);
}

/** Whether some variant of `text` fits without cutting. */
export function fits(text: Text, width: number): boolean {
  return variants(text).some((variant) => variant.length <= width);
}

/** `text` (its best variant) centered in `width`; trailing spaces are left to the display. */
export function center(text: Text, width: number): string {
  const chosen = pick(text, width);
  const left = Math.floor((width - chosen.length) / 2);
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
      if (l.length + 1 + r.length <= width) return l + ' '.repeat(width - l.length - r.length) + r;
    }
  }
  return pick(left, width);
}

/** The right-hand hint of a line when it fits beside `main`, else `main` alone. */
export function withHint(main: string, hint: string): readonly string[] {
  return [`${main}  ${hint}`, `${main} ${hint}`, main];
}
