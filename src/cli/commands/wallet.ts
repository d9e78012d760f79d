import { parseArgs } from 'node:util';
import { PayseraWalletClient } from '../../gateways/paysera-wallet/wallet-client.js';
import { WalletError } from '../../gateways/paysera-wallet/wallet-error.js';
import { SystemClock } from '../../platform/clock.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

export const walletCommand: Command = {
  name: 'wallet',
  summary: 'Send one signed request to the Paysera Wallet API and print the answer',
  help: `Usage: counterpay wallet METHOD PATH [--data JSON] [--config PATH]

Sends one MAC-signed request with the configured credentials (paysera.macId/macKey,
paysera.baseUrl) and prints the HTTP status and the JSON answer. Paysera has no test
environment: this is how to check credentials and explore the API.

  METHOD         GET, POST, PUT or DELETE
  PATH           /rest/v1/... or a path relative to it (e.g. spots?status=waiting)
  --data JSON    request body (sent exactly as given, compact)
  --config PATH  config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

Exit status: 0 on a 2xx answer, 1 on any other answer or a network failure.

Examples:
  counterpay wallet GET /rest/v1/server
  counterpay wallet GET 'spots?status=waiting'
  counterpay wallet PUT /rest/v1/spot/12/close
  counterpay wallet POST /rest/v1/transaction --data '{"payments":[{"description":"Test","price":1,"currency":"EUR"}]}'
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string' }, config: { type: 'string' } } });
    } catch (error) {
      io.stderr.write(`counterpay wallet: ${(error as Error).message}\n`);
      return ExitCode.usage;
    }
    const [rawMethod, path, ...extra] = parsed.positionals;
    const method = rawMethod?.toUpperCase();
    if (method === undefined || path === undefined || extra.length > 0 || !METHODS.has(method)) {
      io.stderr.write('counterpay wallet: usage: counterpay wallet METHOD PATH [--data JSON] [--config PATH]\n');
      return ExitCode.usage;
    }
    let body: unknown;
    if (parsed.values.data !== undefined) {
      try {
        body = JSON.parse(parsed.values.data);
      } catch (error) {
        io.stderr.write(`counterpay wallet: --data is not JSON: ${(error as Error).message}\n`);
        return ExitCode.usage;
      }
    }
    const loaded = loadConfigForCommand('wallet', parsed.values.config, io);
    if (typeof loaded === 'number') return loaded;
    const { paysera } = loaded.config;
    const client = new PayseraWalletClient({
      baseUrl: paysera.baseUrl,
      macId: paysera.macId,
      macKey: paysera.macKey,
      clock: new SystemClock(),
      connectTimeoutMs: paysera.connectTimeoutMs,
      headersTimeoutMs: paysera.headersTimeoutMs,
      bodyTimeoutMs: paysera.bodyTimeoutMs,
    });
    await client.start();
    try {
      const response = await client.rawRequest(method, path, body);
      io.stdout.write(`HTTP ${response.status}\n`);
      io.stdout.write(response.json === undefined ? `${response.text}\n` : `${JSON.stringify(response.json, null, 2)}\n`);
      return response.status >= 200 && response.status < 300 ? ExitCode.ok : ExitCode.failure;
    } catch (error) {
      if (error instanceof WalletError) {
        io.stderr.write(`counterpay wallet: ${error.message} [${error.code}]\n`);
        return ExitCode.failure;
      }
      throw error;
    } finally {
      await client.stop();
    }
  },
};
