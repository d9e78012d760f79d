/**
 * A text with fallbacks: the first variant that fits the width is used, so a screen can say
 * "Code declined: funds" on 20 columns and "Declined: funds" on 16. Defined here, with the
 * language tables that are written in it; the UI (ui/text.ts) picks and fits the variants.
 */
export type Text = string | readonly string[];
