import { testAssetType, type Activity, type CentrapayState, type PaymentRequestRecord } from './centrapay-state.js';

/** The public pay page the QR carries (docs/apis.md#centrapay-qr-content): the emulator never serves it. */
export const PAY_URL_PREFIX = 'https://app.centrapay.com/pay/';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A payment request in the API's JSON shape (docs/apis.md#centrapay-payment-requests); optional fields only when set. */
export function paymentRequestView(record: PaymentRequestRecord, state: CentrapayState): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: record.id,
    shortCode: record.shortCode,
    url: `${PAY_URL_PREFIX}${record.id}`,
    // A status set through /_sim/centrapay/report-status reads instead of the real one.
    status: record.reportedStatus ?? record.status,
    value: { ...record.value },
    configId: record.configId,
    merchantId: state.options.merchantId,
    merchantName: state.options.merchantName,
    liveness: 'test',
    paymentOptions: [{ assetType: testAssetType(record.value.currency), amount: record.value.amount }],
    createdAt: iso(record.createdAtMs),
    updatedAt: iso(record.updatedAtMs),
    expiresAt: iso(record.expiresAtMs),
    expirySeconds: record.expirySeconds,
  };
  for (const key of ['externalRef', 'terminalId', 'deviceId', 'operatorId', 'cancellationReason'] as const) {
    if (record[key] !== undefined) view[key] = record[key];
  }
  if (record.status === 'paid') {
    view['paidBy'] = { assetTotals: [{ type: record.assetType, description: 'Centrapay Test Money', total: { ...record.value } }] };
  }
  return view;
}

/**
 * A list item shaped like the documented example answer of the external-ref lookup (variation
 * `external-ref-example-shape`): id, url, merchantName, value, createdAt, expiresAt,
 * paymentOptions, status, liveness; no shortCode, externalRef, terminal or device.
 */
export function documentedLookupItemView(record: PaymentRequestRecord, state: CentrapayState): Record<string, unknown> {
  const full = paymentRequestView(record, state);
  const keep = ['id', 'url', 'merchantName', 'value', 'createdAt', 'expiresAt', 'paymentOptions', 'status', 'liveness'];
  return Object.fromEntries(Object.entries(full).filter(([key]) => keep.includes(key)));
}

/**
 * A list item as a summary (variation `external-ref-summary-items`): the documented example's
 * fields without `url` and `expiresAt`; no shortCode either.
 */
export function summaryLookupItemView(record: PaymentRequestRecord, state: CentrapayState): Record<string, unknown> {
  const full = paymentRequestView(record, state);
  const keep = ['id', 'merchantName', 'value', 'createdAt', 'paymentOptions', 'status', 'liveness'];
  return Object.fromEntries(Object.entries(full).filter(([key]) => keep.includes(key)));
}

/** A Payment Activity as void (and the activity list) return it. */
export function activityView(record: PaymentRequestRecord, activity: Activity, state: CentrapayState): Record<string, unknown> {
  return {
    activityNumber: String(activity.number),
    type: activity.type,
    paymentRequestId: record.id,
    shortCode: record.shortCode,
    merchantAccountId: state.options.merchantAccountId,
    merchantConfigId: record.configId,
    merchantId: state.options.merchantId,
    merchantName: state.options.merchantName,
    value: { ...activity.value },
    createdAt: iso(activity.atMs),
  };
}
