import { z } from 'zod';
import { payseraBaseUrl as httpsUrl } from './paysera-schema.js';

/**
 * The optional `centrapay` section (docs/apis.md#centrapay). Absent: the C key says "Not configured".
 * The API key is inline (`apiKey`) or in a file (`apiKeyFile`), resolved by parseConfig.
 */
export const centrapaySchema = z.strictObject({
  /** https only, except http to a loopback host (the emulator). Paths are /api/... under it. */
  baseUrl: httpsUrl.default('https://service.centrapay.com'),
  apiKey: z.string().min(1).optional(),
  apiKeyFile: z.string().min(1).optional(),
  /** The Merchant Config id (`mc_...`, or a legacy id). */
  configId: z.string().min(1),
  /**
   * Required although the create call does not need it: the external-ref lookup does, and that
   * lookup is the only way back to a payment request whose create response was lost.
   */
  merchantAccountId: z.string().min(1),
  /** Sent with every request (checklist 104.1/104.6); default: the terminal's name (`terminal.name`). */
  terminalId: z.string().min(1).max(128).optional(),
  deviceId: z.string().min(1).max(128),
  /** Lifetime of a payment request; the terminal gives up 5-10 s after it. Centrapay's default is 120. */
  expirySeconds: z.number().int().min(30).max(900).default(120),
  /** How often a waiting sale is polled (documented: every second). */
  pollIntervalMs: z.number().int().min(500).max(5000).default(1000),
  /** Per-request timeouts: the poll must not hang longer than about 3 s. */
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
  headersTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
  bodyTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
});

export type RawCentrapayConfig = z.infer<typeof centrapaySchema>;
