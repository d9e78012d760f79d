import type { Clock } from '../../platform/clock.js';

/**
 * What a call is, for the budget, from the most urgent down:
 * - `confirm`: the customer's money is held and the sale waits for it;
 * - `watch`: the read that notices a payment already made (the reserved list): the customer's
 *   money is held and nobody knows it yet;
 * - `write`: a write someone at the counter waits for (an order staff just keyed, a reserve);
 * - `poll`: reads (the watchers that notice payments and check-ins, reconciles);
 * - `background`: writes nobody waits for (closing a paid table's spot, a revoke, a delete).
 */
export type RequestPriority = 'confirm' | 'watch' | 'write' | 'poll' | 'background';

const isRead = (priority: RequestPriority): boolean => priority === 'watch' || priority === 'poll';

const RANK: Record<RequestPriority, number> = { confirm: 0, watch: 1, write: 2, poll: 3, background: 4 };

interface Waiter {
  priority: RequestPriority;
  seq: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Keeps every Paysera call together within `perMinute` in ANY 60 s window (a sliding log, not a
 * token bucket, which would allow a burst on top of the rate).
 *
 * Shares, so that the calls that matter most are never starved by the others:
 * - reads (`watch` and `poll`) on their own may use only `pollShare` of the budget; writes are
 *   not counted against that share, so a busy counter does not stop the polls that notice
 *   payments;
 * - the last `confirmReserve` calls of the window (default 1% of the budget, at least one; 0
 *   turns the reserve off) are only for confirms: a confirm that is due finds room even when
 *   polls and other writes have used up the rest;
 * - the `watchReserve` calls under those (default 2% of the budget, at least two) are for
 *   confirms and the reserved-list poll (`watch`) only. Why: on a window kept full by writes
 *   that queue (a busy counter), every slot that ages out went straight to a waiting write, so
 *   the watch, not waiting at that instant, found the window full when it was due and waited
 *   for the next slot (measured: waits up to 1.4 s, the slowest payments' whole tail). With the
 *   writes held under this reserve, the watch, and the confirms its answer sets off, find room.
 *
 * When calls have to wait, they are let through most urgent first (confirm, watch, write, poll,
 * background), in arrival order within one kind; a less urgent call never overtakes a waiting
 * more urgent one. So when a busy counter asks for more than the budget, what waits is the
 * background work, then the other polls, then the writes: never the confirm, nor the poll that
 * notices payments (measured: behind a burst of orders it made the slowest payments wait twice
 * as long to be noticed).
 *
 * Contract: `acquire()` resolves when the call may be made and records it; it waits on the
 * injected monotonic clock and rejects only when `signal` aborts.
 */
export class RequestBudget {
  private readonly clock: Clock;
  private readonly perMinute: number;
  private readonly pollShare: number;
  private readonly windowMs: number;
  private readonly confirmReserve: number;
  private readonly watchReserve: number;
  private readonly sent: { at: number; priority: RequestPriority }[] = [];
  private readonly waiters: Waiter[] = [];
  private nextSeq = 0;
  private cancelTimer: (() => void) | undefined;

  constructor(clock: Clock, perMinute: number, options: { pollShare?: number; windowMs?: number; confirmReserve?: number; watchReserve?: number } = {}) {
    this.clock = clock;
    this.perMinute = perMinute;
    this.pollShare = options.pollShare ?? 0.8;
    this.windowMs = options.windowMs ?? 60_000;
    this.confirmReserve = Math.min(perMinute - 1, Math.max(0, options.confirmReserve ?? Math.ceil(perMinute / 100)));
    this.watchReserve = Math.min(perMinute - 1 - this.confirmReserve, Math.max(0, options.watchReserve ?? Math.max(2, Math.ceil(perMinute / 50))));
  }

  /**
   * Pacing for a periodic poller (the reservation watcher): the shortest interval at which it can
   * go on polling, given its own calls in the window (`ownCallsAtMs`, monotonic), without taking
   * the room every other call needs. While the window has plenty of room (more than 5% of the
   * budget free) there is no limit: a poller that runs for a few seconds a minute (a quiet café)
   * must not be slowed down for a load that is not there. Near the limit, what the others used in
   * the last window is taken as what they will need in the next, and the poller gets the rest,
   * evenly spread, but the watch reserve (at least one call): so the window settles at the
   * writes' limit, and the reserve stays free for the watch's next poll.
   *
   * Why: a poller that asks for more than the budget leaves does not get more, it only makes
   * everyone queue (a sliding window that is always full hands out its slots in bursts), and the
   * lowest class (background writes) falls behind for good. Polls evenly spread at the rate that
   * fits keep the window just under its limit, so nothing waits.
   */
  minPollIntervalMs(ownCallsAtMs: readonly number[]): number {
    const now = this.clock.monoMs();
    this.prune(now);
    const ceiling = this.perMinute - this.confirmReserve;
    if (ceiling - this.sent.length > Math.max(2, Math.ceil(this.perMinute * 0.05))) return 0;
    const own = ownCallsAtMs.filter((at) => at > now - this.windowMs).length;
    const room = ceiling - Math.max(1, this.watchReserve) - (this.sent.length - own);
    return room <= 0 ? this.windowMs : this.windowMs / room;
  }

  private pollLimit(): number {
    return Math.max(1, Math.floor(this.perMinute * this.pollShare));
  }

  private prune(now: number): void {
    while (this.sent.length > 0 && (this.sent[0]?.at ?? 0) <= now - this.windowMs) this.sent.shift();
  }

  /** ms until the count of `entries` in the window drops under `limit` (0 if it is under). */
  private wait(entries: number[], limit: number, now: number): number {
    if (entries.length < limit) return 0;
    // The entry that must age out is the one that brings the count under the limit.
    const blocking = entries[entries.length - limit] ?? now;
    return Math.max(1, blocking + this.windowMs - now);
  }

  /** How many calls of the window `priority` may bring the count to; narrows from confirm down. */
  private totalLimit(priority: RequestPriority): number {
    if (priority === 'confirm') return this.perMinute;
    if (priority === 'watch') return this.perMinute - this.confirmReserve;
    return this.perMinute - this.confirmReserve - this.watchReserve;
  }

  /** The wait for `priority` by the total count alone. */
  private totalWait(priority: RequestPriority, now: number): number {
    const all = this.sent.map((e) => e.at);
    return this.wait(all, this.totalLimit(priority), now);
  }

  /** The wait for `priority` by the window alone (no queue), pruned at `now`. */
  private windowWait(priority: RequestPriority, now: number): number {
    const total = this.totalWait(priority, now);
    if (!isRead(priority)) return total;
    const reads = this.wait(this.sent.filter((e) => isRead(e.priority)).map((e) => e.at), this.pollLimit(), now);
    return Math.max(total, reads);
  }

  /** Calls recorded in the last window. */
  used(): number {
    this.prune(this.clock.monoMs());
    return this.sent.length;
  }

  /** 0 when a call of this priority may go now (nothing more urgent waiting), else ms until it may at the earliest. */
  msUntilAvailable(priority: RequestPriority): number {
    const now = this.clock.monoMs();
    this.prune(now);
    const ahead = this.waiters.filter((w) => RANK[w.priority] <= RANK[priority]);
    const wait = this.windowWait(priority, now);
    return ahead.length > 0 ? Math.max(1, wait) : wait;
  }

  acquire(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.msUntilAvailable(priority) === 0) {
      this.sent.push({ at: this.clock.monoMs(), priority });
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, seq: this.nextSeq++, resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        waiter.onAbort = () => {
          this.remove(waiter);
          reject(signal.reason);
          this.schedule();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      this.waiters.sort((a, b) => RANK[a.priority] - RANK[b.priority] || a.seq - b.seq);
      this.schedule();
    });
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  /** Lets through every waiter the window has room for, in order; then sleeps until the next could go. */
  private release(): void {
    const now = this.clock.monoMs();
    this.prune(now);
    let readsFull = false;
    for (const waiter of [...this.waiters]) {
      if (readsFull && isRead(waiter.priority)) continue;
      if (this.windowWait(waiter.priority, now) > 0) {
        // Full for everyone below (the total's limits narrow from confirm down): stop. Full only
        // for reads (their share): writes behind may still go.
        if (!isRead(waiter.priority) || this.totalWait(waiter.priority, now) > 0) break;
        readsFull = true;
        continue;
      }
      this.remove(waiter);
      this.sent.push({ at: now, priority: waiter.priority });
      waiter.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.waiters.length === 0) return;
    const now = this.clock.monoMs();
    this.prune(now);
    // The soonest any waiter could go; release() keeps the order.
    const wait = Math.max(1, Math.min(...this.waiters.map((w) => this.windowWait(w.priority, now))));
    this.cancelTimer = this.clock.setTimeout(() => {
      this.cancelTimer = undefined;
      this.release();
    }, wait);
  }
}
