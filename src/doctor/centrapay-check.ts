import { CentrapayClient } from '../gateways/centrapay/centrapay-client.js';
import { fail, ok, type CheckLine, type DoctorCheck } from './doctor-check.js';
import { describeGatewayError } from './gateway-failure-lines.js';

/** A reference no sale ever has: the lookup finds nothing, but only answers for an accepted key. */
const PROBE_REF = 'counterpay-doctor-probe';

/**
 * When the `centrapay` section is present: one read, the external-ref lookup, which needs both
 * an accepted API key and the right merchantAccountId. Nothing is created.
 */
export const centrapayCheck: DoctorCheck = {
  name: 'centrapay',
  needsConfig: true,
  async run(ctx): Promise<CheckLine[]> {
    const config = ctx.loaded?.config.centrapay;
    if (config === undefined) return [ok('centrapay', 'not configured (the Centrapay key is off)')];
    const client = new CentrapayClient({ ...config, clock: ctx.clock });
    await client.start();
    try {
      await client.findByExternalRef(PROBE_REF);
      return [ok('centrapay', `${config.baseUrl} reachable, API key accepted for merchant account ${config.merchantAccountId}`)];
    } catch (error) {
      return [fail('centrapay', describeGatewayError(error, 'centrapay', 'apiKey'))];
    } finally {
      await client.stop();
    }
  },
};
