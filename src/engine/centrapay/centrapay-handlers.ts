import type { Logger } from 'pino';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { Sale } from '../../domain/sale.js';
import type { CentrapayApi } from '../../gateways/centrapay/centrapay-api.js';
import { CentrapayError } from '../../gateways/centrapay/centrapay-error.js';
import type { PaymentRequest } from '../../gateways/centrapay/centrapay-types.js';
import type { SaleJournal } from '../../store/sale-journal.js';
import type { OutboxOp, StoreEffects } from '../../store/types.js';
import type { FinalOutcome, OpHandler, OpHandlers, ReconcileOutcome } from '../outbox/outbox-runner.js';
import {
  createPaymentRequestPayload,
  voidOp,
  voidPaymentRequestPayload,
  type CreatePaymentRequestPayload,
  type VoidPaymentRequestPayload,
} from './centrapay-ops.js';
import { requestStatusEffects, slipJob } from './centrapay-sale-effects.js';

/**
 * The Centrapay operations of the outbox (docs/apis.md#centrapay-payment-requests): create a payment request, void one.
 *
 * Invariants:
 * - Create has no idempotency key, so it is never re-POSTed blindly: after an ambiguous outcome
 *   the request is looked for by externalRef (= our sale id); only an empty answer allows a
 *   resend. Exactly one found request is adopted; every extra one is voided.
 * - A void is preceded by a read (the "one last read" of B.6 step 5): a request found paid is the
 *   customer's payment, recorded as paid, never refunded by our own void; one found expired or
 *   cancelled needs no void. Only `new` is voided.
 * - A void whose outcome is lost and that then reads `paid` may have refunded the payment (a paid
 *   request stays `paid` after a refund): a case for a person, never silently either outcome.
 * - Every step re-reads the sale first: a create that settles for a sale being cancelled gets the
 *   cancel's next step (void what was created) instead of the slip.
 */

export interface CentrapayOperationsDeps {
  centrapay: CentrapayApi;
  sales: Pick<SaleJournal, 'get'>;
  logger: Logger;
  /** Wall time for the slip's expiry when the server's expiresAt cannot be read. */
  wallMs: () => number;
  clockSynced: () => boolean;
}

const done = (result?: unknown, effects?: StoreEffects): FinalOutcome => ({ status: 'done', result, effects });
const needsHuman = (code: string, result?: unknown): FinalOutcome => ({ status: 'needs_human', code, result });

function isCentrapayCode(error: unknown, ...codes: string[]): error is CentrapayError {
  return error instanceof CentrapayError && codes.includes(error.code);
}

