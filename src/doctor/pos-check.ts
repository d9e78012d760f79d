import { PayseraPosClient } from '../gateways/paysera-pos/pos-client.js';
import { fail, ok, warn, type CheckLine, type DoctorCheck } from './doctor-check.js';
import { describeGatewayError } from './gateway-failure-lines.js';

/**
 * When the `pos` section is present: the cash register's status, which proves the token and the
 * register number, and says whether a fiscal day is open (orders need one). Nothing is created.
 */
export const posCheck: DoctorCheck = {
  name: 'pos',
  needsConfig: true,
  async run(ctx): Promise<CheckLine[]> {
    const config = ctx.loaded?.config.pos;
    if (config === undefined) return [ok('pos', 'not configured (no POS back-office sync)')];
    const client = new PayseraPosClient({ ...config, clock: ctx.clock });
    await client.start();
    try {
      const register = await client.cashRegisterStatus();
      const summary = `${config.baseUrl} reachable, token accepted, cash register ${register.number} ${register.status}`;
      if (register.status !== 'online') return [warn('pos', `${summary}: sales are queued until it is online; check it in the POS`)];
      if (register.fiscalDayStarted === false) return [warn('pos', `${summary}, no fiscal day open: start one in the POS, or sales wait in the queue`)];
      return [ok('pos', `${summary}${register.fiscalDayNumber === undefined ? '' : `, fiscal day ${register.fiscalDayNumber}`}`)];
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 404) return [fail('pos', `cash register ${config.cashRegisterNumber} not found: check pos.cashRegisterNumber`)];
      return [fail('pos', describeGatewayError(error, 'pos', 'token'))];
    } finally {
      await client.stop();
    }
  },
};
