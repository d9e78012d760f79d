import { existsSync } from 'node:fs';
import { ok, warn, type CheckLine, type DoctorCheck } from './doctor-check.js';

/** systemd-timesyncd touches this file once it has synchronised (systemd-time-wait-sync(8)). */
const TIMESYNC_FLAG = '/run/systemd/timesync/synchronized';

/**
 * Whether the system clock has been synchronised (the Pi has no RTC: after a power cut without
 * network the clock is only the last saved time). Not a FAIL: the terminal works unsynchronised,
 * signs with the Paysera server's time and marks its receipts.
 */
export const clockCheck: DoctorCheck = {
  name: 'clock',
  needsConfig: false,
  async run(ctx): Promise<CheckLine[]> {
    const result = await ctx.exec('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
    const answer = result?.code === 0 ? result.stdout.trim() : undefined;
    if (answer === 'yes') return [ok('clock', 'synchronised (NTP)')];
    if (answer === 'no') {
      return [warn('clock', 'not synchronised: receipts are marked until it is; check the network and "timedatectl timesync-status"')];
    }
    if (existsSync(TIMESYNC_FLAG)) return [ok('clock', `synchronised (${TIMESYNC_FLAG})`)];
    return [warn('clock', 'synchronisation unknown (timedatectl gave no answer); check "timedatectl" and that systemd-timesyncd runs')];
  },
};
