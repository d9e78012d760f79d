import { z } from 'zod';
import { isLoopbackHost } from './loopback.js';

/** A configured table: a bare identifier, or an identifier with the number staff type and a name. */
export const tableSchema = z.union([
  z.string().min(1).max(64),
  z.strictObject({
    id: z.string().min(1).max(64),
    number: z.number().int().min(0).max(9999).optional(),
    name: z.string().min(1).max(32).optional(),
  }),
]);

export const payseraBaseUrl = z
  .string()
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a URL: "${value}"` });
      return;
    }
    // Requests are built and signed under this URL's path: userinfo would travel in every request
    // (and into logs), a query or a fragment would be cut off or land in the middle of the
    // request-uri. None of them is ever echoed here (userinfo may be a password).
    if (url.username !== '' || url.password !== '' || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password ("user:pass@"): credentials have their own fields' });
      return;
    }
    if (url.search !== '' || value.includes('?')) {
      ctx.addIssue({ code: 'custom', message: 'must not have a query ("?..."): give the base URL only' });
      return;
    }
    if (url.hash !== '' || value.includes('#')) {
      ctx.addIssue({ code: 'custom', message: 'must not have a fragment ("#..."): give the base URL only' });
      return;
    }
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
    ctx.addIssue({
      code: 'custom',
      message:
        url.protocol === 'http:'
          ? `plain http is refused for a non-loopback host ("${url.hostname}"): use https`
          : `must be an https URL, got "${url.protocol}"`,
    });
  });

export const payseraSchema = z.strictObject({
  baseUrl: payseraBaseUrl.default('https://wallet.paysera.com'),
  macId: z.string().min(1),
  macKey: z.string().min(1).optional(),
  macKeyFile: z.string().min(1).optional(),
  locationId: z.number().int().positive(),
  tables: z.array(tableSchema).default([]),
  /**
   * Tables of this location that other terminals sell (identifiers): never closed as fabricated,
   * never sold here. docs/configuration.md#several-counters.
   */
  otherTables: z.array(z.string().min(1).max(64)).default([]),
  /**
   * Another counter may sell these tables too: read the spot before each order and check each
   * new order for a rival. False only where this terminal is the only one selling its tables.
   */
  sharedTables: z.boolean().default(true),
  pollIntervalMs: z.number().int().min(3000).max(5000).default(4000),
  requestBudgetPerMinute: z.number().int().min(10).max(600).default(60),
  /** Request timeouts; the defaults suit a Pi on shop Wi-Fi. */
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
  headersTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  bodyTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  /**
   * The body field of reserve-by-code. `reservation_code` is what Paysera's own example (whose
   * signature reproduces) and SDKs send; newer reference pages show `code`. An answer naming the
   * field as invalid is reported as this setting being wrong, never as a declined payment.
   */
  reservationCodeField: z.enum(['reservation_code', 'code']).default('reservation_code'),
});
