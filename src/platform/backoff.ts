import type { RandomSource } from './random.js';

/**
 * Exponential backoff with full jitter (Brooker, "Exponential Backoff And Jitter"): the delay
 * before retry n (0-based) is uniform in [0, min(cap, base * 2^n)). Full jitter spreads retries
 * of many ops after an outage instead of firing them together; the cap bounds the wait. A
 * server's Retry-After is a floor: we never come back earlier than asked.
 */

export interface BackoffParams {
  baseMs: number;
  capMs: number;
}

/** min(cap, base * 2^attempt), without overflow for large attempt numbers. */
export function backoffCeilingMs(attempt: number, params: BackoffParams): number {
  const n = Math.max(0, Math.floor(attempt));
  // 2^31 * base already exceeds any sensible cap; stop doubling there.
  const exponential = params.baseMs * 2 ** Math.min(n, 31);
  return Math.min(params.capMs, exponential);
}

export function fullJitterMs(attempt: number, params: BackoffParams, random: RandomSource): number {
  return Math.floor(random.next() * backoffCeilingMs(attempt, params));
}

/**
 * The wait before the next attempt: full jitter, but never less than the server's Retry-After
 * (itself bounded by `retryAfterCapMs`, so a garbage header cannot park an op for a year).
 */
export function retryDelayMs(
  attempt: number,
  params: BackoffParams & { retryAfterCapMs?: number | undefined },
  random: RandomSource,
  retryAfterMs?: number | undefined,
): number {
  const jitter = fullJitterMs(attempt, params, random);
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return jitter;
  const floor = Math.min(Math.ceil(retryAfterMs), params.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS);
  return Math.max(jitter, floor);
}

export const DEFAULT_RETRY_AFTER_CAP_MS = 10 * 60_000;
