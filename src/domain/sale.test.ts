import { describe, expect, it } from 'vitest';
import { money } from './money.js';
import {
  CENTRAPAY_SALE_STATES,
  CODE_SALE_STATES,
  TABLE_SALE_STATES,
  canTransition,
  createSale,
  isOpenSaleState,
  isPaidAndClosed,
  isPaidSaleState,
  saleEventTypes,
  saleOutcome,
  SaleTransitionError,
  transition,
  type Sale,
  type SaleEvent,
  type SaleEventType,
  type SaleKind,
  type SaleState,
} from './sale.js';

const EUR = (minor: number) => money(minor, 'EUR');

const SAMPLE_EVENTS: Record<SaleEventType, SaleEvent> = {
  orderCreated: { type: 'orderCreated', orderId: 77, transactionKey: 'txKEY1' },
  transactionCreated: { type: 'transactionCreated', transactionKey: 'txKEY2' },
  codeSubmitted: { type: 'codeSubmitted', reservationCode: '0155567464130298871198969060' },
  reservationSeen: { type: 'reservationSeen' },
  reservedByCode: { type: 'reservedByCode' },
  declined: { type: 'declined', reason: 'not_enough_funds' },
  paymentRejected: { type: 'paymentRejected', reason: 'rejected' },
  confirmed: { type: 'confirmed' },
  spotClosed: { type: 'spotClosed' },
  receiptQueued: { type: 'receiptQueued' },
  completed: { type: 'completed' },
  cancelRequested: { type: 'cancelRequested', reason: 'staff' },
  cancelCompleted: { type: 'cancelCompleted' },
  needsHuman: { type: 'needsHuman', reason: 'confirm_max_age' },
  humanResolved: { type: 'humanResolved', paid: true },
  requestCreated: { type: 'requestCreated', paymentRequestId: 'pr_1', shortCode: 'CP-ABC-123', expirySeconds: 85 },
  paid: { type: 'paid' },
  expired: { type: 'expired' },
  requestCancelled: { type: 'requestCancelled', reason: 'PAYMENT_DECLINED' },
  createRefused: { type: 'createRefused', reason: 'create_failed:unauthorized' },
  deadlineReached: { type: 'deadlineReached' },
  voidCompleted: { type: 'voidCompleted' },
};
const ALL_EVENTS = Object.keys(SAMPLE_EVENTS) as SaleEventType[];

function tableSale(): Sale {
  return createSale({ id: 'sale_t', kind: 'table', amount: EUR(1299), tableId: 'TABLE1', spotId: 42 });
}
function codeSale(): Sale {
  return createSale({ id: 'sale_c', kind: 'code', amount: EUR(500) });
}
function centrapaySale(): Sale {
  return createSale({ id: 'sale_cp', kind: 'centrapay', amount: EUR(250) });
}
function run(sale: Sale, events: SaleEvent[]): Sale {
  return events.reduce(transition, sale);
}
function at(kind: SaleKind, state: SaleState): Sale {
  const base = kind === 'table' ? tableSale() : kind === 'code' ? codeSale() : centrapaySale();
  return { ...base, state };
}
const STATES: Record<SaleKind, readonly SaleState[]> = { table: TABLE_SALE_STATES, code: CODE_SALE_STATES, centrapay: CENTRAPAY_SALE_STATES };

