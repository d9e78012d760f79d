/**
 * Time, as the terminal's code is allowed to see it.
 *
 * Contract:
 * - `monoMs()` never goes backwards and is unaffected by NTP steps or a Pi booting without an RTC.
 *   Every timeout, backoff, deadline and server-time offset is measured on it.
 * - `wallMs()` is the system's idea of calendar time. It may be wrong (no RTC) or jump; use it
 *   only for display, receipts and signing (after correction by the measured server offset).
 * - `setTimeout(fn, ms)` calls `fn` once after `ms` of monotonic time and returns a cancel
 *   function. Cancelling after the call is harmless.
 *
 * Domain and engine code receive a Clock; they never call Date.now() (enforced by lint), so
 * their timing is tested instantly with FakeClock.
 */
export interface Clock {
  wallMs(): number;
  monoMs(): number;
  setTimeout(fn: () => void, ms: number): () => void;
}

/** The real clock: Date for wall time, performance.now() for monotonic time. */
export class SystemClock implements Clock {
  wallMs(): number {
    return Date.now();
  }

  monoMs(): number {
    return performance.now();
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  }
}

/** Resolves after `ms` on `clock`, or rejects with the signal's reason when it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
