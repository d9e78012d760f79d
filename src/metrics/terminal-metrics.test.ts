import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../domain/money.js';
import type { SaleRecord } from '../store/types.js';
import { hasTool, skipReason } from '../../test/support/debian-tools.js';
import { freeLoopbackPort } from '../../test/support/free-port.js';
import { exportedNames, sampleTerminalMetrics } from '../../test/support/metrics/sample-terminal-metrics.js';
import { promtoolCheckMetrics } from '../../test/support/prometheus-server.js';
import { tempStore } from '../../test/support/temp-store.js';
import { MetricsError } from './metrics-error.js';

const promtoolPresent = hasTool('promtool', ['--version']);
let env: ReturnType<typeof tempStore>;
let sample: ReturnType<typeof sampleTerminalMetrics> | undefined;
let blocker: Server | undefined;
let opened: ReturnType<ReturnType<typeof tempStore>['make']>;

beforeEach(() => {
  env = tempStore();
});

afterEach(async () => {
  await sample?.metrics.stop();
  sample = undefined;
  await new Promise((resolve) => (blocker === undefined ? resolve(undefined) : blocker.close(resolve)));
  blocker = undefined;
  env.cleanup();
});

function paidCodeSale(id: string, minor: number, emit: (sale: SaleRecord, previous: SaleRecord['state'] | undefined) => void): void {
  const s = opened;
  let sale = s.sales.create({ id, kind: 'code', amount: money(minor, 'EUR') });
  emit(sale, undefined);
  for (const event of [
    { type: 'codeSubmitted', reservationCode: '12345678901234567' },
    { type: 'transactionCreated', transactionKey: `key-${id}` },
    { type: 'reservedByCode' },
    { type: 'confirmed' },
    { type: 'receiptQueued' },
    { type: 'completed' },
  ] as const) {
    const previous = sale.state;
    sale = s.sales.apply(id, event);
    emit(sale, previous);
  }
}


async function scrape(port: number, path = '/metrics', method = 'GET'): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('TerminalMetrics', () => {
  it('serves the journal counts, durations, devices and process at /metrics in a format promtool accepts' + skipReason(promtoolPresent, 'promtool', 'prometheus'), async () => {
    opened = env.make();
    opened.open();
    sample = sampleTerminalMetrics(opened, env.clock);
    await sample.start();
    await sample.startDevices();
    const emit = sample.emit;
    paidCodeSale('s1', 1299, (sale, previous) => {
      if (sale.state === 'confirmed') void env.clock.advance(800);
      emit({ sale, previous });
    });
    sample.setStatus({ needsHuman: 2, online: false });
    sample.setPrinter({ state: 'error', code: 'printer_paper_out' });
    const port = sample.metrics.address()?.port ?? 0;
    const { status, type, body } = await scrape(port);
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toMatch(/^counterpay_sales_total\{kind="code",outcome="paid"\} 1$/m);
    expect(body).toMatch(/^counterpay_sales_total\{kind="table",outcome="declined"\} 0$/m);
    expect(body).toMatch(/^counterpay_takings_minor_total\{kind="code",currency="EUR"\} 1299$/m);
    expect(body).toMatch(/^counterpay_sale_duration_seconds_count\{kind="code"\} 1$/m);
    expect(body).toMatch(/^counterpay_sale_duration_seconds_bucket\{kind="code",le="1"\} 1$/m);
    expect(body).toMatch(/^counterpay_sale_duration_seconds_bucket\{kind="code",le="0\.5"\} 0$/m);
    expect(body).toMatch(/^counterpay_needs_human 2$/m);
    expect(body).toMatch(/^counterpay_online 0$/m);
    expect(body).toMatch(/^counterpay_device_up\{device="printer"\} 0$/m);
    expect(body).toMatch(/^counterpay_device_up\{device="scanner"\} 1$/m);
    expect(body).toMatch(/^counterpay_printer_paper_out 1$/m);
    expect(body).toMatch(/^counterpay_printer_paper_near_end 0$/m);
    expect(body).toMatch(/^counterpay_build_info\{version="1\.2\.3",node="[\d.]+"\} 1$/m);
    expect(body).toMatch(/^counterpay_request_budget_used 3$/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d+$/m);
    // The transaction key and the reservation code never reach a label.
    expect(body).not.toContain('key-s1');
    expect(body).not.toContain('12345678901234567');
    if (promtoolPresent) {
      const checked = promtoolCheckMetrics(body);
      expect(checked.output).toBe('');
      expect(checked.status).toBe(0);
    }
  });

  it('a scanner unplugged, a printer holding its jobs for paper, or a device not started yet is down', async () => {
    opened = env.make();
    opened.open();
    sample = sampleTerminalMetrics(opened, env.clock);
    await sample.start();
    const port = sample.metrics.address()?.port ?? 0;
    expect(exportedNames((await scrape(port)).body).has('counterpay_device_up')).toBe(true);
    expect((await scrape(port)).body).toMatch(/^counterpay_device_up\{device="keypad"\} 0$/m);
    await sample.startDevices();
    sample.setScanner('disconnected');
    const body = (await scrape(port)).body;
    expect(body).toMatch(/^counterpay_device_up\{device="keypad"\} 1$/m);
    expect(body).toMatch(/^counterpay_device_up\{device="scanner"\} 0$/m);
    expect(body).toMatch(/^counterpay_device_up\{device="printer"\} 1$/m);
    // Paper near its end: printing goes on; out: jobs are held, the printer is down.
    sample.setPrinter({ state: 'ok', paper: 'near_end' });
    expect((await scrape(port)).body).toMatch(/^counterpay_printer_paper_near_end 1$/m);
    sample.setPrinter({ state: 'ok', paper: 'out', held: true });
    const held = (await scrape(port)).body;
    expect(held).toMatch(/^counterpay_device_up\{device="printer"\} 0$/m);
    expect(held).toMatch(/^counterpay_printer_paper_out 1$/m);
  });

  it('answers 404 beside /metrics, 405 to a POST, and HEAD without a body', async () => {
    opened = env.make();
    opened.open();
    sample = sampleTerminalMetrics(opened, env.clock);
    await sample.start();
    const port = sample.metrics.address()?.port ?? 0;
    expect((await scrape(port, '/')).status).toBe(404);
    expect((await scrape(port, '/metrics', 'POST')).status).toBe(405);
    const head = await scrape(port, '/metrics', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('a port in use rejects with metrics_port_in_use and leaves nothing listening', async () => {
    opened = env.make();
    opened.open();
    const port = await freeLoopbackPort();
    blocker = createServer();
    const held = blocker;
    await new Promise<void>((resolve) => held.listen(port, '127.0.0.1', resolve));
    sample = sampleTerminalMetrics(opened, env.clock, { port });
    const error = await sample.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MetricsError);
    expect(error).toMatchObject({ code: 'metrics_port_in_use', port });
    expect(sample.metrics.address()).toBeUndefined();
  });
});
