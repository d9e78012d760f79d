import { z } from 'zod';
import { payseraSchema } from './paysera-schema.js';
import { centrapaySchema } from './centrapay-schema.js';
import { posSchema } from './pos-schema.js';
import { defaultDevices, devicesSchema } from './devices-schema.js';

/**
 * The whole configuration file. Sections are strict: an unknown key is an error, because a typo
 * in a payment terminal's config should stop it at start, not be silently ignored.
 * Later sections (devices, centrapay, pos) are added here, each from its own schema file.
 */
export const configSchema = z.strictObject({
  currency: z.literal('EUR').default('EUR'),
  dataDir: z.string().min(1).default('/var/lib/counterpay'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  paysera: payseraSchema,
  devices: devicesSchema.default(defaultDevices),
  centrapay: centrapaySchema.optional(),
  pos: posSchema.optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