/** The legal transitions, written out by hand (not derived from the rule table under test). */
const EXPECTED: Record<SaleKind, Array<[SaleState, SaleEventType, SaleState]>> = {
  table: [
    ['created', 'orderCreated', 'order_created'],
    ['order_created', 'reservationSeen', 'reserved'],
    ['order_created', 'paymentRejected', 'cancelling'],
    ['reserved', 'confirmed', 'confirmed'],
    ['confirmed', 'spotClosed', 'spot_closed'],
    ['spot_closed', 'receiptQueued', 'receipt_queued'],
    ['receipt_queued', 'completed', 'done'],
    ['created', 'cancelRequested', 'cancelling'],
    ['order_created', 'cancelRequested', 'cancelling'],
    ['reserved', 'cancelRequested', 'cancelling'],
    ['cancelling', 'cancelCompleted', 'cancelled'],
    ...(['created', 'order_created', 'reserved', 'confirmed', 'spot_closed', 'receipt_queued', 'cancelling'] as const).map(
      (s) => [s, 'needsHuman', 'needs_human'] as [SaleState, SaleEventType, SaleState],
    ),
    ['needs_human', 'humanResolved', 'done'],
  ],
  code: [
    ['created', 'transactionCreated', 'transaction_created'],
    ['created', 'codeSubmitted', 'created'],
    ['transaction_created', 'codeSubmitted', 'transaction_created'],
    ['transaction_created', 'reservedByCode', 'reserved'],
    ['transaction_created', 'declined', 'declined'],
    ['reserved', 'confirmed', 'confirmed'],
    ['confirmed', 'receiptQueued', 'receipt_queued'],
    ['receipt_queued', 'completed', 'done'],
    ['created', 'cancelRequested', 'cancelling'],
    ['transaction_created', 'cancelRequested', 'cancelling'],
    ['reserved', 'cancelRequested', 'cancelling'],
    ['cancelling', 'cancelCompleted', 'cancelled'],
    ...(['created', 'transaction_created', 'reserved', 'confirmed', 'receipt_queued', 'cancelling'] as const).map(
      (s) => [s, 'needsHuman', 'needs_human'] as [SaleState, SaleEventType, SaleState],
    ),
    ['needs_human', 'humanResolved', 'done'],
  ],
  centrapay: [
    ['created', 'requestCreated', 'awaiting_payment'],
    ['created', 'createRefused', 'cancelled'],
    ['awaiting_payment', 'paid', 'paid'],
    ['voiding', 'paid', 'paid'],
    ['paid', 'receiptQueued', 'receipt_queued'],
    ['receipt_queued', 'completed', 'done'],
    ['awaiting_payment', 'expired', 'expired'],
    ['voiding', 'expired', 'expired'],
    ['awaiting_payment', 'requestCancelled', 'cancelled'],
    ['created', 'cancelRequested', 'voiding'],
    ['awaiting_payment', 'cancelRequested', 'voiding'],
    ['awaiting_payment', 'deadlineReached', 'voiding'],
    ['voiding', 'voidCompleted', 'cancelled'],
    ['voiding', 'cancelCompleted', 'cancelled'],
    ...(['created', 'awaiting_payment', 'paid', 'receipt_queued', 'voiding'] as const).map(
      (s) => [s, 'needsHuman', 'needs_human'] as [SaleState, SaleEventType, SaleState],
    ),
    ['needs_human', 'humanResolved', 'done'],
  ],
};

describe('table sale', () => {
  it('walks the happy path, recording order and transaction', () => {
    const steps: SaleEvent[] = [
      SAMPLE_EVENTS.orderCreated,
      { type: 'reservationSeen' },
      { type: 'confirmed' },
      { type: 'spotClosed' },
      { type: 'receiptQueued' },
      { type: 'completed' },
    ];
    const states: SaleState[] = [];
    let sale = tableSale();
    for (const step of steps) {
      sale = transition(sale, step);
      states.push(sale.state);
    }
    expect(states).toEqual(['order_created', 'reserved', 'confirmed', 'spot_closed', 'receipt_queued', 'done']);
    expect(sale).toMatchObject({ orderId: 77, transactionKey: 'txKEY1', tableId: 'TABLE1', spotId: 42 });
    expect(isOpenSaleState(sale.state)).toBe(false);
  });

  it('cancels through cancelling, keeping the reason', () => {
    const sale = run(tableSale(), [SAMPLE_EVENTS.orderCreated, { type: 'cancelRequested', reason: 'staff' }, { type: 'cancelCompleted' }]);
    expect(sale.state).toBe('cancelled');
    expect(sale.declineReason).toBe('staff');
  });

  it('a rejected payment becomes a cancel (the order and spot still need cleaning up)', () => {
    const sale = run(tableSale(), [SAMPLE_EVENTS.orderCreated, { type: 'paymentRejected', reason: 'rejected' }]);
    expect(sale).toMatchObject({ state: 'cancelling', declineReason: 'rejected' });
  });

  it('refuses a table sale without table or spot, and a zero amount', () => {
    expect(() => createSale({ id: 's', kind: 'table', amount: EUR(100) })).toThrow(SaleTransitionError);
    expect(() => createSale({ id: 's', kind: 'table', amount: EUR(100), tableId: 'T1' })).toThrow(/spot/);
    expect(() => createSale({ id: 's', kind: 'code', amount: EUR(0) })).toThrow(/positive/);
  });
});

