import { parseArgs } from 'node:util';
import { ExitCode, type CliIo, type Command } from '../command.js';
import { CodedError } from '../../platform/coded-error.js';
import { Emulator, type EmulatorOptions } from '../../emulator/start-emulator.js';
import { parseFaultRule, type FaultRuleSpec } from '../../emulator/fault-rule.js';
import { HttpError } from '../../emulator/http-error.js';
import { parseVariationNames, VARIATIONS } from '../../emulator/variations.js';

const HELP = `Usage: counterpay emulator [options]

Serves, on one loopback port until SIGTERM or SIGINT:
  Paysera Wallet API   /rest/v1/...   MAC-verified
  Centrapay            /api/...       X-Api-Key (client baseUrl: the URL printed)
  Paysera POS eapi     /eapi/v1/...   Bearer token (client baseUrl: URL/eapi/v1)
  simulation           /_sim/...      unauthenticated, loopback peers only
Prints one line: the base URL, where each API lives and the credentials.

Options:
  --host HOST             loopback address to listen on (default 127.0.0.1)
  --port N                port, 0 = any free port (default 0)
  --mac-id ID             MAC id accepted (default: Paysera's documented example wkVd93h2uS)
  --mac-key KEY           MAC key for --mac-id (default: the documented example key)
  --variation NAME        answer as this variation, repeatable (where the published documents
                          allow several answers; list below, details in src/emulator/README.md)
  --seed N                seed for transaction keys, reservation codes and fault rates (default 1)
  --code-length N         digits in issued reservation codes, 16..40 (default 28)
  --timestamp-window-s N  accepted MAC ts distance from the emulator clock (default 300)
  --clock-skew-s N        seconds added to the emulator's clock (negative = behind)
  --centrapay-api-key K   X-Api-Key accepted (default emulator-centrapay-key)
  --centrapay-merchant-account ID
                          merchantAccountId the external-ref lookup accepts
                          (default emulator-merchant-account)
  --centrapay-expiry-s N  expiry of a payment request created without one (default 120)
  --centrapay-currency C  a currency the merchant config accepts, repeatable (default NZD;
                          others are 403 NO_AVAILABLE_PAYMENT_OPTIONS)
  --pos-token T           bearer token accepted (default emulator-pos-token)
  --pos-register N        cash register number, repeatable (default 123)
  --latency-ms N          delay every API request by N ms
  --error-rate R          answer a fraction R (0..1) of API requests 500 before applying them
  --rate-limit-burst N    answer the next N API requests 429 rate_limit_exceeded
  --retry-after-s N       Retry-After of those 429s (default 1); all APIs share the fault rules
  --reset-rate R          reset the connection of a fraction R of API requests (not applied)
  --drop-rate R           apply a fraction R of API requests, then drop the connection
  --truncate-rate R       apply a fraction R of API requests, then cut their answer mid-body
  --fault JSON            any fault rule, repeatable, e.g.
                          '{"kind":"applyThenDrop","method":"PUT","path":"/rest/v1/transaction/*/confirm","count":1}'
                          '{"kind":"rateLimit","path":"/eapi/v1/**","count":3,"retryAfterS":20,"retryAfterFormat":"date"}'

Variations:
${VARIATIONS.map((v) => `  ${v.name.padEnd(30)}${v.answer.replace(/`/g, '')}`).join('\n')}
`;

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Serve the Paysera Wallet, Centrapay and Paysera POS emulators (with /_sim/ and fault injection) on loopback',
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    let options: EmulatorOptions;
    try {
      options = parseOptions(argv);
    } catch (error) {
      io.stderr.write(`counterpay emulator: ${describe(error)}\n`);
      return ExitCode.usage;
    }
    const emulator = new Emulator(options);
    try {
      await emulator.start();
    } catch (error) {
      io.stderr.write(`counterpay emulator: cannot start: ${describe(error)}\n`);
      return ExitCode.failure;
    }
    const credential = emulator.credentials[0];
    const centrapay = emulator.centrapayService;
    const pos = emulator.posService;
    io.stdout.write(
      `counterpay emulator listening on ${emulator.url} mac_id=${credential?.macId ?? ''} mac_key=${credential?.macKey ?? ''}` +
        ` centrapay=${emulator.centrapayUrl} api_key=${centrapay.apiKeys[0] ?? ''} merchant_account=${centrapay.state.options.merchantAccountId}` +
        ` pos=${emulator.posUrl} pos_token=${pos.tokens[0] ?? ''} cash_register=${pos.state.options.cashRegisters[0] ?? ''}` +
        `${emulator.variations.list().length === 0 ? '' : ` variations=${emulator.variations.list().join(',')}`}\n`,
    );
    await io.stopRequested;
    await emulator.stop();
    return ExitCode.ok;
  },
};

function parseOptions(argv: string[]): EmulatorOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'mac-id': { type: 'string' },
      'mac-key': { type: 'string' },
      variation: { type: 'string', multiple: true },
      seed: { type: 'string' },
      'code-length': { type: 'string' },
      'timestamp-window-s': { type: 'string' },
      'clock-skew-s': { type: 'string' },
      'latency-ms': { type: 'string' },
      'error-rate': { type: 'string' },
      'rate-limit-burst': { type: 'string' },
      'retry-after-s': { type: 'string' },
      'reset-rate': { type: 'string' },
      'drop-rate': { type: 'string' },
      'truncate-rate': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'centrapay-api-key': { type: 'string' },
      'centrapay-merchant-account': { type: 'string' },
      'centrapay-expiry-s': { type: 'string' },
      'centrapay-currency': { type: 'string', multiple: true },
      'pos-token': { type: 'string' },
      'pos-register': { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 0) throw usage(`unexpected argument ${positionals[0]}`);
  const options: EmulatorOptions = {};
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) options.port = integer(values.port, '--port', 0, 65_535);
  if ((values['mac-id'] === undefined) !== (values['mac-key'] === undefined)) throw usage('--mac-id and --mac-key go together');
  if (values['mac-id'] !== undefined && values['mac-key'] !== undefined) options.credentials = [{ macId: values['mac-id'], macKey: values['mac-key'] }];
  if (values.variation !== undefined) {
    try {
      options.variations = parseVariationNames(values.variation);
    } catch (error) {
      throw usage(describe(error));
    }
  }
  if (values.seed !== undefined) options.seed = integer(values.seed, '--seed', 0, 2 ** 32 - 1);
  if (values['code-length'] !== undefined) options.reservationCodeLength = integer(values['code-length'], '--code-length', 16, 40);
  if (values['timestamp-window-s'] !== undefined) options.timestampWindowS = integer(values['timestamp-window-s'], '--timestamp-window-s', 1, 86_400);
  if (values['clock-skew-s'] !== undefined) options.clockSkewS = integer(values['clock-skew-s'], '--clock-skew-s', -1_000_000_000, 1_000_000_000);
  if (values['centrapay-api-key'] !== undefined) options.centrapayApiKeys = [nonEmpty(values['centrapay-api-key'], '--centrapay-api-key')];
  if (values['centrapay-merchant-account'] !== undefined) options.centrapayMerchantAccountId = nonEmpty(values['centrapay-merchant-account'], '--centrapay-merchant-account');
  if (values['centrapay-expiry-s'] !== undefined) options.centrapayDefaultExpirySeconds = integer(values['centrapay-expiry-s'], '--centrapay-expiry-s', 1, 86_400);
  if (values['pos-token'] !== undefined) options.posTokens = [nonEmpty(values['pos-token'], '--pos-token')];
  if (values['pos-register'] !== undefined) options.posCashRegisters = values['pos-register'].map((n) => nonEmpty(n, '--pos-register'));
  if (values['centrapay-currency'] !== undefined) {
    options.centrapayCurrencies = values['centrapay-currency'].map((c) => {
      if (!/^[A-Z]{3}$/.test(c)) throw usage('--centrapay-currency must be an ISO 4217 code such as NZD');
      return c;
    });
  }

  const faults: FaultRuleSpec[] = [];
  if (values['latency-ms'] !== undefined) faults.push({ kind: 'latency', latencyMs: integer(values['latency-ms'], '--latency-ms', 0, 600_000) });
  if (values['error-rate'] !== undefined) faults.push({ kind: 'serverError', rate: rate(values['error-rate'], '--error-rate') });
  if (values['rate-limit-burst'] !== undefined) {
    faults.push({
      kind: 'rateLimit',
      count: integer(values['rate-limit-burst'], '--rate-limit-burst', 1, 1_000_000),
      retryAfterS: values['retry-after-s'] === undefined ? 1 : integer(values['retry-after-s'], '--retry-after-s', 0, 86_400),
    });
  } else if (values['retry-after-s'] !== undefined) {
    throw usage('--retry-after-s needs --rate-limit-burst');
  }
  if (values['reset-rate'] !== undefined) faults.push({ kind: 'reset', rate: rate(values['reset-rate'], '--reset-rate') });
  if (values['drop-rate'] !== undefined) faults.push({ kind: 'applyThenDrop', rate: rate(values['drop-rate'], '--drop-rate') });
  if (values['truncate-rate'] !== undefined) faults.push({ kind: 'truncate', rate: rate(values['truncate-rate'], '--truncate-rate') });
  for (const json of values.fault ?? []) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw usage(`--fault is not JSON: ${json}`);
    }
    faults.push(parseFaultRule(parsed));
  }
  if (faults.length > 0) options.faults = faults;
  return options;
}

function usage(message: string): CodedError {
  return new CodedError('USAGE', message);
}

function integer(raw: string, flag: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw)) throw usage(`${flag} must be an integer`);
  const value = Number(raw);
  if (value < min || value > max) throw usage(`${flag} must be in ${min}..${max}`);
  return value;
}

function nonEmpty(raw: string, flag: string): string {
  if (raw.trim() === '' || /\s/.test(raw)) throw usage(`${flag} must be a non-empty value without spaces`);
  return raw;
}

function rate(raw: string, flag: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw usage(`${flag} must be a number in 0..1`);
  return value;
}

function describe(error: unknown): string {
  if (error instanceof HttpError) return error.description;
  return error instanceof Error ? error.message : String(error);
}
