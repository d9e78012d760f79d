import { OP_KINDS } from '../../domain/operation-kind.js';
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
  /** Backoff base and cap (full jitter, see backoff.ts). */
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Defaults for the Paysera Wallet operations (reference: per-op retries base 1 s, cap 60 s,
 * Retry-After honoured). Ages: a create or reserve that has not settled within minutes is no
 * longer something the customer at the counter is waiting for, so a person decides; confirm,
 * close and revoke are decisions already taken that must eventually be delivered (the reserve
 * holds funds for days), so they keep trying for a day before asking for help.
 */
export const PAYSERA_RETRY_POLICIES: RetryPolicies = {
  [OP_KINDS.createOrder]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 10 * MINUTE },
  [OP_KINDS.createTransaction]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 10 * MINUTE },
  [OP_KINDS.reserve]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 30_000, maxAgeMs: 5 * MINUTE },
  [OP_KINDS.confirm]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
  [OP_KINDS.closeSpot]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
  [OP_KINDS.revokeTransaction]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
};

/**
 * Centrapay (reference B.6-B.7): a create the customer is waiting for is given minutes, then a
 * person decides; a void is a decision already taken that must be delivered within Centrapay's
 * 24-hour void window. Retry-After (seconds) is honoured by the runner.
 */
export const CENTRAPAY_RETRY_POLICIES: RetryPolicies = {
  [OP_KINDS.createPaymentRequest]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 10_000, maxAgeMs: 5 * MINUTE },
  [OP_KINDS.voidPaymentRequest]: { onAmbiguous: 'reconcile', baseMs: 1000, capMs: 60_000, maxAgeMs: 24 * HOUR },
};
