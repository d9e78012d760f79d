import { describe, expect, it } from 'vitest';
import { e2eBed } from '../support/e2e-bed.js';
import { PROCESS_TEST_MS, waitFor } from '../support/wait-for.js';

/**
 * Nothing waits for ever (issue #26): a code sale that never gets a code (B, amount, #, no scan)
 * is cancelled after `ui.codeScanTimeoutSeconds`, says so on the display, and its transaction
 * at Paysera is revoked, through `counterpay run`.
 */

const bed = e2eBed();

describe('a code sale with no code', { timeout: PROCESS_TEST_MS }, () => {
  it('is cancelled at ui.codeScanTimeoutSeconds with a line on the display; its transaction revoked', async () => {
    const t = await bed.startTerminal({ codeScanTimeoutSeconds: 10 });
    const emu = bed.emu;
    await t.type('B500#');
    await t.waitForScreen(/Scan code/, 'Scan code');
    const key = await waitFor(() => emu.wallet.snapshot().transactions.find((x) => x.status === 'new')?.transaction_key, 'the sale\'s transaction');
    await t.waitForScreen(/No code/, 'the deadline line', 40_000);
    await waitFor(() => ['revoked', 'deleted'].includes(emu.wallet.getTransaction(key).status), 'its transaction revoked');
    expect(emu.requests.list({ service: 'paysera-wallet' }).filter((r) => r.path.endsWith('/reserve'))).toHaveLength(0);
  });
});
