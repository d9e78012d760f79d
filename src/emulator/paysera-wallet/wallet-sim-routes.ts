import { ok } from '../exchange.js';
import { badParameters } from '../http-error.js';
import type { Router } from '../router.js';
import { SIM_PREFIX } from '../server.js';
import { optionalInt, optionalString, simBody } from '../sim-body.js';
import { TRANSACTION_TYPES, type TransactionType } from './records.js';
import { DEFAULT_CUSTOMER } from './customer-side.js';
import type { WalletState } from './wallet-state.js';

/**
 * /_sim/ endpoints of the Wallet emulator: the customer's side of the world (check in at a table
 * code, pay or decline a transaction, show a reservation code) and read-only views of its state.
 * Bodies are camelCase JSON; resources come back in the API's own shapes.
 */
export function mountWalletSimRoutes(router: Router, service: string, state: WalletState): void {
  const add = (method: string, path: string, handler: Parameters<Router['add']>[3]): void => router.add(service, method, `${SIM_PREFIX}${path}`, handler);

  const spotIdOf = (body: Record<string, unknown>, customer: string): number => {
    const code = optionalString(body, 'code');
    const spotId = optionalInt(body, 'spotId');
    if ((code === undefined) === (spotId === undefined)) throw badParameters('Provide exactly one of code and spotId');
    return spotId ?? state.spotByCode(code ?? '', customer).id;
  };

  add('POST', 'check-in', (req) => {
    const body = simBody(req);
    const customer = optionalString(body, 'customer') ?? DEFAULT_CUSTOMER;
    return ok(state.checkIn(spotIdOf(body, customer), customer));
  });

  // The freeze period of a confirmed payment ends: it is `done`, and a refund is refused as settled.
  add('POST', 'payments/:id/settle', (_req, params) => {
    const id = params.id ?? '';
    if (!/^\d+$/.test(id)) throw badParameters('Payment id must be an integer');
    return ok(state.settlePayment(Number(id)));
  });

  add('POST', 'check-out', (req) => {
    const body = simBody(req);
    const customer = optionalString(body, 'customer') ?? DEFAULT_CUSTOMER;
    return ok(state.checkOut(spotIdOf(body, customer), customer));
  });

  add('GET', 'spots/:id', (req, params) => {
    const id = params.id ?? '';
    if (!/^\d+$/.test(id)) throw badParameters('Spot id must be an integer');
    return ok(state.getSpot(Number(id), req.query.get('customer') ?? DEFAULT_CUSTOMER));
  });

  add('POST', 'transactions/:key/reserve', (req, params) => {
    const body = simBody(req);
    const type = optionalString(body, 'type');
    if (type !== undefined && !(TRANSACTION_TYPES as readonly string[]).includes(type)) throw badParameters(`type must be one of ${TRANSACTION_TYPES.join(', ')}`);
    const customer = optionalString(body, 'customer');
    const wallet = optionalInt(body, 'wallet');
    return ok(
      state.customerReserve(params.key ?? '', {
        ...(customer === undefined ? {} : { customer }),
        ...(wallet === undefined ? {} : { wallet }),
        ...(type === undefined ? {} : { type: type as TransactionType }),
      }),
    );
  });

  add('POST', 'transactions/:key/reject', (_req, params) => ok(state.customerReject(params.key ?? '')));
  add('POST', 'transactions/:key/accept', (_req, params) => ok(state.customerAccept(params.key ?? '')));
  add('POST', 'transactions/:key/fail', (_req, params) => ok(state.customerFail(params.key ?? '')));
  add('POST', 'transactions/:key/hold', (_req, params) => ok(state.hold(params.key ?? '')));
  add('POST', 'transactions/:key/alter-amount', (req, params) => {
    const body = simBody(req);
    const deltaMinor = optionalInt(body, 'deltaMinor') ?? 0;
    const currency = optionalString(body, 'currency');
    if (deltaMinor === 0 && currency === undefined) throw badParameters('Give deltaMinor (not 0) and/or currency');
    if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) throw badParameters('currency must be an ISO 4217 code');
    return ok(state.alterAmount(params.key ?? '', { deltaMinor, currency }));
  });

  add('POST', 'reservation-codes', (req) => {
    const body = simBody(req);
    const balance = optionalInt(body, 'balance');
    if (balance === undefined) throw badParameters('balance is required (minor units)');
    const wallet = optionalInt(body, 'wallet');
    const length = optionalInt(body, 'length');
    const record = state.issueReservationCode({ balance, ...(wallet === undefined ? {} : { wallet }), ...(length === undefined ? {} : { length }) });
    return ok({ code: record.code, balance: record.balance, wallet: record.wallet });
  });

  add('GET', 'spots', () => ok({ spots: state.snapshot().spots }));
  add('GET', 'orders', () => ok({ orders: state.snapshot().orders }));
  add('GET', 'transactions', () => ok({ transactions: state.snapshot().transactions }));
  add('GET', 'reservation-codes', () => ok({ reservation_codes: state.snapshot().reservation_codes }));
}
