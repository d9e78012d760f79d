import type { Logger } from 'pino';
import { paymentsMismatch } from '../../domain/amount-check.js';
import { OP_KINDS } from '../../domain/operation-kind.js';
import { classifyReserveError } from '../../domain/reserve-errors.js';
import type { Sale } from '../../domain/sale.js';
import type { WalletApi } from '../../gateways/paysera-wallet/wallet-api.js';
import { WalletError } from '../../gateways/paysera-wallet/wallet-error.js';
import { TRANSACTION_STATUSES, type CreateTransactionInput, type Transaction } from '../../gateways/paysera-wallet/wallet-types.js';
import type { SaleJournal } from '../../store/sale-journal.js';
import type { OutboxOp, StoreEffects } from '../../store/types.js';
import type { FinalOutcome, OpError, OpHandler, OpHandlers, ReconcileOutcome } from '../outbox/outbox-runner.js';
import {
  closeSpotOp,
  closeSpotPayload,
  createOrderPayload,
  createTransactionPayload,
  reserveOp,
  reservePayload,
  revokeOp,
  transactionKeyPayload,
  type CloseSpotPayload,
  type CreateOrderPayload,
  type CreateTransactionPayload,
  type ReservePayload,
  type TransactionKeyPayload,
} from './paysera-ops.js';
import { decidedByReadBack, done, isWalletCode, needsHuman, undecided, UNKNOWN_STATUS } from './handler-outcomes.js';
import { BUSY_ELSEWHERE, SALE_ID_PARAMETER, SPOT_ID_PARAMETER, spotRefusal, TERMINAL_PARAMETER } from './shared-spots.js';
import { confirmedEffects, continueCancelEffects, mismatchEffects, reservedEffects, revokedEffects, spotClosedEffects } from './paysera-sale-effects.js';

/**
 * The Paysera Wallet operations of the outbox: how each write is executed, and how an
 * ambiguous one is reconciled by READING remote state before anything is sent again.
 *
 * Invariants:
 * - A create is never re-POSTed blindly: after an ambiguous outcome the transaction is looked
 *   for by our sale id in payments[].parameters; only "not found" allows a resend. Extra
 *   transactions found for one sale (a create applied twice) are revoked.
 * - A forward step (create, reserve, confirm) re-reads the sale before it acts: a sale that is
 *   being cancelled gets the cancel's next step instead, never the forward call.
 * - Confirm is executed only for a sale in `reserved`; a confirm found applied during a cancel
 *   is a case for a person, never silently either outcome.
 * - Never confirm what does not match: every transaction seen for a sale (created, found again,
 *   reserved, confirmed) is checked against the sale's amount and currency first; a mismatch
 *   sends the sale to a person and revokes the transaction (unless it is already confirmed).
 * - A status no document lists decides nothing: the op keeps reading until the sale's deadline
 *   for such a status (`unknownStatusDeadlineMs`), then asks a person.
 */

/** How far before the earliest possible signing time a search for our create looks. */
const SEARCH_SLACK_S = 15 * 60;

export interface PayseraOperationsDeps {
  wallet: WalletApi;
  sales: Pick<SaleJournal, 'get'>;
  logger: Logger;
  /** How long an op waits on a transaction in an undocumented status before asking a person (op age). */
  unknownStatusDeadlineMs: number;
  /** Read the spot before each order (paysera.sharedTables: another counter may have ordered there). Default true. */
  readSpotFirst?: boolean;
}

export { UNKNOWN_STATUS } from './handler-outcomes.js';

