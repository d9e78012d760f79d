import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../platform/clock.js';
import { FakeClock } from '../../platform/fake-clock.js';
import { bodyHash, computeMac, parseAuthorizationHeader } from './mac-signature.js';
import { RequestBudget, type RequestPriority } from './request-budget.js';
import { PayseraWalletClient } from './wallet-client.js';
import { WalletError } from './wallet-error.js';
import { recordingLogger } from '../../../test/support/recording-logger.js';
import { rejectionOf } from '../../../test/support/rejection.js';
import { closeServer } from '../../../test/support/close-server.js';

const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';
const ID = 'wkVd93h2uS';

interface Received {
  method: string;
  url: string;
  host: string;
  auth: Record<string, string> | undefined;
  body: Buffer;
  macValid: boolean;
}

type Script = (req: IncomingMessage, res: ServerResponse, received: Received) => void;

const TX = { transaction_key: 'abc', status: 'new', payments: [{ id: 1, price: 1299, currency: 'EUR', price_decimal: '12.99' }] };

let server: Server | undefined;
let client: PayseraWalletClient | undefined;

afterEach(async () => {
  await client?.stop();
  client = undefined;
  await closeServer(server);
  server = undefined;
});

/** A loopback server that verifies each request's MAC like Paysera would, then runs the script. */
async function serve(script: Script): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const auth = parseAuthorizationHeader(req.headers.authorization ?? '');
      const [host = '', port = '80'] = (req.headers.host ?? '').split(':');
      const ext = auth?.['ext'] ?? '';
      const macValid =
        auth !== undefined &&
        auth['mac'] === computeMac(KEY, { ts: auth['ts'] ?? '', nonce: auth['nonce'] ?? '', method: req.method ?? '', requestUri: req.url ?? '', host, port, ext }) &&
        (body.length === 0 ? ext === '' : ext === `body_hash=${encodeURIComponent(bodyHash(body))}`);
      const r: Received = { method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', auth, body, macValid };
      received.push(r);
      script(req, res, r);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server?.address() as AddressInfo).port, received };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function makeClient(port: number, options: Partial<ConstructorParameters<typeof PayseraWalletClient>[0]> = {}): PayseraWalletClient {
  client = new PayseraWalletClient({ baseUrl: `http://127.0.0.1:${port}`, macId: ID, macKey: KEY, clock: new SystemClock(), ...options });
  return client;
}

const rejection = (promise: Promise<unknown>): Promise<WalletError> => rejectionOf(promise, WalletError);

describe('signing what is sent', () => {
  it('hashes and sends the same body bytes, signs the sent request-uri, host and non-default port', async () => {
    const { port, received } = await serve((_req, res) => json(res, 200, TX));
    const c = makeClient(port, { baseUrl: `http://localhost:${port}/prefix/` });
    await c.start();
    await c.createTransaction({ payments: [{ description: 'Table 3 / ąčę', price: 1299, currency: 'EUR', parameters: { sale: 's_1' } }], callbackUri: false });
    const [r] = received;
    expect(r?.url).toBe('/prefix/rest/v1/transaction');
    expect(r?.macValid).toBe(true);
    expect(r?.auth?.['id']).toBe(ID);
    expect(JSON.parse(r?.body.toString() ?? '')).toEqual({
      payments: [{ description: 'Table 3 / ąčę', price: 1299, currency: 'EUR', parameters: { sale: 's_1' } }],
      callback_uri: false,
    });
  });

  it('signs a query string exactly as sent, and omits ext without a body', async () => {
    const { port, received } = await serve((_req, res) => json(res, 200, { spots: [], _metadata: { total: 0, offset: 0, limit: 100 } }));
    const c = makeClient(port);
    await c.start();
    await c.listSpots({ status: 'waiting' });
    expect(received[0]?.url).toBe('/rest/v1/spots?status=waiting&limit=100&offset=0');
    expect(received[0]?.macValid).toBe(true);
    expect(received[0]?.auth?.['ext']).toBeUndefined();
  });

  it('signs every attempt afresh: a new nonce each time', async () => {
    const { port, received } = await serve((_req, res) => json(res, 200, TX));
    const c = makeClient(port);
    await c.start();
    await c.getTransaction('abc');
    await c.getTransaction('abc');
    expect(received[0]?.auth?.['nonce']).not.toBe(received[1]?.auth?.['nonce']);
    expect(received.every((r) => r.macValid)).toBe(true);
  });
});

