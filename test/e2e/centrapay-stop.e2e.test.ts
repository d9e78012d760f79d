import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OP_KINDS } from '../../src/domain/operation-kind.js';
import { PAY_URL_PREFIX } from '../../src/emulator/centrapay/centrapay-views.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SystemClock } from '../../src/platform/clock.js';
import { SystemRandom } from '../../src/platform/random.js';
import { Store } from '../../src/store/store.js';
import { TerminalProcess } from '../support/terminal-process.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * `counterpay run` against the emulator's Centrapay answering creates late (variation
 * `create-answered-late`: applied at once, answered 12 s later). Stopped while such a create is in
 * flight, the terminal exits within its bound (well below systemd's 15 s), the create journaled
 * `unknown` as after kill -9; started again, it finds the one request by its externalRef, adopts
 * it (its slip printed), and the customer's payment ends PAID: one request, never
 * two.
 */

let emu: Emulator | undefined;
let terminal: TerminalProcess | undefined;
afterEach(async () => {
  await terminal?.stop();
  terminal = undefined;
  await emu?.stop();
  emu = undefined;
});

/** The Centrapay request timeout written into the terminal's config. */
function setCentrapayTimeoutMs(t: TerminalProcess, ms: number): void {
  const config = JSON.parse(readFileSync(t.configPath, 'utf8')) as { centrapay: Record<string, unknown> };
  config.centrapay['headersTimeoutMs'] = ms;
  config.centrapay['bodyTimeoutMs'] = ms;
  writeFileSync(t.configPath, JSON.stringify(config));
}

function createOpStates(dataDir: string): string[] {
  const store = new Store({ dataDir, clock: new SystemClock(), random: new SystemRandom() });
  store.openReadOnly();
  try {
    return store.outbox.list({ kind: OP_KINDS.createPaymentRequest }).map((op) => op.state);
  } finally {
    store.close();
  }
}

describe('a Centrapay create answered late, and stopping meanwhile', { timeout: PROCESS_TEST_MS }, () => {
  it('stop aborts the create in flight within 5 s (journaled unknown); the next start adopts the one request and a paid customer ends PAID', async () => {
    const e = await startEmulator({ port: 0, seed: 7, centrapayCurrencies: ['EUR'], variations: ['create-answered-late', 'external-ref-summary-items'] });
    emu = e;
    const t = new TerminalProcess(e.url, { centrapayAndPos: true });
    terminal = t;
    t.writeConfig();
    // Long enough that the held answer would be waited for: only stop's own bound ends the wait.
    setCentrapayTimeoutMs(t, 30_000);
    t.start();
    await t.ready();
    await t.type('C1250#');
    await waitFor(() => e.centrapay.list()[0], 'the create applied, its answer held');

    const stopAt = performance.now();
    await t.stop();
    expect(performance.now() - stopAt).toBeLessThan(5_000);
    expect(t.stdout).toMatch(/stop_aborted_requests/);
    expect(createOpStates(join(t.dir, 'data'))).toEqual(['unknown']);

    setCentrapayTimeoutMs(t, 3_000);
    const framesBefore = t.frames().length;
    t.start();
    await waitFor(() => t.frames().length > framesBefore, 'the restarted terminal drawing');
    const [record, ...others] = e.centrapay.list();
    expect(others).toEqual([]);
    if (record === undefined) throw new Error('no request');
    const request = { id: record.id, url: `${PAY_URL_PREFIX}${record.id}` };
    // The display after a restart is the idle screen (the sale counts as open); the slip and the receipt show the sale going on.
    const slip = await waitFor(() => t.printed().find((p) => p.file.endsWith('-centrapay-slip.bin')), 'the slip of the adopted request');
    expect(slip.qr).toEqual([request.url]);
    e.centrapay.pay(request.id);
    await waitFor(() => t.printed().some((p) => p.file.endsWith('-receipt.bin')), 'the receipt');
    expect(e.centrapay.list().map((r) => r.status)).toEqual(['paid']);
  });
});
