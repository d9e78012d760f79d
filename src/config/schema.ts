import { z } from 'zod';
import { payseraSchema } from './paysera-schema.js';
import { centrapaySchema } from './centrapay-schema.js';
import { posSchema } from './pos-schema.js';
import { defaultDevices, devicesSchema } from './devices-schema.js';
import { uiSchema } from './ui-schema.js';
import { terminalSchema } from './terminal-schema.js';
import { metricsSchema } from './metrics-schema.js';
import { isTwoDecimalCurrency } from './currency-digits.js';

/**
 * The whole configuration file. Sections are strict: an unknown key is an error, because a typo
 * in a payment terminal's config should stop it at start, not be silently ignored.
 * Later sections (devices, centrapay, pos) are added here, each from its own schema file.
 */
export const configSchema = z.strictObject({
  /** The terminal's one currency. Centrapay accepts only what its merchant config covers (NZD in every example). */
  currency: z
    .string()
    .refine(isTwoDecimalCurrency, { message: 'must be an ISO 4217 code with two decimals, such as "EUR" or "NZD"' })
    .default('EUR'),
  dataDir: z.string().min(1).default('/var/lib/counterpay'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Final (paid, cancelled, declined) rows older than this may be pruned; open ones never are. */
  retentionDays: z.number().int().min(7).max(3650).default(90),
  terminal: terminalSchema.default({}),
  ui: uiSchema.default({ maxAmount: 50_000, language: 'en' }),
  paysera: payseraSchema,
  devices: devicesSchema.default(defaultDevices),
  centrapay: centrapaySchema.optional(),
  pos: posSchema.optional(),
  /** Prometheus `/metrics` on loopback (docs/monitoring.md); absent: no listener. */
  metrics: metricsSchema.optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
