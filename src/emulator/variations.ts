import { badParameters } from './http-error.js';

/**
 * Where the published documents allow more than one answer, the emulator can give each one: a
 * variation is one such alternative, switched on by name (`startEmulator({ variations })`,
 * `counterpay emulator --variation NAME`, `POST /_sim/variations`). With none switched on the
 * emulator answers the way this list's `default` describes. Every variation names the public
 * document that allows it; src/emulator/README.md lists them, and the contract and engine tests
 * run once per variation of the service they exercise (test/support/variation-cases.ts), so a new
 * entry here is covered without touching the tests.
 */

export type EmulatedService = 'paysera-wallet' | 'centrapay' | 'paysera-pos';

export interface Variation {
  readonly name: string;
  readonly services: readonly EmulatedService[];
  /** What the emulator answers differently while the variation is on. */
  readonly answer: string;
  /** What it answers without it. */
  readonly default: string;
  /** The public document(s) that allow this answer, with what they say. */
  readonly allowedBy: string;
}

export const VARIATIONS = [
  {
    name: 'spot-status-open',
    services: ['paysera-wallet'],
    answer: 'a spot with orders has status `open`',
    default: '`opened`, the value the spot table lists',
    allowedBy:
      'https://developers.paysera.com/en/wallet/app/pos: the spot table says "One of: closed, waiting, opened", its prose and example response say `open`',
  },
  {
    name: 'spots-without-location',
    services: ['paysera-wallet'],
    answer: 'spots carry no `place_info.location_id`',
    default: '`place_info.location_id` is always present',
    allowedBy: 'https://developers.paysera.com/en/wallet/app/pos: `location_id` is sent "only if available", and none of its spot examples has one',
  },
  {
    name: 'spots-location-filter-ignored',
    services: ['paysera-wallet'],
    answer: '`GET /rest/v1/spots` ignores `location_id` and lists the spots of every location',
    default: '`location_id` filters the list',
    allowedBy:
      'https://developers.paysera.com/accept-payments-via-qr-codes shows `GET /rest/v1/spots?status=waiting&location_id={locationId}`; the formal "Finding spots by status" of https://developers.paysera.com/en/wallet/app/pos lists only status, limit and offset',
  },
  {
    name: 'unknown-statuses',
    services: ['paysera-wallet'],
    answer: 'every spot list holds one more spot in status `active`, every transaction list one more transaction in status `on_hold`: statuses no document lists',
    default: 'only the documented statuses',
    allowedBy:
      'the documents disagree on the status lists (spots: `opened` in the table, `open` in the example, https://developers.paysera.com/en/wallet/app/pos; transactions: `waiting_password` appears on https://developers.paysera.com/en/wallet/payment/callbacks but not in the transaction entity of https://github.com/paysera/lib-wallet-php-client), so no list is closed',
  },
  {
    name: 'extra-fields',
    services: ['paysera-wallet', 'centrapay', 'paysera-pos'],
    answer: 'every JSON object in a successful answer carries a field no document lists (`x_undocumented`)',
    default: 'only the fields the emulator documents',
    allowedBy:
      'the published examples carry fields their own tables do not list: `valid_for_payment_card_debit` and `inquiries` in https://developers.paysera.com/en/wallet/integration/cash-out, `paymentOptions` and `liveness` in https://docs.centrapay.com/api/payment-requests, `discountPrice` and `vatAmount` in https://developers.paysera.com/api/pos/get-order',
  },
  {
    name: 'reservation-code-field-code',
    services: ['paysera-wallet'],
    answer: '`PUT /rest/v1/transaction/:key/reserve` takes the code as `{"code": ...}`',
    default: '`{"reservation_code": ...}`',
    allowedBy:
      'https://developers.paysera.com/en/wallet/integration/cash-out (and its signed example) sends `reservation_code`; https://developers.paysera.com/api/wallet/reserve-transaction and https://developers.paysera.com/guides/wallet/examples/use-cases/cash-out show `code`',
  },
  {
    name: 'external-ref-example-shape',
    services: ['centrapay'],
    answer: 'the external-ref lookup answers like the documented example: items without `shortCode`, the cursor named `pageKey`',
    default: 'full payment requests, the cursor named `nextPageKey`',
    allowedBy:
      'https://docs.centrapay.com/api/pagination names the cursor `nextPageKey`; the example answer of `GET /api/payment-requests/external-ref/{externalRef}` on https://docs.centrapay.com/api/payment-requests has `pageKey` and items without `shortCode`',
  },
  {
    name: 'create-answered-late',
    services: ['centrapay'],
    answer:
      '`POST /api/payment-requests` takes effect at once, but its answer is held 12 s (longer than a terminal waits): the client sees no answer, and the request exists',
    default: 'the create is answered as soon as it is applied',
    allowedBy:
      'https://docs.centrapay.com/guides/merchant-integration-error-handling is written for "inconsistencies in Payment Request statuses due to network issues" and promises no answer time; the create takes no idempotency key (https://docs.centrapay.com/api/idempotency), and the external-ref lookup of https://docs.centrapay.com/api/payment-requests exists to find such a request again',
  },
  {
    name: 'external-ref-summary-items',
    services: ['centrapay'],
    answer: 'the external-ref lookup lists summaries: `id`, `status`, `value`, `createdAt`, `merchantName`, `paymentOptions`, `liveness`; no `shortCode`, `url` or `expiresAt`',
    default: 'full payment requests',
    allowedBy:
      'the Payment Request model of https://docs.centrapay.com/api/payment-requests lists its properties without marking any as always present (an earlier form of the page moved `shortCode` and `url` out of its "Mandatory Fields"), and the documented example item of the lookup already omits fields of the model (`shortCode`, `externalRef`, `updatedAt`)',
  },
  {
    name: 'pos-list-items',
    services: ['paysera-pos'],
    answer: 'lists carry their array under `items`',
    default: '`data`, as the guide says',
    allowedBy: 'https://developers.paysera.com/guides/pos shows `data`; the examples of https://developers.paysera.com/api/pos show `items`',
  },
  {
    name: 'pos-money-decimal-numbers',
    services: ['paysera-pos'],
    answer: 'money in answers is a decimal number (`12.99`)',
    default: 'integer cents (`1299`), as the get-order example',
    allowedBy:
      'https://developers.paysera.com/api/pos/get-order answers in cents; https://developers.paysera.com/guides/pos/examples and https://developers.paysera.com/api/pos/create-order use decimal numbers',
  },
  {
    name: 'pos-money-decimal-strings',
    services: ['paysera-pos'],
    answer: 'money in answers is a decimal string (`"12.99"`)',
    default: 'integer cents',
    allowedBy: 'the one public client, https://github.com/Meditrendy/meditrendy_lt_plugin (includes/paysera-pos-sync.php), sends payment amounts as decimal strings',
  },
  {
    name: 'pos-create-200',
    services: ['paysera-pos'],
    answer: '`POST /eapi/v1/orders` answers 200',
    default: '201',
    allowedBy: 'https://developers.paysera.com/guides/pos lists both 200 and 201 as success; its examples expect 201; https://github.com/Meditrendy/meditrendy_lt_plugin accepts either',
  },
] as const satisfies readonly Variation[];

