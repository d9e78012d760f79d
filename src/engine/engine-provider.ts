import type { Refund } from '../domain/refund.js';
import type { SaleKind } from '../domain/sale.js';
import type { NewOp, RefundRecord, SaleRecord } from '../store/types.js';
import type { OpHandlers } from './outbox/outbox-runner.js';
import type { RetryPolicies } from './outbox/retry-policy.js';

/**
 * One payment provider's part of the engine (Paysera Wallet, Centrapay, the Paysera POS sync),
 * each in the engine folder named like its gateway. The core (journaled-payment-engine.ts) owns
 * the journal, the outbox runner and the steps every sale shares (receipt, completion); a
 * provider brings its op kinds (handlers and retry policies), its watchers, and the steps of its
 * own sale kinds. Adding a provider is one folder implementing this, plus its start method on the
 * PaymentEngine API.
 *
 * Contract: constructors only assign; start() starts the watchers after the core has replayed
 * the journal; stop() ends them, awaiting any poll under way. Every commit goes through the
 * shared EngineJournal. Hooks are called only for sales of the provider's `saleKinds`.
 */
export interface EngineProvider {
  /** The sale kinds this provider sells (none for a follower such as the POS sync). */
  readonly saleKinds: readonly SaleKind[];
  /** Default retry policies of its op kinds (the engine's options are merged over them). */
  readonly policies: RetryPolicies;
  /** Handlers of its op kinds; called once, when the runner is built. */
  handlers(): OpHandlers;
  start(): void;
  stop(): Promise<void>;
  /** Staff cancel (D) a sale of one of its kinds: EngineError `cancel_too_late`/`wrong_sale_state` when it cannot. */
  cancel?(sale: SaleRecord): SaleRecord;
  /** A sale of one of its kinds changed: wake the watcher that waits on it (before the change is emitted). */
  wake?(sale: SaleRecord): void;
  /** The sale's own local step that needs no network (a cancel's next step), after the shared ones; replayed at start. */
  advance?(sale: SaleRecord): void;
  /**
   * The outbox op that refunds `refund` of a sale of one of its kinds (journaled in the refund's
   * own commit); undefined when the sale carries nothing to refund it with.
   */
  refundOp?(sale: SaleRecord, refund: Refund): NewOp | undefined;
  /** Ops intended in the same commit as any sale's completion (the POS back-office record). */
  completionOps?(sale: SaleRecord): NewOp[];
  /** Ops intended in the same commit as any sale's refund taken (the POS back-office record of the refund). */
  refundedOps?(refund: RefundRecord, sale: SaleRecord): NewOp[];
}
