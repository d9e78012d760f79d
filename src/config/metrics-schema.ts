import { isIP } from 'node:net';
import { z } from 'zod';
import { isLoopbackHost } from './loopback.js';

/** `HOST:PORT` split; an IPv6 host is written in brackets (`[::1]:9464`). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Reads "HOST:PORT" ("127.0.0.1:9464", "[::1]:9464", "localhost:9464"); undefined when it is not one. */
export function parseListenAddress(value: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value.trim());
  if (match === null) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (match[1] !== undefined && isIP(host) !== 6) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return undefined;
  return { host, port };
}

/**
 * The optional `metrics` section: where `/metrics` (Prometheus text format) is served. Absent:
 * no listener at all. The port shows takings and device states, so it stays on loopback, where
 * a local agent (Grafana Alloy, Prometheus in agent mode) scrapes it and forwards over its own
 * authenticated link; any other address is refused unless `allowNonLoopback` says the owner
 * means it (docs/monitoring.md).
 */
export const metricsSchema = z
  .strictObject({
    /** "HOST:PORT", e.g. "127.0.0.1:9464" (9464: the port commonly used by Node exporters). */
    listen: z.string().superRefine((value, ctx) => {
      if (parseListenAddress(value) === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be "HOST:PORT" with a port 1-65535, such as "127.0.0.1:9464" (IPv6 in brackets: "[::1]:9464"), got "${value}"` });
      }
    }),
    /** Serve on a non-loopback address (a LAN scraper without a local agent). Off unless set. */
    allowNonLoopback: z.boolean().default(false),
  })
  .superRefine((section, ctx) => {
    const address = parseListenAddress(section.listen);
    if (address === undefined || section.allowNonLoopback || isLoopbackHost(address.host)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['listen'],
      message: `"${address.host}" is not a loopback address: the metrics port would be reachable from the network. Use 127.0.0.1 with a local agent, or set metrics.allowNonLoopback: true to mean it`,
    });
  });

export type MetricsConfig = z.infer<typeof metricsSchema>;
