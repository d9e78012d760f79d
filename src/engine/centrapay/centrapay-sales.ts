import type { Logger } from 'pino';
import { OP_KINDS } from '../../domain/operation-kind.js';
import type { Refund } from '../../domain/refund.js';
import { isPaidSaleState, type SaleKind } from '../../domain/sale.js';
import type { CentrapayApi } from '../../gateways/centrapay/centrapay-api.js';
import type { PaymentRequest } from '../../gateways/centrapay/centrapay-types.js';
import type { Clock } from '../../platform/clock.js';
import type { NewOp, SaleRecord } from '../../store/types.js';
import type { EngineJournal } from '../engine-journal.js';
import { EngineError } from '../engine-error.js';
import type { EngineProvider } from '../engine-provider.js';
import type { OpHandlers } from '../outbox/outbox-runner.js';
import { centrapayOperationHandlers } from './centrapay-handlers.js';
import { CENTRAPAY_RETRY_POLICIES, createPaymentRequestOp, refundPaymentRequestOp, voidOp } from './centrapay-ops.js';
import { centrapayRefundHandlers } from './centrapay-refund-handlers.js';
import { CentrapayWatcher } from './centrapay-watcher.js';
import { requestStatusEffects } from './centrapay-sale-effects.js';

export interface CentrapayEngineOptions {
  api: CentrapayApi;
  /** Lifetime of each payment request (config `centrapay.expirySeconds`). */
  expirySeconds: number;
  /** Poll interval (config `centrapay.pollIntervalMs`; documented: every second). Default 1000. */
  pollIntervalMs?: number;
  /** How long after the request's expiry the terminal gives up (docs/apis.md#centrapay-polling-and-deadline: 5-10 s). Default 7000. */
  deadlineGraceMs?: number;
}

export interface CentrapaySalesOptions extends CentrapayEngineOptions {
  journal: EngineJournal;
  clock: Clock;
  logger: Logger;
  clockSynced: () => boolean;
  /** Printed on refund slips (config terminal.name). */
  terminalName?: string | undefined;
}

/**
 * Centrapay sales: a payment request per sale (externalRef = the sale id), its QR printed on a
 * slip once the request exists, polled until it leaves `new`; voided on cancel or at the
 * terminal's deadline.
 */
export class CentrapaySales implements EngineProvider {
  readonly saleKinds: readonly SaleKind[] = ['centrapay'];
  readonly policies = CENTRAPAY_RETRY_POLICIES;
  private readonly options: CentrapaySalesOptions;
  private watcher: CentrapayWatcher | undefined;

  constructor(options: CentrapaySalesOptions) {
    this.options = options;
  }

  handlers(): OpHandlers {
    const { api, journal, logger, clock, clockSynced } = this.options;
    const wallMs = (): number => clock.wallMs();
    return {
      ...centrapayOperationHandlers({ centrapay: api, sales: journal.store.sales, logger, wallMs, clockSynced }),
      ...centrapayRefundHandlers({ centrapay: api, sales: journal.store.sales, refunds: journal.store.refunds, terminalName: this.options.terminalName, wallMs, clockSynced, refundedOps: (refund, sale) => journal.refundedOps(refund, sale) }),
    };
  }

  /** A refund of the sale's paid payment request, keyed by the refund's id. */
  refundOp(sale: SaleRecord, refund: Refund): NewOp | undefined {
    return sale.paymentRequestId === undefined ? undefined : refundPaymentRequestOp(refund, sale.paymentRequestId);
  }

  start(): void {
    const { api, clock, logger, journal, expirySeconds } = this.options;
    this.watcher = new CentrapayWatcher({
      centrapay: api,
      clock,
      logger,
      intervalMs: this.options.pollIntervalMs ?? 1000,
      graceMs: this.options.deadlineGraceMs ?? 7000,
      awaited: () =>
        journal.store.sales
          .listOpen()
          .filter((s) => s.kind === 'centrapay' && s.state === 'awaiting_payment' && s.paymentRequestId !== undefined)
          .map((s) => ({ saleId: s.id, paymentRequestId: s.paymentRequestId ?? '', expirySeconds: s.expirySeconds ?? expirySeconds })),
      onSettled: (saleId, request) => this.onPaymentRequestSettled(saleId, request),
      onDeadline: (saleId, last) => this.onDeadline(saleId, last),
    });
    // After a restart every awaiting sale is read again at the first poll.
    this.watcher.start();
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
  }

