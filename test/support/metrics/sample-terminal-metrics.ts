import type { EngineStatus, SaleChange } from '../../../src/engine/engine-api.js';
import { TerminalMetrics } from '../../../src/metrics/terminal-metrics.js';
import type { FakeClock } from '../../../src/platform/fake-clock.js';
import type { SpoolerStatus } from '../../../src/printing/print-failures.js';
import type { Store } from '../../../src/store/store.js';

/**
 * TerminalMetrics as the app wires it, on a real store, with a stand-in engine (its status and
 * sale changes set by the test) and stand-in devices: every family the terminal exports is there.
 */
export function sampleTerminalMetrics(store: Store, clock: FakeClock, options: { port?: number; host?: string } = {}) {
  const listeners = new Set<(change: SaleChange) => void>();
  let status: EngineStatus = { online: true, queue: {}, needsHuman: 0, openSales: 0, clockSynced: true };
  const engine = {
    status: () => status,
    saleKinds: () => ['table', 'code'] as const,
    onSaleChanged: (listener: (change: SaleChange) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const metrics = new TerminalMetrics({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    clock,
    store,
    currency: 'EUR',
    apis: [{ api: 'paysera', baseUrl: 'https://wallet.paysera.com', pathPrefix: '/rest/' }],
    budget: { used: () => 3, perMinute: 60 },
    version: '1.2.3',
  });
  const port = { start: async () => undefined, stop: async () => undefined, onProblem: () => () => undefined };
  const scannerState = { value: 'connected' as 'connected' | 'disconnected' };
  const starts = [
    metrics.devices.track('display', port),
    metrics.devices.track('keypad', port),
    metrics.devices.track('scanner', { ...port, state: () => scannerState.value }),
    metrics.devices.track('printer', port),
    metrics.devices.track('buzzer', { ...port, state: () => 'ok' }),
  ];
  let printer: SpoolerStatus = { state: 'ok' };
  metrics.devices.watchPrinter(() => printer);
  return {
    metrics,
    startDevices: () => Promise.all(starts.map((s) => s.start())),
    emit: (change: SaleChange) => {
      for (const listener of listeners) listener(change);
    },
    setStatus: (next: Partial<EngineStatus>) => (status = { ...status, ...next }),
    setPrinter: (next: SpoolerStatus) => (printer = next),
    setScanner: (value: 'connected' | 'disconnected') => (scannerState.value = value),
    start: () => metrics.start(engine),
  };
}

/** The metric names in an exposition (every sample line's name, histogram suffixes included). */
export function exportedNames(exposition: string): Set<string> {
  return new Set(
    exposition
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? ''),
  );
}
