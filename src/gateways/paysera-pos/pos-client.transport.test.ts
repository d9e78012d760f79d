import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import { PayseraPosClient } from './pos-client.js';
import { PosError } from './pos-error.js';
import { rejectionOf } from '../../../test/support/rejection.js';
import { closeServer } from '../../../test/support/close-server.js';

/** What the emulator does not do: odd links, other error bodies, broken responses. */

let server: Server | undefined;
let client: PayseraPosClient | undefined;

afterEach(async () => {
  await client?.stop();
  client = undefined;
  await closeServer(server);
  server = undefined;
});

async function serve(script: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    script(req, res);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}/eapi/v1`;
  client = new PayseraPosClient({
    baseUrl: base,
    token: 'tok',
    cashRegisterNumber: '1',
    orderNumberPrefix: 'P-',
    languageCode: 'lt',
    paymentMethod: { table: 'bankTransfer', code: 'bankTransfer', centrapay: 'card' },
    positionTitle: 'Sale',
    clock: new FakeClock(),
    headersTimeoutMs: 2000,
  });
  await client.start();
  return { base, seen };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

const order = (n: number) => ({ id: `id-${n}`, number: `P-s${n}`, status: 'completed' });

const rejection = (promise: Promise<unknown>): Promise<PosError> => rejectionOf(promise, PosError);

describe('POS client over a scripted server', () => {
  it('sends the bearer token; stops when next equals self; keeps an item seen twice once', async () => {
    const { seen } = await serve((_req, res) => json(res, 200, { data: [order(1), order(1)], links: { self: '/eapi/v1/orders?page=1', next: '/eapi/v1/orders?page=1' } }));
    const orders = await client?.listOrders();
    expect(orders).toHaveLength(1);
    expect(seen).toEqual(['GET /eapi/v1/orders?pageSize=100 Bearer tok']);
  });

  it('a link to another origin is refused: the token must not travel', async () => {
    await serve((_req, res) => json(res, 200, { items: [order(1)], links: { next: 'https://evil.example/eapi/v1/orders?page=2' } }));
    expect(await rejection(client?.listOrders() ?? Promise.resolve())).toMatchObject({ code: 'invalid_response', ambiguous: false });
  });

  it('a link loop ends at the first repeat', async () => {
    const { seen } = await serve((req, res) => {
      const page = req.url?.includes('page=2') ? 2 : 1;
      json(res, 200, { data: [order(page)], links: { next: `/eapi/v1/orders?page=${page === 1 ? 2 : 1}&pageSize=100` } });
    });
    expect(await client?.listOrders()).toHaveLength(2);
    expect(seen).toHaveLength(3);
  });

  it('a list with neither data nor items, or an order without a number, is invalid_response', async () => {
    await serve((req, res) => (req.method === 'GET' ? json(res, 200, { results: [] }) : json(res, 201, { id: 'x' })));
    expect(await rejection(client?.listOrders() ?? Promise.resolve())).toMatchObject({ code: 'invalid_response', ambiguous: false });
    // An unreadable 2xx to a write: it happened, we cannot see it.
    expect(await rejection(client?.createOrder({ saleId: 's', amountMinor: 1, currency: 'EUR', kind: 'table' }) ?? Promise.resolve())).toMatchObject({ code: 'invalid_response', ambiguous: true });
  });

  it('error text from message, error_description or error is kept as description; the code comes from the status', async () => {
    let n = 0;
    await serve((_req, res) => {
      n++;
      if (n === 1) json(res, 409, { message: 'Order already processed' });
      else if (n === 2) json(res, 422, { error: 'invalid_parameters', error_description: 'bad vat', error_properties: { tax: ['bad'] } });
      else res.writeHead(429, { 'retry-after': 'Sat, 21 Nov 2026 12:00:10 GMT' }).end('slow down');
    });
    expect(await rejection(client?.createOrder({ saleId: 's', amountMinor: 1, currency: 'EUR', kind: 'table' }) ?? Promise.resolve())).toMatchObject({ code: 'conflict', description: 'Order already processed' });
    expect(await rejection(client?.createOrder({ saleId: 's', amountMinor: 1, currency: 'EUR', kind: 'table' }) ?? Promise.resolve())).toMatchObject({
      code: 'validation_failed',
      apiError: 'invalid_parameters',
      description: 'bad vat',
    });
    // FakeClock's default wall time is 2026-11-21T12:00:00Z.
    expect(await rejection(client?.cashRegisterStatus() ?? Promise.resolve())).toMatchObject({ code: 'rate_limit_exceeded', retryAfterMs: 10_000 });
  });

  it('the order body: MEDI shape, exact decimals, createdAt to the second', async () => {
    let body = '';
    await serve((req, res) => {
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => json(res, 201, { ...order(1), totalPrice: 1005 }));
    });
    await client?.createOrder({ saleId: 's1', amountMinor: 1005, currency: 'EUR', kind: 'table', paidAt: '2026-11-21T10:00:00.999Z' });
    expect(JSON.parse(body)).toEqual({
      number: 'P-s1',
      currency: 'EUR',
      languageCode: 'lt',
      createdAt: '2026-11-21T10:00:00Z',
      orderPositions: [{ title: 'Sale', productSKU: null, quantity: 1, unitPrice: { regular: 10.05 }, measureUnit: 'unit' }],
      payments: [{ paymentMethod: 'bankTransfer', amount: '10.05', advancePayment: 0, createdAt: '2026-11-21T10:00:00Z' }],
    });
    expect(body).toContain('"regular":10.05');
  });
});

describe('POS money in any documented form, payment method per sale kind', () => {
  it('a 201 with the total as cents, a decimal number or a decimal string is the order created, read exactly', async () => {
    const forms: unknown[][] = [
      [1299, 1299],
      [12.99, 12.99],
      ['12.99', '12.99'],
      // An integer next to a decimal amount is whole units: 12 is 12.00.
      [12, '12.00'],
    ];
    let n = 0;
    await serve((_req, res) => {
      const [total, paid] = forms[n++] ?? [];
      json(res, 201, { ...order(n), totalPrice: total, payments: [{ paymentMethod: 'card', amount: paid }] });
    });
    const read = [];
    for (let i = 0; i < forms.length; i++) read.push(await client?.createOrder({ saleId: `s${i + 1}`, amountMinor: 1299, currency: 'EUR', kind: 'centrapay' }));
    expect(read.map((o) => [o?.totalPriceMinor, o?.payments[0]?.amountMinor])).toEqual([
      [1299, 1299],
      [1299, 1299],
      [1299, 1299],
      [1200, 1200],
    ]);
  });

  it('an amount that reads as no amount is left undefined, never an error; the create still succeeded', async () => {
    await serve((_req, res) => json(res, 201, { ...order(1), totalPrice: '12.999', payments: [{ amount: { value: 1 } }] }));
    const created = await client?.createOrder({ saleId: 's1', amountMinor: 1299, currency: 'EUR', kind: 'code' });
    expect(created).toMatchObject({ id: 'id-1', totalPriceMinor: undefined, payments: [{ amountMinor: undefined }] });
  });

  it('records each sale kind with its configured payment method', async () => {
    const methods: unknown[] = [];
    await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        methods.push((JSON.parse(body) as { payments: { paymentMethod: unknown }[] }).payments[0]?.paymentMethod);
        json(res, 201, order(methods.length));
      });
    });
    for (const kind of ['table', 'code', 'centrapay'] as const) await client?.createOrder({ saleId: kind, amountMinor: 100, currency: 'EUR', kind });
    expect(methods).toEqual(['bankTransfer', 'bankTransfer', 'card']);
  });
});
