import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/engine/engine-api.js';
import { startHarness, type Harness } from '../support/engine-harness.js';
import { waitFor } from '../support/wait-for.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('engine status: the writes being retried', () => {
  it('names the failing write, since it was queued, counted once through every attempt; gone once it goes through', async () => {
    h = await startHarness();
    const statuses: EngineStatus[] = [];
    h.engine.onStatus((status) => statuses.push(status));
    const rule = h.emu.faults.add({ kind: 'serverError', method: 'PUT', path: '/rest/v1/spot/*/close' });
    const spot = h.emu.wallet.checkInByCode('PAYSERA*3:FREEDRINKS', 'mallory');
    const closes = (): number => h?.emu.requests.list().filter((r) => r.path === `/rest/v1/spot/${spot.id}/close`).length ?? 0;
    await waitFor(() => closes() >= 4, 'four refused closes');
    const op = h.store.outbox.list({ kind: 'close_spot' })[0];
    expect(op).toBeDefined();
    const retrying = statuses.flatMap((s) => (s.retrying === undefined ? [] : [s.retrying]));
    expect(retrying.length).toBeGreaterThan(0);
    // Also while the runner still holds the op it has just settled: one op, one count.
    expect(new Set(retrying.map((r) => `${r.kind} ${r.sinceWallMs} x${r.count}`))).toEqual(new Set([`close_spot ${op?.createdWallMs} x1`]));
    // The 500 and, between two sends, the reconcile that found the close not applied.
    expect(new Set(retrying.map((r) => r.lastErrorCode))).toEqual(new Set(['internal_server_error', 'reconciled_not_applied']));
    h.emu.faults.remove(rule.id);
    await waitFor(() => h?.emu.wallet.getSpot(spot.id).status === 'closed', 'the spot closed');
    await waitFor(() => h?.engine.status().retrying === undefined, 'nothing retrying');
  });
});
