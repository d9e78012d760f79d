import type { AsyncLocalStorage } from 'node:async_hooks';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Clock } from '../../../src/platform/clock.js';
import { RequestBudget, type RequestPriority } from '../../../src/gateways/paysera-wallet/request-budget.js';
import type { WalletApi } from '../../../src/gateways/paysera-wallet/wallet-api.js';
import { percentile } from '../util.js';

/**
 * What the latency benchmark records about one sale, every time on the wall clock (Date.now),
 * which is also the clock the in-process emulator stamps its request log with, so the
 * terminal's moments and the emulator's compare directly.
 *
 * The path of a payment, and the phase each pair of moments measures:
 *   reserved        the customer's funds are held (table: the customer paid in the app; code: the
 *                   emulator applied our reserve request)
 *   pollSeen        the emulator received the first poll that could see it (table sales only:
 *                   the terminal's reservation poll, or the baseline's GET of the transaction)
 *   noticed         the terminal committed "reserved" (ours only)
 *   confirmCalled   the outbox runner called confirm (ours only; the gap from `noticed` is the
 *                   outbox queue)
 *   confirmSent     the emulator received the confirm that applied (the headline latency ends here)
 *   answered        the terminal committed "confirmed" (ours only)
 */
export interface SaleTrace {
  kind: 'table' | 'code';
  key: string;
  reservedAtMs: number;
  pollSeenAtMs?: number | undefined;
  noticedAtMs?: number | undefined;
  confirmCalledAtMs?: number | undefined;
  /** How long the confirm waited for the request budget (part of confirmCalled -> confirmSent). */
  confirmBudgetWaitMs?: number | undefined;
  confirmSentAtMs: number;
  answeredAtMs?: number | undefined;
}

export interface BudgetWaits {
  /** Per request kind: how many acquired, how many had to wait, and how long. */
  byKind: Record<string, { acquired: number; waited: number; p99WaitMs: number; maxWaitMs: number }>;
}

/**
 * A RequestBudget that records how long each acquire waited, per kind of request: the
 * wallet call in whose context it ran (see `tracedWallet`), else its priority.
 */
export class RecordingBudget extends RequestBudget {
  private readonly waits = new Map<string, number[]>();

  constructor(
    private readonly recordingClock: Clock,
    perMinute: number,
    options: ConstructorParameters<typeof RequestBudget>[2],
    private readonly context: AsyncLocalStorage<CallContext>,
  ) {
    super(recordingClock, perMinute, options);
  }

  override async acquire(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    const started = this.recordingClock.monoMs();
    await super.acquire(priority, signal);
    const waited = this.recordingClock.monoMs() - started;
    const call = this.context.getStore();
    if (call !== undefined) call.budgetWaitMs += waited;
    const kind = call?.method ?? priority;
    let list = this.waits.get(kind);
    if (list === undefined) this.waits.set(kind, (list = []));
    list.push(waited);
  }

  summary(): BudgetWaits {
    const byKind: BudgetWaits['byKind'] = {};
    for (const [kind, list] of this.waits) {
      const waited = list.filter((ms) => ms >= 1);
      byKind[kind] = { acquired: list.length, waited: waited.length, p99WaitMs: percentile(list, 99), maxWaitMs: Math.max(0, ...list) };
    }
    return { byKind };
  }
}

export interface CallContext {
  method: string;
  budgetWaitMs: number;
}

export interface ConfirmCall {
  calledAtMs: number;
  budgetWaitMs: number;
}

/**
 * The wallet as the engine sees it, with every call run in a CallContext (so the budget can
 * tell whose acquire it is) and each confirm's start and budget wait kept by transaction key.
 */
export function tracedWallet(wallet: WalletApi, context: AsyncLocalStorage<CallContext>, confirms: Map<string, ConfirmCall>): WalletApi {
  return new Proxy(wallet, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]): unknown => {
        const call: CallContext = { method: property, budgetWaitMs: 0 };
        const calledAtMs = Date.now();
        const result = context.run(call, () => (value as (...a: unknown[]) => unknown).apply(target, args));
        if (property === 'confirmTransaction' && typeof args[0] === 'string') {
          const key = args[0];
          void Promise.resolve(result).finally(() => {
            // The first attempt is the one the latency is about; a retry keeps its start.
            if (!confirms.has(key)) confirms.set(key, { calledAtMs, budgetWaitMs: call.budgetWaitMs });
          }).catch(() => undefined);
        }
        return result;
      };
    },
  });
}

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Event-loop delay over a run (perf_hooks' histogram, 10 ms resolution). */
export class LoopDelayMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  start(): void {
    this.histogram.enable();
  }

  stop(): LoopDelay {
    this.histogram.disable();
    const ms = (ns: number): number => ns / 1e6;
    return { p50Ms: ms(this.histogram.percentile(50)), p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max) };
  }
}
