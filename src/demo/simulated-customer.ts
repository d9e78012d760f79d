import { formatSpotCode } from '../domain/spot-code.js';
import type { Emulator } from '../emulator/start-emulator.js';
import type { PaymentEngine } from '../engine/engine-api.js';
import type { FakeScanner } from '../devices/scanner/fake-scanner.js';
import type { Clock } from '../platform/clock.js';
import type { RandomSource } from '../platform/random.js';

export interface SimulatedCustomerOptions {
  emulator: Emulator;
  engine: PaymentEngine;
  /** The scanner the customer shows reservation codes to. */
  scanner: FakeScanner;
  clock: Clock;
  random: RandomSource;
  locationId: number;
  tableIds: readonly string[];
  /** One line per thing the customer does, for the demo's narration. */
  say: (line: string) => void;
}

/**
 * The demo's customers, acting only through the emulator (as a phone would through Paysera) and
 * the scanner (as a phone screen would): now and then one checks in at a free table; a few
 * seconds after an order appears they pay it, or sometimes decline; at a code sale they show a
 * reservation code, occasionally one without enough funds; a printed Centrapay slip is scanned
 * and paid (sometimes declined) a few seconds later.
 */
export class SimulatedCustomer {
  private readonly options: SimulatedCustomerOptions;
  private cancel: (() => void) | undefined;
  private readonly handled = new Set<string>();
  private readonly scanned = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private visits = 0;

  constructor(options: SimulatedCustomerOptions) {
    this.options = options;
  }

  start(): void {
    this.unsubscribe = this.options.engine.onSaleChanged(({ sale }) => {
      if (sale.kind === 'centrapay' && sale.state === 'awaiting_payment' && sale.paymentRequestId !== undefined && !this.scanned.has(sale.id)) {
        this.scanned.add(sale.id);
        const requestId = sale.paymentRequestId;
        this.later(3000 + this.options.random.next() * 3000, () => this.paySlip(requestId));
        return;
      }
      if (sale.kind !== 'code' || this.scanned.has(sale.id) || sale.reservationCode !== undefined) return;
      if (sale.state !== 'created' && sale.state !== 'transaction_created') return;
      this.scanned.add(sale.id);
      this.later(2000 + this.options.random.next() * 2000, () => this.showCode(sale.id, sale.amount.minor));
    });
    this.schedule();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.unsubscribe?.();
  }

  private schedule(): void {
    this.cancel = this.options.clock.setTimeout(() => {
      this.tick();
      this.schedule();
    }, 1000);
  }

  private later(ms: number, fn: () => void): void {
    this.options.clock.setTimeout(fn, ms);
  }

  private tick(): void {
    const { emulator, random, locationId, tableIds } = this.options;
    const snapshot = emulator.wallet.snapshot();
    const ours = snapshot.spots.filter((s) => s.location_id === locationId);
    const waiting = ours.filter((s) => s.status === 'waiting').length;
    if (waiting < 2 && random.next() < 0.12) {
      const free = tableIds.filter((id) => {
        const spot = ours.find((s) => s.identifier === id.toLowerCase());
        return spot === undefined || spot.status === 'closed';
      });
      const table = free[Math.floor(random.next() * free.length)];
      if (table !== undefined) {
        this.visits += 1;
        emulator.wallet.checkInByCode(formatSpotCode({ locationId, identifier: table }), `guest-${this.visits}`);
        this.options.say(`a customer scanned the card of ${table} and is waiting`);
      }
    }
    for (const order of snapshot.orders) {
      if (this.handled.has(order.transaction_key)) continue;
      const tx = snapshot.transactions.find((t) => t.transaction_key === order.transaction_key);
      if (tx?.status !== 'new') continue;
      this.handled.add(order.transaction_key);
      const declines = random.next() < 0.15;
      this.later(3000 + random.next() * 3000, () => {
        try {
          if (declines) {
            emulator.wallet.customerReject(order.transaction_key);
            this.options.say('the customer declined the payment in the app');
          } else {
            emulator.wallet.customerReserve(order.transaction_key);
            this.options.say('the customer approved the payment in the app');
          }
        } catch {
          // Cancelled at the counter in the meantime.
        }
      });
    }
  }

  private paySlip(paymentRequestId: string): void {
    const declines = this.options.random.next() < 0.15;
    try {
      if (declines) this.options.emulator.centrapay.decline(paymentRequestId);
      else this.options.emulator.centrapay.pay(paymentRequestId);
      this.options.say(declines ? 'the customer scanned the Centrapay slip and declined' : 'the customer scanned the Centrapay slip and paid');
    } catch {
      // Voided or expired in the meantime.
    }
  }

  private showCode(saleId: string, amountMinor: number): void {
    const sale = this.options.engine.getSale(saleId);
    if (sale === undefined || sale.reservationCode !== undefined || !['created', 'transaction_created'].includes(sale.state)) return;
    const short = this.options.random.next() < 0.2;
    const { code } = this.options.emulator.wallet.issueReservationCode({ balance: short ? Math.max(0, amountMinor - 1) : amountMinor + 5000 });
    this.options.say(`the customer shows a reservation code${short ? ' (with too little money on the account)' : ''}`);
    this.options.scanner.scan(code);
  }
}