describe('code sale', () => {
  it('walks the happy path with the code submitted before the transaction exists', () => {
    const sale = run(codeSale(), [
      SAMPLE_EVENTS.codeSubmitted,
      SAMPLE_EVENTS.transactionCreated,
      { type: 'reservedByCode' },
      { type: 'confirmed' },
      { type: 'receiptQueued' },
      { type: 'completed' },
    ]);
    expect(sale).toMatchObject({ state: 'done', transactionKey: 'txKEY2', reservationCode: '0155567464130298871198969060' });
    expect(sale.spotId).toBeUndefined();
  });

  it('a decline is final and keeps the reason', () => {
    const sale = run(codeSale(), [SAMPLE_EVENTS.transactionCreated, SAMPLE_EVENTS.codeSubmitted, { type: 'declined', reason: 'not_enough_funds' }]);
    expect(sale).toMatchObject({ state: 'declined', declineReason: 'not_enough_funds' });
    expect(isOpenSaleState('declined')).toBe(false);
    for (const type of ALL_EVENTS) expect(canTransition('code', 'declined', type)).toBe(false);
  });

  it('accepts one reservation code per sale, never a second', () => {
    const sale = transition(codeSale(), SAMPLE_EVENTS.codeSubmitted);
    expect(() => transition(sale, { type: 'codeSubmitted', reservationCode: '123' })).toThrow(
      expect.objectContaining({ code: 'code_already_submitted' }),
    );
  });
});

