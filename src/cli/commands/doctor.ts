import { parseArgs } from 'node:util';
import { resolveConfigPath } from '../../config/load-config.js';
import { systemExec, type DoctorContext } from '../../doctor/doctor-check.js';
import { DOCTOR_CHECKS, formatLine, runDoctor } from '../../doctor/run-doctor.js';
import { SystemClock } from '../../platform/clock.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check config, database, clock, Paysera, Centrapay, POS and devices; one line per check',
  help: `Usage: counterpay doctor [--config PATH] [--print-test] [--display-test]

Checks the installation and prints one line per check: OK, WARN or FAIL, with what to do.

  config     the config file loads (the same errors as \`counterpay run\`)
  database   the journal opens in WAL with synchronous=FULL and passes integrity_check.
             While counterpay.service (or any terminal on the same dataDir) runs, it is
             opened read-only instead: journal mode, integrity and schema are checked and
             nothing is written. Run as the service user with no journal yet, it creates it
  clock      the system clock is synchronised (timedatectl)
  paysera    GET /rest/v1/server answers, then one signed read proves the key is accepted;
             shows the clock skew against the server
  centrapay  when configured: one read (external-ref lookup) proves the API key
  pos        when configured: the cash register's status proves the token and the register
  scanner, keypad, display, printer, buzzer
             each configured device is present and may be opened (no buzzer line without one)

  --config PATH   config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)
  --print-test    also print a short test page
  --display-test  also show two test lines on the customer display, and play the buzzer's
                  click, two short beeps and one long beep

Run it as the service user to check device permissions exactly:
  sudo -u counterpay counterpay doctor

Exit status: 0 when nothing FAILed (WARN lines allowed), 1 otherwise.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: { config: { type: 'string' }, 'print-test': { type: 'boolean' }, 'display-test': { type: 'boolean' } },
      });
    } catch (error) {
      io.stderr.write(`counterpay doctor: ${(error as Error).message}\n`);
      return ExitCode.usage;
    }
    const ctx: DoctorContext = {
      configPath: resolveConfigPath(parsed.values.config, io.env),
      loaded: undefined,
      env: io.env,
      clock: new SystemClock(),
      printTest: parsed.values['print-test'] === true,
      displayTest: parsed.values['display-test'] === true,
      exec: systemExec,
      isRoot: process.getuid?.() === 0,
      consoleOut: io.stderr,
    };
    const lines = await runDoctor(DOCTOR_CHECKS, ctx, (line) => io.stdout.write(`${formatLine(line)}\n`));
    const failed = lines.filter((l) => l.status === 'FAIL').length;
    const warned = lines.filter((l) => l.status === 'WARN').length;
    io.stdout.write(`${failed === 0 ? 'doctor: no failures' : `doctor: ${failed} failed`}${warned > 0 ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}\n`);
    return failed === 0 ? ExitCode.ok : ExitCode.failure;
  },
};
