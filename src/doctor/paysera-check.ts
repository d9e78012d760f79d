import { PayseraWalletClient } from '../gateways/paysera-wallet/wallet-client.js';
import { WalletError } from '../gateways/paysera-wallet/wallet-error.js';
import { errorText, fail, ok, warn, type CheckLine, type DoctorCheck } from './doctor-check.js';

/** Beyond this the terminal still signs correctly (server time) but prints wrong times. */
const SKEW_WARN_MS = 60_000;
const NAME = 'paysera';
const AUTH_CODES = new Set(['unauthorized', 'invalid_signature', 'invalid_client', 'forbidden', 'access_denied']);
const NETWORK_CODES = new Set(['connect_failed', 'request_timeout', 'connection_reset']);

/**
 * Two requests: the unsigned GET /rest/v1/server (is the API reachable; how far is our clock
 * off), then one signed read of the waiting spots, which only succeeds when Paysera accepts
 * macId and macKey. Nothing is written.
 */
export const payseraCheck: DoctorCheck = {
  name: NAME,
  needsConfig: true,
  async run(ctx): Promise<CheckLine[]> {
    const config = ctx.loaded?.config.paysera;
    if (config === undefined) return [];
    const client = new PayseraWalletClient({
      baseUrl: config.baseUrl,
      macId: config.macId,
      macKey: config.macKey,
      clock: ctx.clock,
      connectTimeoutMs: config.connectTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      bodyTimeoutMs: config.bodyTimeoutMs,
    });
    await client.start();
    try {
      try {
        await client.serverTime();
      } catch (error) {
        return [fail(NAME, `GET ${config.baseUrl}/rest/v1/server: ${describe(error)}`)];
      }
      const skewMs = client.systemSkewMs ?? 0;
      const skew = `clock skew ${skewMs >= 0 ? '+' : ''}${(skewMs / 1000).toFixed(1)} s against the server`;
      let waiting: number;
      try {
        waiting = (await client.listSpots({ status: 'waiting', locationId: config.locationId })).length;
      } catch (error) {
        if (error instanceof WalletError && (AUTH_CODES.has(error.code) || error.status === 401 || error.status === 403)) {
          return [fail(NAME, `key not accepted (${error.code}): check paysera.macId and paysera.macKey/macKeyFile; ${skew}`)];
        }
        return [fail(NAME, `signed read GET /rest/v1/spots failed: ${describe(error)}; ${skew}`)];
      }
      const summary = `${config.baseUrl} reachable, key accepted (${waiting} waiting spot${waiting === 1 ? '' : 's'}), ${skew}`;
      if (Math.abs(skewMs) > SKEW_WARN_MS) {
        return [warn(NAME, `${summary}: the system clock is off, receipts would show a wrong time; check NTP ("timedatectl")`)];
      }
      return [ok(NAME, summary)];
    } finally {
      await client.stop();
    }
  },
};

function describe(error: unknown): string {
  if (error instanceof WalletError) {
    if (NETWORK_CODES.has(error.code)) return `cannot reach the server (${error.code}): check the network and paysera.baseUrl`;
    const status = error.status === undefined ? '' : `HTTP ${error.status} `;
    return `${status}${error.code}${error.description ? `: ${error.description}` : ''} (is paysera.baseUrl the Wallet API?)`;
  }
  return errorText(error);
}
