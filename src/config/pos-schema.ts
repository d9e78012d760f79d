import { z } from 'zod';
import { payseraBaseUrl as httpsUrl } from './paysera-schema.js';

/**
 * `paymentMethod` values a public source shows: `bankTransfer`, `wolt`, `bolt` are what the one
 * public client (Meditrendy's WooCommerce sync) offers; `card` is the payment type of the
 * get-order example (https://developers.paysera.com/api/pos/get-order). The full enum is not
 * published.
 */
export const POS_PAYMENT_METHODS = ['bankTransfer', 'card', 'wolt', 'bolt'] as const;
export type PosPaymentMethod = (typeof POS_PAYMENT_METHODS)[number];

/**
 * Per sale kind: a Paysera table or code sale moves money account to account (bankTransfer, as
 * that client records Paysera payments); a Centrapay sale is a third-party wallet or card
 * payment, recorded as `card`, the only other documented value.
 */
export const DEFAULT_PAYMENT_METHODS: Readonly<Record<'table' | 'code' | 'centrapay', PosPaymentMethod>> = { table: 'bankTransfer', code: 'bankTransfer', centrapay: 'card' };

const paymentMethodName = z.enum(POS_PAYMENT_METHODS);

/**
 * The optional `pos` section: Paysera POS back-office sync (docs/apis.md#paysera-pos-external-api). Absent: no sync runs.
 * The Personal Access Token is inline (`token`) or in a file (`tokenFile`), resolved by parseConfig.
 */
export const posSchema = z.strictObject({
  /** Includes /eapi/v1; the demo is https://pos-demo.paysera.com/eapi/v1. */
  baseUrl: httpsUrl.default('https://pos.paysera.com/eapi/v1'),
  token: z.string().min(1).optional(),
  tokenFile: z.string().min(1).optional(),
  /** The register number shown in the POS UI; its status is the health check. */
  cashRegisterNumber: z.string().min(1).max(64),
  /** Order number = this prefix + our sale id; unique per terminal, so lookups by number are ours. */
  orderNumberPrefix: z.string().min(1).max(24).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only'),
  /** ISO 639-1. */
  languageCode: z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code such as "lt"').default('lt'),
  /**
   * `payments[].paymentMethod`, one value for all sales or one per sale kind. Only values a
   * public source shows are accepted (POS_PAYMENT_METHODS); default per kind in
   * DEFAULT_PAYMENT_METHODS.
   */
  paymentMethod: z
    .union([paymentMethodName, z.strictObject({ table: paymentMethodName.optional(), code: paymentMethodName.optional(), centrapay: paymentMethodName.optional() })])
    .default(DEFAULT_PAYMENT_METHODS)
    .transform((value) => (typeof value === 'string' ? { table: value, code: value, centrapay: value } : { ...DEFAULT_PAYMENT_METHODS, ...value })),
  /** Title of the order's one position. */
  positionTitle: z.string().min(1).max(128).default('Sale'),
  /** VAT of that position, when the register needs it (e.g. {"taxRate": 21, "taxClassifier": "PVM1"}). */
  tax: z.strictObject({ taxRate: z.number().min(0).max(100), taxClassifier: z.string().min(1).max(32).optional() }).optional(),
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
  headersTimeoutMs: z.number().int().min(100).max(120_000).default(20_000),
  bodyTimeoutMs: z.number().int().min(100).max(120_000).default(20_000),
});

export type RawPosConfig = z.infer<typeof posSchema>;