  /** Journals the sale with its create_payment_request op in one commit; the slip prints once the request exists. */
  startSale(amountMinor: number): SaleRecord {
    const { journal, logger, expirySeconds } = this.options;
    const amount = journal.amount(amountMinor);
    const id = journal.newSaleId();
    const sale = journal.create({ id, kind: 'centrapay', amount }, { enqueue: [createPaymentRequestOp(id, amount, expirySeconds)] });
    logger.info({ saleId: id, amountMinor }, 'centrapay sale started');
    return sale;
  }

  /**
   * D while waiting: a request that exists is voided (its handler reads it first: one found paid
   * is the customer's payment and stays paid). A create not yet sent is withdrawn; one under way
   * is followed by its handler, which voids what it created.
   */
  cancel(sale: SaleRecord): SaleRecord {
    const { journal, logger } = this.options;
    if (sale.state !== 'created' && sale.state !== 'awaiting_payment') {
      throw new EngineError(isPaidSaleState(sale.state) ? 'cancel_too_late' : 'wrong_sale_state', `sale ${sale.id} is ${sale.state}`);
    }
    for (const op of journal.store.outbox.list({ saleId: sale.id, kind: OP_KINDS.createPaymentRequest, states: ['pending'] })) journal.withdraw(op);
    const enqueue = sale.paymentRequestId === undefined ? [] : [voidOp(sale.id, sale.paymentRequestId)];
    journal.apply(sale.id, { type: 'cancelRequested', reason: 'staff' }, { enqueue });
    logger.info({ saleId: sale.id }, 'centrapay sale cancel requested');
    return journal.getSale(sale.id) ?? sale;
  }

  wake(sale: SaleRecord): void {
    if (sale.state === 'awaiting_payment') this.watcher?.wake();
  }

  /**
   * A cancel whose void has not been enqueued (the create was withdrawn, or a crash between
   * steps): void the request if one exists, else nothing remote is left and the cancel completes.
   */
  advance(sale: SaleRecord): void {
    const { journal } = this.options;
    if (sale.state !== 'voiding' || journal.hasLiveOps(sale.id)) return;
    if (sale.paymentRequestId === undefined) journal.apply(sale.id, { type: 'cancelCompleted' }, undefined);
    else journal.enqueue([voidOp(sale.id, sale.paymentRequestId)]);
  }

  /** The poll saw the request leave `new`. */
  private onPaymentRequestSettled(saleId: string, request: PaymentRequest): void {
    const { journal, logger } = this.options;
    const sale = journal.getSale(saleId);
    const effects = requestStatusEffects(sale, request);
    if (sale === undefined || effects?.sale === undefined) return;
    const { sale: decision, ...rest } = effects;
    if (decision.event.type === 'needsHuman') {
      logger.error({ saleId: sale.id, paymentRequestId: request.id, reason: decision.event.reason }, 'payment request paid for another amount than the sale; not paid, a person must look');
    }
    journal.apply(sale.id, decision.event, rest);
  }

  /**
   * The terminal's deadline passed without a final status. Still `new` (or unread): void it. In a
   * status no document lists: neither void (it might refund, or be refused for a reason we cannot
   * read) nor wait for Centrapay's 24 h void window; the sale goes to a person now.
   */
  private onDeadline(saleId: string, last: PaymentRequest | undefined): void {
    const { journal, logger } = this.options;
    const sale = journal.getSale(saleId);
    if (sale?.state !== 'awaiting_payment' || sale.paymentRequestId === undefined) return;
    if (last?.status === 'unknown') {
      const reason = `unknown_status:${last.reportedStatus ?? ''}`;
      logger.error({ saleId, paymentRequestId: last.id, status: last.reportedStatus, code: 'centrapay_unknown_status_deadline' }, 'centrapay deadline passed in an unknown status; a person must look');
      journal.apply(sale.id, { type: 'needsHuman', reason }, undefined);
      return;
    }
    logger.info({ saleId }, 'centrapay deadline passed; voiding the payment request');
    journal.apply(sale.id, { type: 'deadlineReached' }, { enqueue: [voidOp(sale.id, sale.paymentRequestId)] });
  }
}