export type VariationName = (typeof VARIATIONS)[number]['name'];

export const VARIATION_NAMES: readonly VariationName[] = VARIATIONS.map((v) => v.name);

export function isVariationName(name: string): name is VariationName {
  return (VARIATION_NAMES as readonly string[]).includes(name);
}

/** The variations that change what `service` answers. */
export function variationsOf(service: EmulatedService): readonly (Variation & { readonly name: VariationName })[] {
  return VARIATIONS.filter((v) => (v.services as readonly EmulatedService[]).includes(service));
}

/** Validates names (from JSON, a flag or code); throws 400 invalid_parameters naming the unknown one. */
export function parseVariationNames(names: readonly unknown[]): VariationName[] {
  return names.map((name) => {
    if (typeof name !== 'string' || !isVariationName(name)) throw badParameters(`Unknown variation ${String(name)}; known: ${VARIATION_NAMES.join(', ')}`);
    return name;
  });
}

/**
 * The variations switched on in one emulator, shared by all its services and read at answer
 * time, so switching through /_sim/variations takes effect with the next request.
 */
export class ActiveVariations {
  private active: Set<VariationName>;

  constructor(initial: readonly VariationName[] = []) {
    this.active = new Set(initial);
  }

  has(name: VariationName): boolean {
    return this.active.has(name);
  }

  list(): VariationName[] {
    return VARIATION_NAMES.filter((n) => this.active.has(n));
  }

  /** Replaces the active set (an empty list restores the default answers). */
  set(names: readonly VariationName[]): void {
    this.active = new Set(names);
  }
}
