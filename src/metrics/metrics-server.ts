import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';
import { MetricsError } from './metrics-error.js';

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** The exposition, rendered fresh for each scrape. */
  render: () => Promise<string>;
}

/**
 * The `/metrics` listener on node:http. GET (and HEAD) `/metrics` answers the exposition; any other
 * path 404, any other method 405; nothing is ever written or changed by a request. A failing
 * render answers 500 without details. start() rejects with MetricsError when the address cannot
 * be bound; stop() closes the listener and its idle keep-alive connections.
 */
export class MetricsServer {
  private server: Server | undefined;

  constructor(private readonly options: MetricsServerOptions) {}

  /** Where it listens (the port chosen by the system when 0 was configured). */
  address(): { host: string; port: number } | undefined {
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') return undefined;
    return { host: (address as AddressInfo).address, port: (address as AddressInfo).port };
  }

  async start(): Promise<void> {
    const { host, port } = this.options;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: the metrics are at /metrics\n');
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
        return;
      }
      this.options.render().then(
        (body) => {
          response.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' });
          response.end(request.method === 'HEAD' ? undefined : body);
        },
        () => {
          if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('metrics unavailable\n');
        },
      );
    });
    // A scraper keeps its connection open between scrapes; a short idle timeout frees it when the
    // scraper goes, and a slow client cannot hold a socket for long.
    server.keepAliveTimeout = 20_000;
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        server.close();
        reject(toMetricsError(error, host, port));
      };
      server.once('error', onError);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // Errors after listening (none expected on a listening socket) must not crash the terminal.
    server.on('error', () => undefined);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}

function toMetricsError(error: NodeJS.ErrnoException, host: string, port: number): MetricsError {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (error.code === 'EADDRINUSE') return new MetricsError('metrics_port_in_use', host, port, `metrics.listen ${where} is already in use by another process`, { cause: error });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return new MetricsError('metrics_address_unavailable', host, port, `metrics.listen ${where}: no such address on this machine`, { cause: error });
  }
  return new MetricsError('metrics_listen_failed', host, port, `metrics.listen ${where}: cannot listen (${error.code ?? 'error'})`, { cause: error });
}