describe('error classification', () => {
  it('refused connection: connect_failed, not ambiguous, retryable', async () => {
    const { port } = await serve(() => undefined);
    server?.close();
    server?.closeAllConnections();
    server = undefined;
    const c = makeClient(port);
    await c.start();
    const err = await rejection(c.confirmTransaction('abc'));
    expect(err).toMatchObject({ code: 'connect_failed', ambiguous: false, retryable: true });
  });

  it('no answer in time: a write is ambiguous, a read is not', async () => {
    const { port } = await serve(() => undefined);
    const c = makeClient(port, { headersTimeoutMs: 200 });
    await c.start();
    expect(await rejection(c.confirmTransaction('abc'))).toMatchObject({ code: 'request_timeout', ambiguous: true, retryable: true });
    expect(await rejection(c.getTransaction('abc'))).toMatchObject({ code: 'request_timeout', ambiguous: false, retryable: true });
  });

  it('connection dropped after the request arrived: ambiguous write', async () => {
    const { port, received } = await serve((req) => req.socket.destroy());
    const c = makeClient(port);
    await c.start();
    const err = await rejection(c.createOrder(7, { transactionKey: 'abc' }));
    expect(received).toHaveLength(1);
    expect(err).toMatchObject({ code: 'connection_reset', ambiguous: true, retryable: true });
  });

  it('5xx: ambiguous on a write, plain retryable on a read', async () => {
    const { port } = await serve((_req, res) => json(res, 500, { error: 'internal_server_error' }));
    const c = makeClient(port);
    await c.start();
    expect(await rejection(c.closeSpot(1))).toMatchObject({ code: 'internal_server_error', status: 500, ambiguous: true, retryable: true });
    expect(await rejection(c.getSpot(1))).toMatchObject({ code: 'internal_server_error', status: 500, ambiguous: false, retryable: true });
  });

  it('429 carries the parsed Retry-After', async () => {
    const { port } = await serve((_req, res) => json(res, 429, { error: 'rate_limit_exceeded' }, { 'retry-after': '7' }));
    const c = makeClient(port);
    await c.start();
    expect(await rejection(c.getSpot(1))).toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryable: true, ambiguous: false, retryAfterMs: 7000 });
  });

  it('business and auth errors keep the API code and are not retryable', async () => {
    const answers: [number, string][] = [
      [409, 'invalid_state'],
      [404, 'not_found'],
      [400, 'invalid_parameters'],
      [401, 'unauthorized'],
      [400, 'not_enough_funds'],
    ];
    let i = 0;
    const { port } = await serve((_req, res) => {
      const [status, error] = answers[i++] ?? [500, 'x'];
      json(res, status, { error, error_description: 'text that is never parsed' });
    });
    const c = makeClient(port);
    await c.start();
    for (const [status, code] of answers) {
      const err = await rejection(c.reserveTransaction('abc', '0155567464130298871198969060'));
      expect(err).toMatchObject({ code, status, retryable: false, ambiguous: false });
    }
  });

  it('a 200 that is not JSON, lacks a field, has an unreadable amount or is empty is invalid_response', async () => {
    const bodies = ['not json', JSON.stringify({ status: 'new' }), JSON.stringify({ ...TX, payments: [{ id: 1, price: 1299, currency: 'EUR', price_decimal: '12.995' }] }), ''];
    let i = 0;
    const { port } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bodies[i++]);
    });
    const c = makeClient(port);
    await c.start();
    // On a write the effect happened but cannot be seen: ambiguous.
    expect(await rejection(c.confirmTransaction('abc'))).toMatchObject({ code: 'invalid_response', ambiguous: true });
    expect(await rejection(c.getTransaction('abc'))).toMatchObject({ code: 'invalid_response', ambiguous: false });
    expect(await rejection(c.getTransaction('abc'))).toMatchObject({ code: 'invalid_response' });
    expect(await rejection(c.getTransaction('abc'))).toMatchObject({ code: 'invalid_response' });
  });

  it('accepts spot status open and opened alike; an undocumented one reads as unknown, raw value kept', async () => {
    const statuses = ['open', 'opened', 'busy'];
    let i = 0;
    const { port } = await serve((_req, res) => json(res, 200, { id: 1, status: statuses[i++], identifier: 'TABLE1' }));
    const c = makeClient(port);
    await c.start();
    expect((await c.getSpot(1)).status).toBe('opened');
    expect((await c.getSpot(1)).status).toBe('opened');
    expect(await c.getSpot(1)).toMatchObject({ status: 'unknown', rawStatus: 'busy' });
  });

  it('a transaction in an undocumented status reads as unknown, never as an error', async () => {
    const { port } = await serve((_req, res) => json(res, 200, { ...TX, status: 'teleported', x_new: { a: 1 } }));
    const c = makeClient(port);
    await c.start();
    expect(await c.getTransaction('abc')).toMatchObject({ key: 'abc', status: 'unknown', rawStatus: 'teleported', payments: [{ price: 1299 }] });
  });

  it('refuses a price that disagrees with price_decimal', async () => {
    const { port } = await serve((_req, res) => json(res, 200, { ...TX, payments: [{ id: 1, price: 1299, currency: 'EUR', price_decimal: '129.90' }] }));
    const c = makeClient(port);
    await c.start();
    expect(await rejection(c.getTransaction('abc'))).toMatchObject({ code: 'invalid_response' });
  });
});

