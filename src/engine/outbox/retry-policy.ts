import { CodedError } from '../../platform/coded-error.js';

/**
 * Retry policy as data, one per operation kind. The runner reads nothing else: what an
 * ambiguous failure means, how long to back off, and when to stop and hand the op to a person.
 */
export interface RetryPolicy {
  /**
   * After an ambiguous failure (the write may have taken effect): `reconcile` moves the op to
   * `unknown` and the next attempt calls the handler's reconcile() (reads remote state) before
   * anything is resent; `resend` is only for writes that are naturally idempotent AND whose
   * handler has no way to read the outcome back. Every Paysera write uses `reconcile`.
   */
  onAmbiguous: 'reconcile' | 'resend';
  /** Backoff base and cap (full jitter, platform/backoff.ts). */
  baseMs: number;
  capMs: number;
  /** An op older than this (since enqueue) is not attempted again: it goes to needs_human. */
  maxAgeMs: number;
  /** Optional bound on claims (executes + reconciles); exceeded -> needs_human. */
  maxAttempts?: number | undefined;
  /** Upper bound on an honoured Retry-After. Default 10 minutes. */
  retryAfterCapMs?: number | undefined;
}

export type RetryPolicies = Readonly<Record<string, RetryPolicy>>;

export class RetryPolicyError extends CodedError {
  declare readonly code: 'invalid_retry_policy';
}

export function validateRetryPolicy(kind: string, policy: RetryPolicy): void {
  const bad = (why: string): never => {
    throw new RetryPolicyError('invalid_retry_policy', `retry policy for ${kind}: ${why}`);
  };
  if (policy.onAmbiguous !== 'reconcile' && policy.onAmbiguous !== 'resend') bad('onAmbiguous must be reconcile or resend');
  if (!(policy.baseMs > 0) || !Number.isFinite(policy.baseMs)) bad('baseMs must be a positive number');
  if (!(policy.capMs >= policy.baseMs) || !Number.isFinite(policy.capMs)) bad('capMs must be at least baseMs');
  if (!(policy.maxAgeMs > 0)) bad('maxAgeMs must be positive');
  if (policy.maxAttempts !== undefined && !(Number.isInteger(policy.maxAttempts) && policy.maxAttempts > 0)) bad('maxAttempts must be a positive integer');
  if (policy.retryAfterCapMs !== undefined && !(policy.retryAfterCapMs > 0)) bad('retryAfterCapMs must be positive');
}
