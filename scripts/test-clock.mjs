#!/usr/bin/env node
// `npm run test:clock`: the date-sensitive tests under libfaketime (Debian package `faketime`),
// once per instant that breaks naive date code. The process runs in Europe/Vilnius, the zone of
// the Paysera terminals this is built for. Each instant is given in UTC and reached with a
// relative offset (faketime -f +Ns), so the clock runs normally from there and an instant that
// is ambiguous in local time (03:30 twice in October) is still exactly the one meant.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** The tests whose outcome depends on the date, the time of day or the zone. */
const DATE_SENSITIVE = [
  'test/clock/',
  'src/store/store.test.ts',
  'src/store/migration-3.test.ts',
  'src/report/',
  'test/cli/report-command.test.ts',
  'src/printing/layouts.test.ts',
  'src/ui/screens/screens.test.ts',
  'src/ui/terminal-ui.test.ts',
  'src/app/server-time-sync.test.ts',
  'src/gateways/paysera-wallet/wallet-client.transport.test.ts',
  'test/contract/paysera-wallet-client.test.ts',
];

const DAY_MS = 86_400_000;
const INSTANTS = [
  // Last Sunday of March 2027: Vilnius goes from 03:00 EET (UTC+2) to 04:00 EEST (UTC+3).
  ['spring DST day 00:30 local', '2027-03-27T22:30:00Z'],
  ['spring DST day 02:30 local', '2027-03-28T00:30:00Z'],
  ['spring DST day 03:30 local (does not exist: 04:30 EEST)', '2027-03-28T01:30:00Z'],
  // Last Sunday of October 2027: from 04:00 EEST back to 03:00 EET; 03:00-04:00 happens twice.
  ['autumn DST day 00:30 local', '2027-10-30T21:30:00Z'],
  ['autumn DST day 02:30 local', '2027-10-30T23:30:00Z'],
  ['autumn DST day 03:30 local, first (EEST)', '2027-10-31T00:30:00Z'],
  ['autumn DST day 03:30 local, second (EET)', '2027-10-31T01:30:00Z'],
  ['29 February 2028, noon local', '2028-02-29T10:00:00Z'],
  ['31 December 23:59:59 local', '2027-12-31T21:59:59Z'],
  ['400 days from now', new Date(Date.now() + 400 * DAY_MS).toISOString()],
];

const hasFaketime = spawnSync('faketime', ['-f', '+0', 'true'], { stdio: 'ignore' }).status === 0;
if (!hasFaketime) {
  process.stdout.write('test:clock SKIPPED: faketime is not installed (Debian: apt-get install faketime); the date-sensitive tests ran only at today\'s date in npm test\n');
  process.exit(0);
}

const rows = [];
let failed = 0;
for (const [name, iso] of INSTANTS) {
  const offsetS = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const t0 = performance.now();
  process.stdout.write(`\n=== ${name}: ${iso} (faketime -f ${offsetS >= 0 ? '+' : ''}${offsetS}) ===\n`);
  const result = spawnSync('faketime', ['-f', `${offsetS >= 0 ? '+' : ''}${offsetS}`, 'npx', '--no-install', 'vitest', 'run', '--reporter=dot', ...DATE_SENSITIVE], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'Europe/Vilnius', COUNTERPAY_TEST_INSTANT: iso },
  });
  const ok = result.status === 0;
  if (!ok) failed += 1;
  rows.push(`${ok ? 'pass' : 'FAIL'}  ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${iso}  ${name}`);
}
process.stdout.write(`\ntest:clock: ${INSTANTS.length - failed} of ${INSTANTS.length} instants passed\n${rows.join('\n')}\n`);
process.exit(failed === 0 ? 0 : 1);
