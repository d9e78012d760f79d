import { z } from 'zod';

/**
 * This terminal among the venue's counters. `name` (default: the machine's hostname, set by the
 * loader) is printed on receipts and the day report, sent to Paysera in each transaction's
 * parameters, to Paysera POS with each record and to Centrapay as the terminal id (when
 * `centrapay.terminalId` is not given), and carried by every log line. Not a secret.
 */
export const terminalSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[^\p{Cc}]+$/u, { message: 'must not contain control characters' })
    .optional(),
});