describe('centrapay sale', () => {
  it('walks the happy path, recording the request, its short code and expiry', () => {
    const states: SaleState[] = [];
    let sale = centrapaySale();
    for (const step of [SAMPLE_EVENTS.requestCreated, { type: 'paid' }, { type: 'receiptQueued' }, { type: 'completed' }] as SaleEvent[]) {
      sale = transition(sale, step);
      states.push(sale.state);
    }
    expect(states).toEqual(['awaiting_payment', 'paid', 'receipt_queued', 'done']);
    expect(sale).toMatchObject({ paymentRequestId: 'pr_1', shortCode: 'CP-ABC-123', expirySeconds: 85 });
    expect(isPaidSaleState('paid')).toBe(true);
  });

  it('expired is final and says so', () => {
    const sale = run(centrapaySale(), [SAMPLE_EVENTS.requestCreated, { type: 'expired' }]);
    expect(sale).toMatchObject({ state: 'expired', declineReason: 'expired' });
    expect(isOpenSaleState('expired')).toBe(false);
    for (const type of ALL_EVENTS) expect(canTransition('centrapay', 'expired', type)).toBe(false);
  });

  it('the customer declining cancels with their reason', () => {
    const sale = run(centrapaySale(), [SAMPLE_EVENTS.requestCreated, SAMPLE_EVENTS.requestCancelled]);
    expect(sale).toMatchObject({ state: 'cancelled', declineReason: 'PAYMENT_DECLINED' });
  });

  it('a staff cancel voids and ends cancelled with reason staff', () => {
    const sale = run(centrapaySale(), [SAMPLE_EVENTS.requestCreated, { type: 'cancelRequested', reason: 'staff' }, { type: 'voidCompleted' }]);
    expect(sale).toMatchObject({ state: 'cancelled', declineReason: 'staff' });
  });

  it('the terminal deadline voids and ends expired', () => {
    const voiding = run(centrapaySale(), [SAMPLE_EVENTS.requestCreated, { type: 'deadlineReached' }]);
    expect(voiding).toMatchObject({ state: 'voiding', declineReason: 'deadline' });
    expect(transition(voiding, { type: 'voidCompleted' })).toMatchObject({ state: 'expired', declineReason: 'deadline' });
    // The last read found it paid: the server's word wins.
    expect(transition(voiding, { type: 'paid' }).state).toBe('paid');
  });

  it('a cancel before anything was created completes without a void', () => {
    const sale = run(centrapaySale(), [{ type: 'cancelRequested', reason: 'staff' }, { type: 'cancelCompleted' }]);
    expect(sale).toMatchObject({ state: 'cancelled', declineReason: 'staff' });
    expect(sale.paymentRequestId).toBeUndefined();
  });

  it('requestCreated needs an id and a positive expiry', () => {
    expect(() => transition(centrapaySale(), { ...SAMPLE_EVENTS.requestCreated, paymentRequestId: '' } as SaleEvent)).toThrow(
      expect.objectContaining({ code: 'invalid_event' }),
    );
    expect(() => transition(centrapaySale(), { type: 'requestCreated', paymentRequestId: 'pr', shortCode: 'X', expirySeconds: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_event' }),
    );
  });
});

describe('every named transition', () => {
  for (const kind of ['table', 'code', 'centrapay'] as const) {
    for (const [from, type, to] of EXPECTED[kind]) {
      it(`${kind}: ${from} -${type}-> ${to}`, () => {
        const before = type === 'codeSubmitted' ? at(kind, from) : { ...at(kind, from), reservationCode: undefined };
        const after = transition(before, SAMPLE_EVENTS[type]);
        expect(after.state).toBe(to);
        expect(before.state).toBe(from); // snapshots are not mutated
      });
    }

    it(`${kind}: the rule table has exactly the expected transitions`, () => {
      const states = STATES[kind];
      const legal = new Set(EXPECTED[kind].map(([from, type]) => `${from}/${type}`));
      for (const state of states) {
        for (const type of ALL_EVENTS) {
          expect(canTransition(kind, state, type), `${state}/${type}`).toBe(legal.has(`${state}/${type}`));
        }
      }
      expect(new Set(saleEventTypes(kind))).toEqual(new Set(EXPECTED[kind].map(([, type]) => type)));
    });
  }
});

describe('every illegal transition is rejected with a typed error', () => {
  for (const kind of ['table', 'code', 'centrapay'] as const) {
    const states = STATES[kind];
    const legal = new Set(EXPECTED[kind].map(([from, type]) => `${from}/${type}`));
    for (const state of states) {
      for (const type of ALL_EVENTS) {
        if (legal.has(`${state}/${type}`)) continue;
        it(`${kind}: ${type} in ${state}`, () => {
          const sale = at(kind, state);
          let thrown: unknown;
          try {
            transition(sale, SAMPLE_EVENTS[type]);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(SaleTransitionError);
          expect(thrown).toMatchObject({ code: 'illegal_transition', from: state, event: type, saleId: sale.id });
        });
      }
    }
  }
});

describe('invariants', () => {
  it('confirmed is reachable only from reserved', () => {
    for (const state of [...TABLE_SALE_STATES, ...CODE_SALE_STATES]) {
      if (state === 'reserved') continue;
      expect(canTransition('table', state, 'confirmed')).toBe(false);
      expect(canTransition('code', state, 'confirmed')).toBe(false);
    }
  });

  it('a paid sale cannot be cancelled', () => {
    for (const state of [...TABLE_SALE_STATES, ...CODE_SALE_STATES, ...CENTRAPAY_SALE_STATES]) {
      if (isPaidSaleState(state)) {
        expect(canTransition('table', state, 'cancelRequested')).toBe(false);
        expect(canTransition('code', state, 'cancelRequested')).toBe(false);
        expect(canTransition('centrapay', state, 'cancelRequested')).toBe(false);
        expect(canTransition('centrapay', state, 'deadlineReached')).toBe(false);
      }
    }
  });

  it('paid and closed: one paid state per kind, the one the receipt is queued from', () => {
    const states: Record<SaleKind, readonly SaleState[]> = { table: TABLE_SALE_STATES, code: CODE_SALE_STATES, centrapay: CENTRAPAY_SALE_STATES };
    for (const kind of ['table', 'code', 'centrapay'] as const) {
      const closed = states[kind].filter((state) => isPaidAndClosed({ kind, state }));
      expect(closed, kind).toEqual([{ table: 'spot_closed', code: 'confirmed', centrapay: 'paid' }[kind]]);
      for (const state of states[kind]) expect(canTransition(kind, state, 'receiptQueued'), `${kind} ${state}`).toBe(closed.includes(state));
      expect(closed.every(isPaidSaleState)).toBe(true);
    }
  });

  it('a table sale the customer rejected (or whose payment failed) ends declined; a staff cancel ends cancelled', () => {
    const rejected = transition(transition(at('table', 'order_created'), { type: 'paymentRejected', reason: 'rejected' }), { type: 'cancelCompleted' });
    expect([rejected.state, rejected.declineReason]).toEqual(['declined', 'rejected']);
    expect(transition(transition(at('table', 'order_created'), { type: 'paymentRejected', reason: 'failed' }), { type: 'cancelCompleted' }).state).toBe('declined');
    expect(transition(transition(at('table', 'order_created'), { type: 'cancelRequested', reason: 'staff' }), { type: 'cancelCompleted' }).state).toBe('cancelled');
    expect(transition(transition(at('table', 'order_created'), { type: 'cancelRequested', reason: 'closed_elsewhere' }), { type: 'cancelCompleted' }).state).toBe('cancelled');
  });

  it('the outcome a state stands for: paid from the server’s answer on, nothing while under way', () => {
    const outcomes = (states: readonly SaleState[]) => Object.fromEntries(states.map((state) => [state, saleOutcome({ state, resolvedPaid: undefined })]));
    expect(outcomes(TABLE_SALE_STATES)).toEqual({
      created: undefined,
      order_created: undefined,
      reserved: undefined,
      confirmed: 'paid',
      spot_closed: 'paid',
      receipt_queued: 'paid',
      done: 'paid',
      cancelling: undefined,
      cancelled: 'cancelled',
      declined: 'declined',
      needs_human: 'needs_human',
    });
    expect(saleOutcome({ state: 'declined', resolvedPaid: undefined })).toBe('declined');
    expect(saleOutcome({ state: 'expired', resolvedPaid: undefined })).toBe('cancelled');
    expect(saleOutcome({ state: 'voiding', resolvedPaid: undefined })).toBeUndefined();
    expect(saleOutcome(transition(at('table', 'needs_human'), { type: 'humanResolved', paid: false }))).toBe('cancelled');
    expect(saleOutcome(transition(at('table', 'needs_human'), { type: 'humanResolved', paid: true }))).toBe('paid');
  });

  it('centrapay: paid only from a state in which a request exists', () => {
    for (const state of CENTRAPAY_SALE_STATES) {
      expect(canTransition('centrapay', state, 'paid'), state).toBe(state === 'awaiting_payment' || state === 'voiding');
    }
  });

  it('humanResolved records the person’s finding', () => {
    const sale = transition(at('table', 'needs_human'), { type: 'humanResolved', paid: false });
    expect(sale).toMatchObject({ state: 'cancelled', resolvedPaid: false });
  });

  it('rejects empty data in events', () => {
    expect(() => transition(tableSale(), { type: 'orderCreated', orderId: 1, transactionKey: '' })).toThrow(
      expect.objectContaining({ code: 'invalid_event' }),
    );
    expect(() => transition(tableSale(), { type: 'needsHuman', reason: '' })).toThrow(expect.objectContaining({ code: 'invalid_event' }));
  });

  it('centrapay sales do not know Paysera events', () => {
    const sale = createSale({ id: 'c', kind: 'centrapay', amount: EUR(100) });
    expect(() => transition(sale, { type: 'confirmed' })).toThrow(expect.objectContaining({ code: 'illegal_transition' }));
  });
});
