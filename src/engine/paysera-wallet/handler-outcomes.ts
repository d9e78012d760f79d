import { WalletError } from '../../gateways/paysera-wallet/wallet-error.js';
import type { Transaction } from '../../gateways/paysera-wallet/wallet-types.js';
import type { StoreEffects } from '../../store/types.js';
import type { FinalOutcome, ReconcileOutcome } from '../outbox/outbox-runner.js';

/** The outcomes the Paysera Wallet handlers (paysera-handlers.ts) return, and how they read a refused write. */

/** The code with which an op reports a transaction in an undocumented status. */
export const UNKNOWN_STATUS = 'unknown_status';

export const done = (result?: unknown, effects?: StoreEffects): FinalOutcome => ({ status: 'done', result, effects });
export const needsHuman = (code: string, result?: unknown): FinalOutcome => ({ status: 'needs_human', code, result });

export function isWalletCode(error: unknown, ...codes: string[]): error is WalletError {
  return error instanceof WalletError && codes.includes(error.code);
}

/**
 * A write answered 200 with a transaction whose status decides nothing (a status no document
 * lists, or one that does not show the write): it applied, but what it means is unknown. Thrown
 * as an ambiguous error so the runner keeps the op `unknown` and reads the transaction again.
 */
class UndecidedAnswerError extends Error {
  readonly ambiguous = true;
  readonly retryable = true;
  constructor(
    readonly code: string,
    rawStatus: string,
  ) {
    super(`the answer shows the transaction ${rawStatus}`);
  }
}

export const undecided = (tx: Transaction): UndecidedAnswerError => new UndecidedAnswerError(tx.status === 'unknown' ? UNKNOWN_STATUS : `answered_${tx.status}`, tx.rawStatus);

/**
 * A write refused because the transaction is no longer in the state it needs (409
 * `invalid_state`, or for a revoke also 404) is what an earlier attempt that did apply looks
 * like: read the transaction back rather than guess. A read that decides the op is the outcome;
 * one that does not (not applied, or not yet decided) leaves the original error to the runner.
 */
export async function decidedByReadBack(error: unknown, codes: readonly string[], readBack: () => Promise<ReconcileOutcome>): Promise<FinalOutcome> {
  if (!isWalletCode(error, ...codes)) throw error;
  const outcome = await readBack();
  if (outcome.status === 'not_applied' || outcome.status === 'retry') throw error;
  return outcome;
}
