import { z } from 'zod';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../i18n/language.js';

/** An amount in major units with at most two decimals ("500.00" or 500), kept exact as minor units. */
const amount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `not an amount with at most two decimals: "${text}"` });
    return z.NEVER;
  }
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (minor <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be more than 0' });
    return z.NEVER;
  }
  return minor;
});

/** Whether Intl (so the display clock and the receipt layouts) accepts `zone`. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What staff may do at the keypad. */
export const uiSchema = z.strictObject({
  /** Largest amount staff may key (minor units after parsing); default 500.00. */
  maxAmount: amount.default(50_000),
  /**
   * IANA time zone of the idle clock and printed times; default the system's. Checked against the
   * zones this Node knows at load: an unknown one would make every receipt fail to render.
   */
  timeZone: z
    .string()
    .min(1)
    .superRefine((zone, ctx) => {
      if (!isKnownTimeZone(zone)) ctx.addIssue({ code: 'custom', message: `unknown time zone ${JSON.stringify(zone)}: use an IANA name such as "Europe/Vilnius"` });
    })
    .optional(),
  /** Language of the display and of everything printed (texts, amounts, dates); default English. */
  language: z.enum(LANGUAGES).default(DEFAULT_LANGUAGE),
  /**
   * How long a code sale (B, amount, #) waits for the customer's code at the scanner before it is
   * cancelled, as D would, with a line on the display. Absent: 120 s (the UI's default, so the
   * `ui` section's own default stays as it is). Nothing waits for ever.
   */
  codeScanTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  /**
   * The supervisor PIN that menu item 6 (Refund) asks for: 4 to 8 digits, as a string. Absent:
   * refunds are disabled at the terminal. A secret: redacted from the logs, never displayed.
   */
  supervisorPin: z
    .string()
    .regex(/^\d{4,8}$/, { message: 'must be 4 to 8 digits, as a string such as "4321"' })
    .optional(),
});
