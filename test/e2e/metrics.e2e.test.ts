import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { hasTool, skipReason } from '../support/debian-tools.js';
import { freeLoopbackPort } from '../support/free-port.js';
import { PrometheusServer, promtoolCheckMetrics } from '../support/prometheus-server.js';
import { TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * The fleet view end to end: `counterpay run` with `metrics.listen` on loopback against the
 * emulator, one paid table sale, its `/metrics` checked by promtool, and a real Prometheus server
 * (the Debian package) that scrapes it and answers `up == 1` and the paid sale over its HTTP API.
 * Skipped, saying why, where prometheus/promtool are missing (`.ci/run` installs them).
 */

const prometheusPresent = hasTool('prometheus', ['--version']) && hasTool('promtool', ['--version']);

let emu: Emulator;
let terminal: TerminalProcess | undefined;
let prometheus: PrometheusServer | undefined;
let blocker: Server | undefined;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, seed: Math.floor(Math.random() * 1e9) });
});

afterEach(async () => {
  await prometheus?.stop();
  prometheus = undefined;
  await terminal?.stop();
  terminal = undefined;
  await new Promise((resolve) => (blocker === undefined ? resolve(undefined) : blocker.close(resolve)));
  blocker = undefined;
  await emu.stop();
});

/** A terminal whose config has a metrics section. */
function terminalWithMetrics(metrics: Record<string, unknown>): TerminalProcess {
  const t = new TerminalProcess(emu.url);
  t.writeConfig();
  const config = JSON.parse(readFileSync(t.configPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(t.configPath, JSON.stringify({ ...config, metrics }));
  terminal = t;
  return t;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** Local addresses (hex, as /proc/net/tcp writes them) listening on `port`. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    try {
      return readFileSync(file, 'utf8').split('\n').slice(1);
    } catch {
      return [];
    }
  });
  // Columns: sl local_address rem_address st ...; st 0A is LISTEN.
  return rows
    .map((row) => row.trim().split(/\s+/))
    .filter((cols) => cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`))
    .map((cols) => cols[1]?.split(':')[0] ?? '');
}

describe(`counterpay run with metrics, scraped by a real Prometheus${skipReason(prometheusPresent, 'prometheus/promtool', 'prometheus')}`, { timeout: PROCESS_TEST_MS }, () => {
  it.skipIf(!prometheusPresent)('one paid table sale: /metrics passes promtool, Prometheus sees up == 1 and the sale; the port is on loopback only', async () => {
    const port = await freeLoopbackPort();
    const t = terminalWithMetrics({ listen: `127.0.0.1:${port}` });
    const spot = emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    t.start();
    await t.ready();

    // Loopback only: the listening socket is 127.0.0.1 (0100007F), not the wildcard.
    const addresses = listeningAddresses(port);
    expect(addresses).toEqual(['0100007F']);

    prometheus = new PrometheusServer([`127.0.0.1:${port}`]);
    await prometheus.start();
    const server = prometheus;
    await waitFor(async () => (await server.query('up{job="counterpay"} == 1')).length === 1, 'Prometheus to see the terminal up', 60_000);

    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#1299#');
    await t.waitForScreen(/Table 1 +12\.99/, 'the waiting screen');
    const key = await waitFor(() => emu.wallet.snapshot().orders.find((o) => o.status === 'pending')?.transaction_key, 'an order at the emulator');
    emu.wallet.customerReserve(key, { customer: 'alice' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID');
    await waitFor(() => emu.wallet.getSpot(spot.id).status === 'closed', 'spot closed');

    const text = await scrape(port);
    const checked = promtoolCheckMetrics(text);
    expect(checked.output).toBe('');
    expect(checked.status).toBe(0);
    expect(text).toMatch(/^counterpay_sales_total\{kind="table",outcome="paid"\} 1$/m);
    expect(text).toMatch(/^counterpay_takings_minor_total\{kind="table",currency="EUR"\} 1299$/m);
    expect(text).toMatch(/^counterpay_sale_duration_seconds_count\{kind="table"\} 1$/m);
    expect(text).toMatch(/^counterpay_api_requests_total\{api="paysera",result="2xx"\} [1-9]\d*$/m);
    expect(text).toMatch(/^counterpay_device_up\{device="printer"\} 1$/m);
    expect(text).toMatch(/^counterpay_online 1$/m);
    // No secret, transaction key or table in any label.
    for (const secret of ['IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', key, 'TABLE1', 'alice']) expect(text).not.toContain(secret);

    const paid = await waitFor(
      async () => {
        const result = await server.query('sum(counterpay_sales_total{outcome="paid"})');
        return (result[0]?.value ?? 0) >= 1 ? result : undefined;
      },
      'Prometheus to have scraped the paid sale',
      60_000,
    );
    expect(paid[0]?.value).toBe(1);
    expect((await server.query('sum(counterpay_takings_minor_total{currency="EUR"})'))[0]?.value).toBe(1299);
  });
});

describe('counterpay run with its metrics port taken', { timeout: PROCESS_TEST_MS }, () => {
  it('logs metrics_port_in_use, keeps running and takes a sale', async () => {
    const port = await freeLoopbackPort();
    blocker = createServer();
    const held = blocker;
    await new Promise<void>((resolve) => held.listen(port, '127.0.0.1', resolve));
    const t = terminalWithMetrics({ listen: `127.0.0.1:${port}` });
    emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
    t.start();
    await t.ready();
    await waitFor(() => /metrics_port_in_use/.test(t.stdout + t.stderr), 'the metrics error in the log');
    await t.waitForScreen(/1 waiting/, 'one waiting table');
    await t.type('A1#1299#');
    const key = await waitFor(() => emu.wallet.snapshot().orders.find((o) => o.status === 'pending')?.transaction_key, 'an order at the emulator');
    emu.wallet.customerReserve(key, { customer: 'alice' });
    await t.waitForScreen(/PAID 12\.99/, 'PAID');
    expect(t.running).toBe(true);
  });
});
