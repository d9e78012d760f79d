import type { TableConfig } from '../../../src/config/load-config.js';
import type { WalletApi } from '../../../src/gateways/paysera-wallet/wallet-api.js';

/**
 * The BASELINE the latency benchmark compares against: the obvious terminal loop. Every 4 s it
 * lists waiting spots and reads every awaited transaction with one GET each; a reserved one is
 * confirmed and its spot closed right away. Staff starting a sale create the order at once (a
 * write, not tied to the tick). A code sale creates its transaction when staff start it and, once
 * the code is scanned, reserves and confirms it in one go (the obvious code, and the fastest a
 * code sale can be). No journal, no reservation watcher, no request budget: only the request
 * pattern matters here.
 */
export interface BaselineSale {
  table?: TableConfig;
  spotId?: number;
  transactionKey: string;
  state: 'awaiting' | 'confirmed' | 'closed';
}

export class BaselineTerminal {
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private waiting = new Map<string, number>();
  private readonly sales = new Set<BaselineSale>();

  constructor(
    private readonly wallet: WalletApi,
    private readonly locationId: number,
    private readonly tables: TableConfig[],
    private readonly intervalMs = 4000,
  ) {}

  start(): void {
    const run = (): void => {
      this.tick = this.tick.then(() => this.poll());
    };
    run();
    // Fixed rate, as a naive loop would do it.
    this.timer = setInterval(run, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.tick;
  }

  isWaiting(tableId: string): boolean {
    return this.waiting.has(tableId);
  }

  async startSale(tableId: string, amountMinor: number, saleId: string): Promise<BaselineSale> {
    const table = this.tables.find((t) => t.id === tableId);
    const spotId = this.waiting.get(tableId);
    if (table === undefined || spotId === undefined) throw new Error(`baseline: ${tableId} is not waiting`);
    this.waiting.delete(tableId);
    const order = await this.wallet.createOrder(spotId, {
      transaction: {
        payments: [{ description: table.name ?? table.id, price: amountMinor, currency: 'EUR', parameters: { counterpay_sale_id: saleId } }],
        autoConfirm: false,
        callbackUri: false,
      },
    });
    const sale: BaselineSale = { table, spotId, transactionKey: order.transactionKey, state: 'awaiting' };
    this.sales.add(sale);
    return sale;
  }

  async startCodeSale(amountMinor: number, saleId: string): Promise<BaselineSale> {
    const tx = await this.wallet.createTransaction({
      payments: [{ description: 'Counter sale', price: amountMinor, currency: 'EUR', parameters: { counterpay_sale_id: saleId } }],
      autoConfirm: false,
      callbackUri: false,
    });
    return { transactionKey: tx.key, state: 'awaiting' };
  }

  async submitCode(sale: BaselineSale, code: string): Promise<void> {
    await this.wallet.reserveTransaction(sale.transactionKey, code);
    await this.wallet.confirmTransaction(sale.transactionKey);
    sale.state = 'closed';
  }

  private async poll(): Promise<void> {
    try {
      const spots = await this.wallet.listSpots({ status: 'waiting' });
      const waiting = new Map<string, number>();
      for (const spot of spots) {
        if (spot.locationId !== undefined && spot.locationId !== this.locationId) continue;
        const table = this.tables.find((t) => t.id.toLowerCase() === spot.identifier?.toLowerCase());
        const busy = [...this.sales].some((s) => s.spotId === spot.id && s.state !== 'closed');
        if (table !== undefined && !busy) waiting.set(table.id, spot.id);
      }
      this.waiting = waiting;
    } catch {
      // Next tick.
    }
    for (const sale of [...this.sales]) {
      if (sale.state !== 'awaiting') continue;
      try {
        const tx = await this.wallet.getTransaction(sale.transactionKey);
        if (tx.status !== 'reserved') continue;
        await this.wallet.confirmTransaction(sale.transactionKey);
        sale.state = 'confirmed';
        if (sale.spotId !== undefined) await this.wallet.closeSpot(sale.spotId);
        sale.state = 'closed';
        this.sales.delete(sale);
      } catch {
        // Next tick.
      }
    }
  }
}