export function payseraOperationHandlers(deps: PayseraOperationsDeps): OpHandlers {
  const { wallet, sales, logger } = deps;

  const saleOf = (op: OutboxOp): Sale | undefined => (op.saleId === undefined ? undefined : sales.get(op.saleId));

  /** Read again later, or, past the deadline, a person decides. */
  function unknownStatusOutcome(op: OutboxOp, tx: Transaction): ReconcileOutcome {
    if (op.ageMs >= deps.unknownStatusDeadlineMs) return needsHuman(`${UNKNOWN_STATUS}:${tx.rawStatus}`, { status: tx.rawStatus });
    return { status: 'retry', code: UNKNOWN_STATUS };
  }

  /** The sale's mismatch with `tx`, logged, as the effects that end it; undefined when it matches. */
  function mismatchOf(sale: Sale, tx: Transaction, options: { revoke: boolean }): StoreEffects | undefined {
    const reason = paymentsMismatch(sale.amount, tx.payments);
    if (reason === undefined) return undefined;
    logger.error({ saleId: sale.id, transactionKey: tx.key, reason }, 'transaction does not match the sale; not confirming, a person must look');
    return mismatchEffects(sale, tx.key, reason, options);
  }

  function transactionInput(op: OutboxOp, payload: CreateTransactionPayload & { spotId?: number }): CreateTransactionInput {
    return {
      payments: [
        {
          description: payload.description,
          price: payload.amountMinor,
          currency: payload.currency,
          parameters: {
            [SALE_ID_PARAMETER]: op.saleId ?? op.id,
            ...(payload.spotId === undefined ? {} : { [SPOT_ID_PARAMETER]: payload.spotId }),
            ...(payload.terminal === undefined ? {} : { [TERMINAL_PARAMETER]: payload.terminal }),
          },
        },
      ],
      // Paid means WE confirmed; and a Pi behind NAT cannot receive callbacks.
      autoConfirm: false,
      callbackUri: false,
    };
  }

  /**
   * Every transaction that carries our sale id. The window starts before the earliest moment
   * the op could have been signed: an accepted request was signed within the server's
   * timestamp window of the client's server clock, and the op is `ageMs` old.
   */
  async function findOurTransactions(op: OutboxOp): Promise<Transaction[]> {
    const from = Math.floor(wallet.serverNowSeconds() - op.ageMs / 1000 - SEARCH_SLACK_S);
    // The answer must be complete: an item that cannot be read might be ours.
    const all = await wallet.listTransactions({ statuses: [...TRANSACTION_STATUSES], from, unreadable: 'fail' });
    const ours = all.filter((t) => t.payments.some((p) => p.parameters?.[SALE_ID_PARAMETER] === (op.saleId ?? op.id)));
    // Oldest first: the one the customer most likely sees is adopted, the others revoked.
    return ours.sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
  }

  /** Adopt exactly one found transaction; revoke any extra (a create that applied twice). */
  function adopt(found: Transaction[], op: OutboxOp, effects: (tx: Transaction) => StoreEffects): FinalOutcome {
    const live = found.filter((t) => !['revoked', 'deleted', 'rejected', 'failed'].includes(t.status));
    const [chosen, ...extra] = live.length > 0 ? live : found;
    if (chosen === undefined) return needsHuman('create_not_found');
    const base = effects(chosen);
    const extras = extra.filter((t) => t.status !== 'revoked' && t.status !== 'deleted').map((t) => revokeOp(undefined, t.key));
    if (extras.length > 0) logger.warn({ saleId: op.saleId, extra: extras.length }, 'create applied more than once; revoking the extra transactions');
    return done({ transactionKey: chosen.key, found: found.length }, { ...base, enqueue: [...(base.enqueue ?? []), ...extras] });
  }

  // --- create_order (table sale: the transaction inside the order) -----------------------

  function afterOrderCreated(op: OutboxOp, orderId: number | undefined, transactionKey: string, tx?: Transaction): StoreEffects {
    const sale = saleOf(op);
    if (sale?.state === 'cancelling') return continueCancelEffects(sale, transactionKey);
    // A transaction found again by our sale id carries its payments: check them at once.
    const mismatch = sale === undefined || tx === undefined ? undefined : mismatchOf(sale, tx, { revoke: true });
    return mismatch ?? { sale: { saleId: op.saleId ?? '', event: { type: 'orderCreated', orderId, transactionKey } } };
  }

  /**
   * A create (order or transaction) for a sale the staff cancelled before it was made: nothing
   * to create, and the cancel goes on with no transaction to revoke. Undefined otherwise.
   */
  function cancelledBeforeCreate(op: OutboxOp): FinalOutcome | undefined {
    const sale = saleOf(op);
    return sale?.state === 'cancelling' ? done({ skipped: 'cancelled' }, continueCancelEffects(sale, undefined)) : undefined;
  }

  const createOrder: OpHandler<CreateOrderPayload> = {
    payload: createOrderPayload,
    async execute(op) {
      const cancelled = cancelledBeforeCreate(op);
      if (cancelled !== undefined) return cancelled;
      // Another till may have ordered at this spot since it was listed waiting: read it first, and
      // send nothing to a spot that is not waiting for its first order (docs/configuration.md#several-counters).
      if (deps.readSpotFirst !== false) {
        const refusal = spotRefusal(await wallet.getSpot(op.payload.spotId));
        if (refusal !== undefined) return done({ refused: refusal }, spotRefusedEffects(op, refusal));
      }
      const order = await wallet.createOrder(op.payload.spotId, { transaction: transactionInput(op, op.payload) });
      return done({ orderId: order.id, transactionKey: order.transactionKey }, afterOrderCreated(op, order.id, order.transactionKey));
    },
    async reconcile(op) {
      const found = await findOurTransactions(op);
      if (found.length === 0) return cancelledBeforeCreate(op) ?? { status: 'not_applied' };
      return adopt(found, op, (tx) => afterOrderCreated(op, undefined, tx.key, tx));
    },
    onFailed(op, error) {
      // The order was refused (the customer left, the spot closed...): end the sale as cancelled,
      // closing the spot as every cancel does. The reason is kept on the sale.
      const sale = saleOf(op);
      if (sale === undefined || sale.state !== 'created') return undefined;
      return {
        sale: { saleId: sale.id, event: { type: 'cancelRequested', reason: `order_refused:${error.code}` } },
        enqueue: sale.spotId === undefined ? [] : [closeSpotOp(sale.id, sale.spotId)],
      };
    },
  };

  /** The order was not sent: the sale ends cancelled with the reason, its spot left alone. */
  function spotRefusedEffects(op: OutboxOp, reason: string): StoreEffects | undefined {
    const sale = saleOf(op);
    if (sale === undefined || sale.state !== 'created') return undefined;
    logger.info({ saleId: sale.id, spotId: sale.spotId, reason }, reason === BUSY_ELSEWHERE ? 'table busy at another till; no order sent' : 'the customer left the table; no order sent');
    return { sale: { saleId: sale.id, event: { type: 'cancelRequested', reason } } };
  }

  // --- create_transaction (code sale) ----------------------------------------------------

  function afterTransactionCreated(op: OutboxOp, tx: Transaction): StoreEffects {
    const sale = saleOf(op);
    if (sale === undefined) return {};
    if (sale.state === 'cancelling') return continueCancelEffects(sale, tx.key);
    // A transaction for another amount is revoked before the customer's code is ever sent.
    const mismatch = mismatchOf(sale, tx, { revoke: true });
    if (mismatch !== undefined) return mismatch;
    const enqueue = sale.reservationCode === undefined ? [] : [reserveOp(sale, tx.key, sale.reservationCode)];
    return { sale: { saleId: sale.id, event: { type: 'transactionCreated', transactionKey: tx.key } }, enqueue };
  }

  const createTransaction: OpHandler<CreateTransactionPayload> = {
    payload: createTransactionPayload,
    async execute(op) {
      const cancelled = cancelledBeforeCreate(op);
      if (cancelled !== undefined) return cancelled;
      const tx = await wallet.createTransaction(transactionInput(op, op.payload));
      return done({ transactionKey: tx.key }, afterTransactionCreated(op, tx));
    },
    async reconcile(op) {
      const found = await findOurTransactions(op);
      if (found.length === 0) return cancelledBeforeCreate(op) ?? { status: 'not_applied' };
      return adopt(found, op, (tx) => afterTransactionCreated(op, tx));
    },
    onFailed(op, error) {
      const sale = saleOf(op);
      if (sale === undefined || sale.state !== 'created') return undefined;
      return { sale: { saleId: sale.id, event: { type: 'needsHuman', reason: `create_failed:${error.code}` }, onlyIfLegal: true } };
    },
  };

  // --- reserve by code --------------------------------------------------------------------

  function afterReserved(op: OutboxOp<ReservePayload>, tx: Transaction): StoreEffects {
    const sale = saleOf(op);
    if (sale === undefined) return {};
    // Funds are held for a sale being cancelled: release them.
    if (sale.state === 'cancelling') return { enqueue: [revokeOp(sale.id, tx.key)] };
    if (sale.state !== 'transaction_created') return {};
    return mismatchOf(sale, tx, { revoke: tx.status !== 'confirmed' }) ?? reservedEffects(sale, tx.key);
  }

  function declinedEffects(op: OutboxOp<ReservePayload>, reason: string): StoreEffects | undefined {
    const sale = saleOf(op);
    const { transactionKey } = op.payload;
    if (sale === undefined) return undefined;
    // The unused transaction is revoked (tidy; it would self-delete after a month anyway).
    const cleanup = [revokeOp(undefined, transactionKey)];
    if (sale.state === 'cancelling') return { enqueue: cleanup, sale: { saleId: sale.id, event: { type: 'cancelCompleted' } } };
    if (sale.state !== 'transaction_created') return undefined;
    return { sale: { saleId: sale.id, event: { type: 'declined', reason } }, enqueue: cleanup };
  }

  /** What a transaction read after a reserve means for the op. */
  function reserveOutcomeOf(op: OutboxOp<ReservePayload>, tx: Transaction): ReconcileOutcome {
    switch (tx.status) {
      case 'reserved':
      case 'confirmed':
        return done({ status: tx.status }, afterReserved(op, tx));
      case 'unknown':
        return unknownStatusOutcome(op, tx);
      case 'new':
      case 'waiting':
      case 'waiting_funds':
      case 'waiting_registration':
      case 'waiting_password':
        return { status: 'not_applied' };
      case 'rejected':
      case 'failed':
        return { status: 'failed', code: tx.status, effects: declinedEffects(op, tx.status) };
      default:
        return done({ status: tx.status }, revokedEffects(saleOf(op)));
    }
  }

  /**
   * The server refused the reserve for its field name: the terminal's setup, not the customer.
   * The sale is cancelled with the reason (its transaction revoked as every cancel does).
   */
  function misconfiguredEffects(op: OutboxOp<ReservePayload>, reason: string): StoreEffects | undefined {
    const sale = saleOf(op);
    const { transactionKey } = op.payload;
    logger.error({ saleId: op.saleId, setting: 'paysera.reservationCodeField' }, 'Paysera refused the reserve-by-code field: set paysera.reservationCodeField to the other spelling');
    if (sale === undefined) return undefined;
    // Cancelled meanwhile: the revoke continues that cancel.
    if (sale.state === 'cancelling') return { enqueue: [revokeOp(sale.id, transactionKey)] };
    if (sale.state !== 'transaction_created') return undefined;
    return { sale: { saleId: sale.id, event: { type: 'cancelRequested', reason } }, enqueue: [revokeOp(sale.id, transactionKey)] };
  }

  async function reserveOutcomeFromRemote(op: OutboxOp<ReservePayload>): Promise<ReconcileOutcome> {
    return reserveOutcomeOf(op, await wallet.getTransaction(op.payload.transactionKey));
  }

  const reserve: OpHandler<ReservePayload> = {
    payload: reservePayload,
    async execute(op) {
      const sale = saleOf(op);
      const { transactionKey, reservationCode } = op.payload;
      if (sale?.state === 'cancelling') return done({ skipped: 'cancelled' }, { enqueue: [revokeOp(sale.id, transactionKey)] });
      let tx: Transaction;
      try {
        tx = await wallet.reserveTransaction(transactionKey, reservationCode);
      } catch (error) {
        return decidedByReadBack(error, ['invalid_state'], () => reserveOutcomeFromRemote(op));
      }
      const outcome = reserveOutcomeOf(op, tx);
      // The reserve applied but its answer decides nothing yet: read the transaction again later.
      if (outcome.status === 'not_applied' || outcome.status === 'retry') throw undecided(tx);
      return outcome;
    },
    reconcile: reserveOutcomeFromRemote,
    onFailed(op, error: OpError) {
      const verdict = classifyReserveError(error.code, error instanceof WalletError ? error.fields : []);
      if (verdict.kind === 'declined') return declinedEffects(op, verdict.reason);
      if (verdict.kind === 'misconfigured') return misconfiguredEffects(op, verdict.reason);
      const sale = saleOf(op);
      if (sale === undefined) return undefined;
      return { sale: { saleId: sale.id, event: { type: 'needsHuman', reason: `reserve_failed:${error.code}` }, onlyIfLegal: true } };
    },
  };

  // --- confirm ----------------------------------------------------------------------------

  async function confirmOutcomeFromRemote(op: OutboxOp<TransactionKeyPayload>): Promise<ReconcileOutcome> {
    const tx = await wallet.getTransaction(op.payload.transactionKey);
    const sale = saleOf(op);
    if (tx.status === 'confirmed') {
      if (sale === undefined || sale.state !== 'reserved') return needsHuman('confirmed_unexpectedly', { status: tx.status });
      return confirmedOutcome(sale, tx);
    }
    if (tx.status === 'reserved') return { status: 'not_applied' };
    if (tx.status === 'unknown') return unknownStatusOutcome(op, tx);
    return needsHuman(`confirm_impossible:${tx.status}`, { status: tx.status });
  }

  const confirm: OpHandler<TransactionKeyPayload> = {
    payload: transactionKeyPayload,
    async execute(op) {
      const sale = saleOf(op);
      const { transactionKey } = op.payload;
      if (sale === undefined || sale.state !== 'reserved') return needsHuman('confirm_for_unreserved_sale', { state: sale?.state });
      let tx: Transaction;
      try {
        tx = await wallet.confirmTransaction(transactionKey);
      } catch (error) {
        return decidedByReadBack(error, ['invalid_state'], () => confirmOutcomeFromRemote(op));
      }
      if (tx.status === 'unknown') throw undecided(tx);
      if (tx.status !== 'confirmed') return needsHuman(`confirm_answered:${tx.status}`, { status: tx.status });
      return confirmedOutcome(sale, tx);
    },
    reconcile: confirmOutcomeFromRemote,
  };

  /**
   * Confirmed by the server. Checked once more: a transaction changed after it was seen reserved
   * is confirmed already (nothing to revoke), but it is not paid as the sale: a person decides.
   */
  function confirmedOutcome(sale: Sale, tx: Transaction): FinalOutcome {
    const mismatch = paymentsMismatch(sale.amount, tx.payments);
    if (mismatch === undefined) return done({ status: 'confirmed' }, confirmedEffects(sale));
    logger.error({ saleId: sale.id, transactionKey: tx.key, reason: mismatch }, 'the confirmed transaction does not match the sale; a person must look');
    return { status: 'needs_human', code: 'amount_mismatch_confirmed', result: { status: tx.status }, effects: mismatchEffects(sale, tx.key, mismatch, { revoke: false }) };
  }

  // --- close spot -------------------------------------------------------------------------

  const closeSpot: OpHandler<CloseSpotPayload> = {
    payload: closeSpotPayload,
    async execute(op) {
      const { spotId } = op.payload;
      try {
        await wallet.closeSpot(spotId);
      } catch (error) {
        // A spot that no longer exists needs no closing.
        if (!isWalletCode(error, 'not_found')) throw error;
      }
      return done({ closed: spotId }, spotClosedEffects(saleOf(op)));
    },
    async reconcile(op) {
      const { spotId } = op.payload;
      const spot = await wallet.getSpot(spotId);
      // Known limit: a close that applied and a new check-in since look the same as a close that
      // did not apply; closing again then ends the newcomer's check-in (they scan again). Never
      // a money problem: no order is attached to a waiting spot.
      if (spot.status === 'closed') return done({ closed: spotId }, spotClosedEffects(saleOf(op)));
      return { status: 'not_applied' };
    },
  };

  // --- revoke -----------------------------------------------------------------------------

  async function revokeOutcomeFromRemote(op: OutboxOp<TransactionKeyPayload>): Promise<ReconcileOutcome> {
    const tx = await wallet.getTransaction(op.payload.transactionKey);
    switch (tx.status) {
      case 'revoked':
      case 'deleted':
      case 'rejected':
      case 'failed':
        return done({ status: tx.status }, revokedEffects(saleOf(op)));
      case 'confirmed':
        return needsHuman('revoke_but_confirmed', { status: tx.status });
      case 'unknown':
        return unknownStatusOutcome(op, tx);
      default:
        return { status: 'not_applied' };
    }
  }

  const revokeTransaction: OpHandler<TransactionKeyPayload> = {
    payload: transactionKeyPayload,
    async execute(op) {
      const { transactionKey } = op.payload;
      try {
        const tx = await wallet.revokeTransaction(transactionKey);
        return done({ status: tx.status }, revokedEffects(saleOf(op)));
      } catch (error) {
        return decidedByReadBack(error, ['invalid_state', 'not_found'], () => revokeOutcomeFromRemote(op));
      }
    },
    reconcile: revokeOutcomeFromRemote,
  };

  return {
    [OP_KINDS.createOrder]: createOrder,
    [OP_KINDS.createTransaction]: createTransaction,
    [OP_KINDS.reserve]: reserve,
    [OP_KINDS.confirm]: confirm,
    [OP_KINDS.closeSpot]: closeSpot,
    [OP_KINDS.revokeTransaction]: revokeTransaction,
  };
}