describe('lists: one item that cannot be used never sinks the rest', () => {
  const SPOT = (id: number, status: string) => ({ id, status, identifier: `table${id}`, place_info: { title: 'T', location_id: 3 } });

  it('a spot in an undocumented status, or without an id, is left out with one warning across polls; the rest kept', async () => {
    const { port } = await serve((_req, res) =>
      json(res, 200, { spots: [SPOT(1, 'waiting'), SPOT(2, 'reserved_for_event'), { status: 'waiting' }, SPOT(4, 'waiting')], _metadata: { total: 4, offset: 0, limit: 100 } }),
    );
    const warnings: unknown[] = [];
    const c = makeClient(port, { logger: recordingLogger(warnings) });
    await c.start();
    for (let poll = 0; poll < 3; poll++) expect((await c.listSpots({ status: 'waiting', locationId: 3 })).map((s) => s.id)).toEqual([1, 4]);
    expect(warnings.map((w) => (w as { problem: string }).problem)).toEqual(['unknown spot status "reserved_for_event"', expect.stringMatching(/^id: /)]);
  });

  it('a transaction whose price_decimal has three decimals is left out; with unreadable: fail the list is invalid_response', async () => {
    const odd = { ...TX, transaction_key: 'odd', payments: [{ id: 2, price: 1299, currency: 'EUR', price_decimal: '12.990' }] };
    const { port } = await serve((_req, res) => json(res, 200, { transactions: [TX, odd, { ...TX, transaction_key: 'new_status', status: 'on_hold' }], _metadata: { total: 3, offset: 0, limit: 100 } }));
    const warnings: unknown[] = [];
    const c = makeClient(port, { logger: recordingLogger(warnings) });
    await c.start();
    const listed = await c.listTransactions({ statuses: ['reserved'] });
    // Kept: the readable ones, the undocumented status marked unknown (it might be ours).
    expect(listed.map((t) => [t.key, t.status])).toEqual([
      ['abc', 'new'],
      ['new_status', 'unknown'],
    ]);
    expect(warnings).toEqual([expect.objectContaining({ id: 'odd', problem: expect.stringContaining('12.990') })]);
    expect(await rejection(c.listTransactions({ statuses: ['reserved'], unreadable: 'fail' }))).toMatchObject({ code: 'invalid_response', ambiguous: false, retryable: true });
  });

  it('the page count includes left-out items, so the walk neither stops early nor loops', async () => {
    const { port, received } = await serve((req, res) => {
      const offset = Number(new URL(req.url ?? '', 'http://x').searchParams.get('offset'));
      const page = offset === 0 ? [SPOT(1, 'waiting'), SPOT(2, 'weird')] : [SPOT(3, 'waiting')];
      json(res, 200, { spots: page, _metadata: { total: 3, offset, limit: 2 } });
    });
    const c = makeClient(port);
    await c.start();
    expect((await c.listSpots({ status: 'waiting', pageSize: 2 })).map((s) => s.id)).toEqual([1, 3]);
    expect(received.map((r) => r.url)).toEqual(['/rest/v1/spots?status=waiting&limit=2&offset=0', '/rest/v1/spots?status=waiting&limit=2&offset=2']);
  });
});

