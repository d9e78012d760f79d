import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../platform/clock.js';
import { closeServer } from '../../../test/support/close-server.js';
import { HttpEndpoint } from './http-endpoint.js';

/**
 * stop() is bounded by nothing the server does: a request in flight is aborted at once and reads
 * as a lost answer (ambiguous for a write, so it is reconciled after the next start), and one
 * asked for afterwards is never sent.
 */

let server: Server | undefined;
afterEach(async () => {
  await closeServer(server);
  server = undefined;
});

/** A server that reads requests and never answers them; resolves with its base URL. */
async function silentServer(received: IncomingMessage[]): Promise<string> {
  server = createServer((req) => received.push(req));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

describe('HttpEndpoint.stop()', () => {
  it('aborts a write in flight at once, as a lost answer (ambiguous), and refuses to send afterwards', async () => {
    const received: IncomingMessage[] = [];
    const baseUrl = await silentServer(received);
    const endpoint = new HttpEndpoint({ name: 'test', baseUrl, clock: new SystemClock(), headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 });
    await endpoint.start();
    const pending = endpoint.exchange('POST', '/api/things', { 'content-type': 'application/json' }, Buffer.from('{}'));
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);

    const stopStarted = performance.now();
    await endpoint.stop();
    const outcome = await pending;
    // Far below the 30 s headers timeout the server would otherwise have been given.
    expect(performance.now() - stopStarted).toBeLessThan(5_000);
    expect(outcome).toMatchObject({ kind: 'failure', failure: { code: 'connection_reset', ambiguous: true, retryable: true, errno: 'UND_ERR_ABORTED' } });

    const after = await endpoint.exchange('POST', '/api/things', {}, Buffer.from('{}'));
    expect(after).toMatchObject({ kind: 'failure', failure: { code: 'connect_failed', ambiguous: false } });
    expect(received).toHaveLength(1);
  });

  it('a read aborted at stop is not ambiguous', async () => {
    const received: IncomingMessage[] = [];
    const baseUrl = await silentServer(received);
    const endpoint = new HttpEndpoint({ name: 'test', baseUrl, clock: new SystemClock(), headersTimeoutMs: 30_000 });
    await endpoint.start();
    const pending = endpoint.exchange('GET', '/api/things/1', {}, undefined);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    await endpoint.stop();
    expect(await pending).toMatchObject({ kind: 'failure', failure: { code: 'connection_reset', ambiguous: false } });
  });
});
