import type { Logger } from 'pino';
import type { SaleKind } from '../../domain/sale.js';
import type { PosApi } from '../../gateways/paysera-pos/pos-api.js';
import type { Clock } from '../../platform/clock.js';
import type { NewOp, RefundRecord, SaleRecord } from '../../store/types.js';
import type { EngineProvider } from '../engine-provider.js';
import type { OpHandlers } from '../outbox/outbox-runner.js';
import { posSyncHandlers } from './pos-handlers.js';
import { posRecordOp, posRefundOp, POS_SYNC_RETRY_POLICIES } from './pos-ops.js';

export interface PosSyncOptions {
  api: PosApi;
  clock: Clock;
  logger: Logger;
  /** Whether the wall clock can be trusted: an unsynced sale is recorded without its paid time. */
  clockSynced: () => boolean;
  /** This terminal's name (config terminal.name), named in each record. */
  terminalName?: string | undefined;
}

/**
 * The Paysera POS back-office sync: sells nothing itself; every completed sale of any provider
 * intends its back-office record in the same commit as its completion (and every refund taken in
 * the commit that records it taken), and the record is sent
 * in the background (a lane of its own), so a slow back office never delays a payment.
 */
export class PosSync implements EngineProvider {
  readonly saleKinds: readonly SaleKind[] = [];
  readonly policies = POS_SYNC_RETRY_POLICIES;
  private readonly options: PosSyncOptions;

  constructor(options: PosSyncOptions) {
    this.options = options;
  }

  handlers(): OpHandlers {
    const { api, logger, clock } = this.options;
    return posSyncHandlers({ pos: api, logger, clock });
  }

  start(): void {}

  async stop(): Promise<void> {}

  completionOps(sale: SaleRecord): NewOp[] {
    return [posRecordOp(sale, this.options.clockSynced() ? this.options.clock.wallMs() : undefined, this.options.terminalName)];
  }

  /** A refund taken is recorded too, in the commit that records it taken (docs/apis.md#paysera-pos-refunds). */
  refundedOps(refund: RefundRecord, sale: SaleRecord): NewOp[] {
    return [posRefundOp(refund, sale, this.options.clockSynced() ? this.options.clock.wallMs() : undefined)];
  }
}