describe('reserve-by-code field and violated fields', () => {
  it('sends the configured field; an invalid_parameters answer names the violated fields', async () => {
    const { port, received } = await serve((_req, res) =>
      json(res, 400, { error: 'invalid_parameters', error_description: 'x', errors: [{ code: 'invalid', message: 'm', field: 'code' }], error_properties: { code: ['m'], other: ['n'] } }),
    );
    const c = makeClient(port, { reservationCodeField: 'code' });
    await c.start();
    const error = await rejection(c.reserveTransaction('abc', '0155567464130298871198969060'));
    expect(error).toMatchObject({ code: 'invalid_parameters', status: 400 });
    expect(error.fields).toEqual(['code', 'other']);
    expect(JSON.parse(received[0]?.body.toString() ?? '')).toEqual({ code: '0155567464130298871198969060' });
  });
});

describe('invalid_timestamp', () => {
  it('reads the server time, re-signs with it and retries exactly once', async () => {
    const clock = new FakeClock({ wallMs: Date.UTC(2020, 0, 1) });
    const serverNow = Math.floor(Date.now() / 1000);
    const { port, received } = await serve((req, res, r) => {
      if (req.url === '/rest/v1/server') return json(res, 200, { time: serverNow });
      const ts = Number(r.auth?.['ts']);
      if (Math.abs(ts - serverNow) > 300) return json(res, 401, { error: 'invalid_timestamp', error_description: 'Timestamp lifetime exceeded' });
      json(res, 200, TX);
    });
    const c = makeClient(port, { clock });
    await c.start();
    expect(c.timeSynced).toBe(false);
    const tx = await c.confirmTransaction('abc');
    expect(tx.key).toBe('abc');
    expect(received.map((r) => r.url)).toEqual(['/rest/v1/transaction/abc/confirm', '/rest/v1/server', '/rest/v1/transaction/abc/confirm']);
    expect(Number(received[2]?.auth?.['ts'])).toBeGreaterThanOrEqual(serverNow);
    expect(received[0]?.auth?.['nonce']).not.toBe(received[2]?.auth?.['nonce']);
    expect(c.timeSynced).toBe(true);
    // The offset lives on the monotonic clock: stepping the wall clock does not change what is signed.
    clock.setWallMs(Date.UTC(2001, 0, 1));
    await c.getTransaction('abc');
    expect(Math.abs(Number(received[3]?.auth?.['ts']) - serverNow)).toBeLessThanOrEqual(2);
  });

  it('gives up after one retry when the clock is still refused', async () => {
    const { port, received } = await serve((req, res) => {
      if (req.url === '/rest/v1/server') return json(res, 200, { time: 1 });
      json(res, 401, { error: 'invalid_timestamp' });
    });
    const c = makeClient(port);
    await c.start();
    expect(await rejection(c.getTransaction('abc'))).toMatchObject({ code: 'invalid_timestamp', status: 401, retryable: true });
    expect(received).toHaveLength(3);
  });
});

describe('the request budget', () => {
  it('asks the budget before every signed attempt: a confirm as a confirm, the urgent reserved list as a watch, closes and revokes as background, other writes as writes, reads as polls', async () => {
    const { port } = await serve((req, res) => {
      if (req.url?.startsWith('/rest/v1/spots')) return json(res, 200, { spots: [], _metadata: { total: 0, offset: 0, limit: 100 } });
      if (req.url?.startsWith('/rest/v1/transactions')) return json(res, 200, { transactions: [], _metadata: { total: 0, offset: 0, limit: 100 } });
      json(res, 200, req.url?.endsWith('/confirm') === true ? { ...TX, status: 'confirmed' } : TX);
    });
    const asked: RequestPriority[] = [];
    const budget = new (class extends RequestBudget {
      override acquire(priority: RequestPriority): Promise<void> {
        asked.push(priority);
        return super.acquire(priority);
      }
    })(new SystemClock(), 60);
    const c = makeClient(port, { budget });
    await c.start();
    await c.listSpots({ status: 'waiting' });
    await c.createTransaction({ payments: [{ description: 'x', price: 100, currency: 'EUR' }] });
    await c.confirmTransaction('abc');
    await c.getTransaction('abc');
    await c.revokeTransaction('abc');
    await c.listTransactions({ statuses: ['reserved'] }, { urgent: true });
    expect(asked).toEqual(['poll', 'write', 'confirm', 'poll', 'background', 'watch']);
  });
});
