import { describe, expect, it } from 'vitest';
import { FakeClock } from '../platform/fake-clock.js';
import { PollLoop } from './poll-loop.js';

describe('PollLoop', () => {
  it('polls at the interval while there is work, stops by itself, and wakes again', async () => {
    const clock = new FakeClock();
    let work = 2;
    const at: number[] = [];
    const loop = new PollLoop({
      clock,
      intervalMs: 1000,
      hasWork: () => work > 0,
      poll: async () => {
        at.push(clock.monoMs());
        work -= 1;
      },
    });
    loop.start();
    expect(loop.isActive()).toBe(true);
    await clock.advance(5000);
    expect(at).toEqual([2000, 3000]);
    expect(loop.isActive()).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
    work = 1;
    loop.wake();
    await clock.advance(1000);
    expect(at).toEqual([2000, 3000, 7000]);
    await loop.stop();
  });

  it('waits at least the Retry-After a poll returns, and never polls twice at once', async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const loop = new PollLoop({
      clock,
      intervalMs: 1000,
      hasWork: () => true,
      poll: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        at.push(clock.monoMs());
        await Promise.resolve();
        running -= 1;
        return at.length === 1 ? 7000 : undefined;
      },
    });
    loop.start();
    loop.wake();
    await clock.advance(10_000);
    expect(at).toEqual([2000, 9000, 10_000, 11_000]);
    expect(maxRunning).toBe(1);
    await loop.stop();
    await clock.advance(10_000);
    expect(at).toHaveLength(4);
  });
});
