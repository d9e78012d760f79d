import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { FakeClock } from '../platform/fake-clock.js';
import { ServerTimeSync } from './server-time-sync.js';

function source(skews: (number | 'fail')[]) {
  let calls = 0;
  const s = {
    timeSynced: false,
    systemSkewMs: undefined as number | undefined,
    get calls() {
      return calls;
    },
    async serverTime(): Promise<number> {
      const next = skews[Math.min(calls, skews.length - 1)];
      calls += 1;
      if (next === 'fail' || next === undefined) throw new Error('offline');
      s.timeSynced = true;
      s.systemSkewMs = next;
      return 1;
    },
  };
  return s;
}

describe('ServerTimeSync', () => {
  it('reads the server time at start, retries every 30 s while failing, then hourly', async () => {
    const clock = new FakeClock();
    const src = source(['fail', 'fail', 200]);
    const changes: boolean[] = [];
    const sync = new ServerTimeSync(src, clock, silentLogger(), (trusted) => changes.push(trusted));
    void sync.start();
    await clock.advance(0);
    expect(src.calls).toBe(1);
    expect(sync.wallClockTrusted()).toBe(false);
    await clock.advance(30_000);
    expect(src.calls).toBe(2);
    await clock.advance(30_000);
    expect(src.calls).toBe(3);
    expect(sync.wallClockTrusted()).toBe(true);
    expect(changes).toEqual([true]);
    await clock.advance(3_599_000);
    expect(src.calls).toBe(3);
    await clock.advance(1_000);
    expect(src.calls).toBe(4);
    sync.stop();
    await clock.advance(10_000_000);
    expect(src.calls).toBe(4);
  });

  it('does not trust a wall clock a minute or more off the server', async () => {
    const clock = new FakeClock();
    const sync = new ServerTimeSync(source([-61_000]), clock, silentLogger());
    void sync.start();
    await clock.advance(0);
    expect(sync.wallClockTrusted()).toBe(false);
    sync.stop();
  });
});