export function centrapayOperationHandlers(deps: CentrapayOperationsDeps): OpHandlers {
  const { centrapay, sales, logger } = deps;
  const saleOf = (op: OutboxOp): Sale | undefined => (op.saleId === undefined ? undefined : sales.get(op.saleId));

  // --- create_payment_request -----------------------------------------------------------------

  function afterCreated(op: OutboxOp<CreatePaymentRequestPayload>, request: PaymentRequest): StoreEffects {
    const sale = saleOf(op);
    if (sale === undefined) return {};
    // Cancelled while the create was under way: void what was created.
    if (sale.state === 'voiding') return { enqueue: [voidOp(sale.id, request.id)] };
    if (sale.state !== 'created') return {};
    const expirySeconds = request.expirySeconds ?? op.payload.expirySeconds;
    return {
      sale: { saleId: sale.id, event: { type: 'requestCreated', paymentRequestId: request.id, shortCode: request.shortCode, expirySeconds } },
      // A request already final (found late by a reconcile) is not worth a slip; the poll settles it.
      printJobs: request.status === 'new' ? [slipJob(sale, request, deps.wallMs() + expirySeconds * 1000, deps.clockSynced())] : [],
    };
  }

  /** Adopt exactly one found request (paid first, else the oldest new); void every other live one. */
  function adopt(found: PaymentRequest[], op: OutboxOp<CreatePaymentRequestPayload>): FinalOutcome {
    const ordered = [...found].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const chosen = ordered.find((r) => r.status === 'paid') ?? ordered.find((r) => r.status === 'new') ?? ordered[0];
    if (chosen === undefined) return needsHuman('create_not_found');
    const base = afterCreated(op, chosen);
    // Every other request that may still be live is voided (an unknown status may be live too).
    const extras = ordered.filter((r) => r.id !== chosen.id && (r.status === 'new' || r.status === 'paid' || r.status === 'unknown')).map((r) => voidOp(undefined, r.id));
    if (extras.length > 0) logger.warn({ saleId: op.saleId, extra: extras.length }, 'payment request created more than once; voiding the extra requests');
    return done({ paymentRequestId: chosen.id, found: found.length }, { ...base, enqueue: [...(base.enqueue ?? []), ...extras] });
  }

  const createPaymentRequest: OpHandler<CreatePaymentRequestPayload> = {
    payload: createPaymentRequestPayload,
    async execute(op) {
      const sale = saleOf(op);
      if (sale?.state === 'voiding') return done({ skipped: 'cancelled' }, { sale: { saleId: sale.id, event: { type: 'cancelCompleted' } } });
      const { payload } = op;
      const request = await centrapay.createPaymentRequest({
        externalRef: op.saleId ?? op.id,
        amountMinor: payload.amountMinor,
        currency: payload.currency,
        expirySeconds: payload.expirySeconds,
      });
      return done({ paymentRequestId: request.id, shortCode: request.shortCode }, afterCreated(op, request));
    },
    async reconcile(op): Promise<ReconcileOutcome> {
      const found = await centrapay.findByExternalRef(op.saleId ?? op.id);
      if (found.length === 0) {
        const sale = saleOf(op);
        if (sale?.state === 'voiding') return done({ skipped: 'cancelled' }, { sale: { saleId: sale.id, event: { type: 'cancelCompleted' } } });
        return { status: 'not_applied' };
      }
      return adopt(found, op);
    },
    onFailed(op, error) {
      // Refused (bad request, key, no payment options...): nothing exists remotely.
      const sale = saleOf(op);
      if (sale?.state === 'voiding') return { sale: { saleId: sale.id, event: { type: 'cancelCompleted' } } };
      if (sale?.state !== 'created') return undefined;
      return { sale: { saleId: sale.id, event: { type: 'createRefused', reason: `create_failed:${error.code}` } } };
    },
  };

  // --- void_payment_request -------------------------------------------------------------------

  /** A void went through (an unpaid request cancelled, or a paid one refunded). */
  function voidedEffects(op: OutboxOp): StoreEffects | undefined {
    const sale = saleOf(op);
    return sale?.state === 'voiding' ? { sale: { saleId: sale.id, event: { type: 'voidCompleted' } } } : undefined;
  }

  /** The request is no longer `new`: its status decides, no void is sent. */
  function settledWithoutVoid(op: OutboxOp, request: PaymentRequest): FinalOutcome {
    return done({ status: request.status, voided: false }, requestStatusEffects(saleOf(op), request));
  }

  /** A status outside new/paid/cancelled/expired: neither paid nor settled; logged once, then a person. */
  function unknownStatus(op: OutboxOp, request: PaymentRequest): FinalOutcome {
    logger.error(
      { saleId: op.saleId, paymentRequestId: request.id, status: request.reportedStatus, code: 'centrapay_unknown_status' },
      'payment request in a status no document lists; not voided, a person must look',
    );
    return needsHuman('unknown_status', { status: request.reportedStatus });
  }

  const voidPaymentRequest: OpHandler<VoidPaymentRequestPayload> = {
    payload: voidPaymentRequestPayload,
    async execute(op) {
      const { paymentRequestId } = op.payload;
      const sale = saleOf(op);
      // The last read: a request the customer paid is their payment, not something to refund.
      // An extra request (no sale) is voided whatever it is: only one request per sale is kept.
      const request = await centrapay.getPaymentRequest(paymentRequestId);
      // A status no document lists: voiding might refund or fail for reasons we cannot read; a person decides.
      if (request.status === 'unknown') return unknownStatus(op, request);
      if (request.status === 'expired' || request.status === 'cancelled') return settledWithoutVoid(op, request);
      if (request.status === 'paid' && sale !== undefined) return settledWithoutVoid(op, request);
      try {
        const activity = await centrapay.voidPaymentRequest(paymentRequestId);
        if (activity.type === 'refund') logger.warn({ saleId: op.saleId, paymentRequestId }, 'void refunded a paid payment request');
        return done({ activity: activity.type }, voidedEffects(op));
      } catch (error) {
        // Nothing left to void (expired, cancelled, refunded, paid meanwhile): read, then decide.
        if (!isCentrapayCode(error, 'request_expired', 'request_cancelled', 'already_refunded', 'request_paid')) throw error;
        const after = await centrapay.getPaymentRequest(paymentRequestId);
        if (after.status === 'new') throw error;
        if (after.status === 'unknown') return unknownStatus(op, after);
        if (after.status === 'paid' && error.code === 'already_refunded') return done({ status: 'paid', refunded: true }, voidedEffects(op));
        return settledWithoutVoid(op, after);
      }
    },
    async reconcile(op): Promise<ReconcileOutcome> {
      const { paymentRequestId } = op.payload;
      const request = await centrapay.getPaymentRequest(paymentRequestId);
      switch (request.status) {
        case 'new':
          return { status: 'not_applied' };
        case 'cancelled':
          return done({ status: 'cancelled' }, voidedEffects(op));
        case 'expired':
          return settledWithoutVoid(op, request);
        case 'paid':
          // Paid, and our void may or may not have refunded it (the status stays `paid` either way).
          return needsHuman('void_outcome_unknown_paid', { status: 'paid' });
        case 'unknown':
          return unknownStatus(op, request);
      }
    },
  };

  return {
    [OP_KINDS.createPaymentRequest]: createPaymentRequest,
    [OP_KINDS.voidPaymentRequest]: voidPaymentRequest,
  };
}
