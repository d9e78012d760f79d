import { errorText } from './doctor-check.js';

const NETWORK_CODES = new Set(['connect_failed', 'request_timeout', 'connection_reset']);

/** What the gateway errors of Centrapay and the POS have in common: a stable code and the HTTP status. */
interface GatewayFailure {
  code: string;
  status?: number | undefined;
}

function isGatewayFailure(error: unknown): error is GatewayFailure {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string';
}

/** "cannot reach", "credential not accepted" or the code, each with what to check. */
export function describeGatewayError(error: unknown, section: string, credential: string): string {
  if (!isGatewayFailure(error)) return errorText(error);
  if (NETWORK_CODES.has(error.code)) return `cannot reach the server (${error.code}): check the network and ${section}.baseUrl`;
  if (error.status === 401 || error.status === 403) return `${credential} not accepted (${error.code}): check ${section}.${credential}/${credential}File`;
  return errorText(error);
}
