import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli-run.js';
import { ConfigError } from './config-error.js';
import { loadConfig, parseConfig, resolveConfigPath, DEFAULT_CONFIG_PATH } from './load-config.js';

const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';
const minimal = { paysera: { macId: 'wkVd93h2uS', macKey: KEY, locationId: 3 } };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'counterpay-config-'));
}

function writeConfig(dir: string, json: unknown): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config path resolution', () => {
  it('prefers --config, then COUNTERPAY_CONFIG, then the default', () => {
    expect(resolveConfigPath('/a/flag.json', { COUNTERPAY_CONFIG: '/b/env.json' })).toBe('/a/flag.json');
    expect(resolveConfigPath(undefined, { COUNTERPAY_CONFIG: '/b/env.json' })).toBe('/b/env.json');
    expect(resolveConfigPath(undefined, {})).toBe(DEFAULT_CONFIG_PATH);
  });
});

describe('loading a valid file', () => {
  it('applies the documented defaults', () => {
    const { config, warnings } = loadConfig(writeConfig(tempDir(), minimal));
    expect(config.currency).toBe('EUR');
    expect(config.dataDir).toBe('/var/lib/counterpay');
    expect(config.paysera.baseUrl).toBe('https://wallet.paysera.com');
    expect(config.paysera.pollIntervalMs).toBe(4000);
    expect(config.paysera.requestBudgetPerMinute).toBe(60);
    expect(config.paysera.macKey).toBe(KEY);
    expect(config.paysera.reservationCodeField).toBe('reservation_code');
    expect(warnings).toEqual([]);
  });

  it('takes any ISO 4217 currency with two decimals; refuses one with 0 or 3 decimals and a non-code', () => {
    for (const currency of ['NZD', 'EUR', 'GBP', 'USD']) expect(parseConfig({ ...minimal, currency }, 'mem.json').config.currency).toBe(currency);
    for (const currency of ['JPY', 'KWD', 'eur', 'XYZ', 'EURO']) {
      expect(configError(() => parseConfig({ ...minimal, currency }, 'mem.json')).message, currency).toContain('currency: must be an ISO 4217 code with two decimals');
    }
  });

  it('the reserve-by-code field is reservation_code or code, nothing else', () => {
    expect(parseConfig({ paysera: { ...minimal.paysera, reservationCodeField: 'code' } }, 'mem.json').config.paysera.reservationCodeField).toBe('code');
    expect(configError(() => parseConfig({ paysera: { ...minimal.paysera, reservationCodeField: 'reservationCode' } }, 'mem.json')).message).toContain('paysera.reservationCodeField');
  });

  it('reads tables as strings or objects, numbering by the trailing digits', () => {
    const { config } = parseConfig(
      { paysera: { ...minimal.paysera, tables: ['TABLE1', 'table12', { id: 'BAR', number: 20, name: 'Bar' }, 'TERRACE'] } },
      'mem.json',
    );
    expect(config.paysera.tables).toEqual([
      { id: 'TABLE1', number: 1, name: 'TABLE1' },
      { id: 'table12', number: 12, name: 'table12' },
      { id: 'BAR', number: 20, name: 'Bar' },
      { id: 'TERRACE', number: undefined, name: 'TERRACE' },
    ]);
  });
});

describe('one clear error naming the file, the field and the problem', () => {
  it('missing file', () => {
    const err = configError(() => loadConfig(join(tempDir(), 'nope.json')));
    expect(err.code).toBe('config_not_found');
    expect(err.message).toMatch(/nope\.json: file not found$/);
  });

  it('invalid JSON', () => {
    const path = writeConfig(tempDir(), '{ "paysera": ');
    const err = configError(() => loadConfig(path));
    expect(err.code).toBe('config_invalid_json');
    expect(err.message).toBe(`${path}: not valid JSON: line 1, column 14: unexpected end of file`);
  });

  it('invalid JSON is named by line and column, without quoting the file (it may hold a secret)', () => {
    const text = ['{', '  "paysera": {', `    "macKey": "${KEY}",`, '    "macId": "m",', '    "locationId": 3', '  },', '  "ui": {', '    "maxAmount": }', '}'].join('\n');
    const path = writeConfig(tempDir(), text);
    const err = configError(() => loadConfig(path));
    expect(err.code).toBe('config_invalid_json');
    expect(err.message).toBe(`${path}: not valid JSON: line 8, column 18: expected a value (string, number, object, array, true, false or null)`);
    expect(err.message).not.toContain(KEY);
  });

  it.each([
    ['{"a": 1,}', 'line 1, column 9: trailing comma before }'],
    ['{"a": 1\n "b": 2}', 'line 2, column 2: expected , or } after a value (a missing comma?)'],
    ["{'a': 1}", 'line 1, column 2: expected a field name in double quotes'],
    ['[1, 2,]', 'line 1, column 7: trailing comma before ]'],
    ['{"a": tru}', 'line 1, column 10: expected true'],
    ['{"a": "x\ty"}', 'line 1, column 9: control character in string (write it as \\n, \\t, ...)'],
    ['{} x', 'line 1, column 4: unexpected text after the end of the JSON value'],
    ['', 'line 1, column 1: unexpected end of file'],
  ])('JSON syntax %j: %s', (text, where) => {
    const path = writeConfig(tempDir(), text);
    expect(configError(() => loadConfig(path)).message).toBe(`${path}: not valid JSON: ${where}`);
  });

  it('a missing required field', () => {
    const path = writeConfig(tempDir(), { paysera: { macKey: KEY, locationId: 3 } });
    const err = configError(() => loadConfig(path));
    expect(err.field).toBe('paysera.macId');
    expect(err.message).toBe(`${path}: paysera.macId: missing`);
  });

  it('a wrong type, with the field path', () => {
    const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, locationId: 'three' } }, 'c.json'));
    expect(err.field).toBe('paysera.locationId');
    expect(err.message).toMatch(/^c\.json: paysera\.locationId: /);
  });

  it('an unknown field (a typo) is refused', () => {
    const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, pollIntervallMs: 4000 } }, 'c.json'));
    expect(err.message).toBe('c.json: paysera: unknown field "pollIntervallMs": did you mean "pollIntervalMs"?');
  });

  it('an unknown field suggests the closest known one in its section, or none when nothing is close', () => {
    expect(configError(() => parseConfig({ paysera: { ...minimal.paysera, tabels: [] } }, 'c.json')).message).toBe(
      'c.json: paysera: unknown field "tabels": did you mean "tables"?',
    );
    expect(configError(() => parseConfig({ ...minimal, Currency: 'EUR' }, 'c.json')).message).toBe('c.json: unknown field "Currency": did you mean "currency"?');
    expect(configError(() => parseConfig({ ...minimal, devices: { scanner: { driver: 'serial', path: '/dev/x', baudrate: 9600 } } }, 'c.json')).message).toBe(
      'c.json: devices.scanner: unknown field "baudrate": did you mean "baudRate"?',
    );
    expect(configError(() => parseConfig({ ...minimal, ui: { timezone: 'UTC' } }, 'c.json')).message).toBe('c.json: ui: unknown field "timezone": did you mean "timeZone"?');
    expect(configError(() => parseConfig({ paysera: { ...minimal.paysera, colour: 'red' } }, 'c.json')).message).toBe('c.json: paysera: unknown field "colour"');
  });

  it('a poll interval outside 3-5 s', () => {
    const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, pollIntervalMs: 1000 } }, 'c.json'));
    expect(err.field).toBe('paysera.pollIntervalMs');
  });

  it('plain http is refused unless the host is loopback', () => {
    const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, baseUrl: 'http://wallet.paysera.com' } }, 'c.json'));
    expect(err.field).toBe('paysera.baseUrl');
    expect(err.message).toMatch(/plain http is refused/);
    for (const baseUrl of ['http://127.0.0.1:8080', 'http://localhost:1234/prefix', 'http://[::1]:9000', 'https://wallet.paysera.com/x']) {
      expect(parseConfig({ paysera: { ...minimal.paysera, baseUrl } }, 'c.json').config.paysera.baseUrl).toBe(baseUrl);
    }
    expect(configError(() => parseConfig({ paysera: { ...minimal.paysera, baseUrl: 'http://10.0.0.1' } }, 'c.json')).field).toBe('paysera.baseUrl');
  });

  it('duplicate tables, compared case-insensitively', () => {
    const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, tables: ['TABLE1', 'table1'] } }, 'c.json'));
    expect(err.field).toBe('paysera.tables[1]');
  });
});

describe('refused at load, not when it would break a sale later', () => {
  it('an unknown ui.timeZone (receipts could not be rendered)', () => {
    const err = configError(() => parseConfig({ ...minimal, ui: { timeZone: 'Mars/Olympus' } }, 'c.json'));
    expect(err.field).toBe('ui.timeZone');
    expect(err.message).toBe('c.json: ui.timeZone: unknown time zone "Mars/Olympus": use an IANA name such as "Europe/Vilnius"');
    expect(parseConfig({ ...minimal, ui: { timeZone: 'Europe/Vilnius' } }, 'c.json').config.ui.timeZone).toBe('Europe/Vilnius');
    expect(parseConfig({ ...minimal, ui: { timeZone: 'UTC' } }, 'c.json').config.ui.timeZone).toBe('UTC');
  });

  it('a base URL with a user name or password, a query or a fragment, in every section; the password is never echoed', () => {
    const centrapay = { apiKey: 'cp-key-1', configId: 'mc_1', merchantAccountId: 'acct-1', terminalId: 'counter-1', deviceId: 'pi-1' };
    const pos = { token: 'pos-token-1', cashRegisterNumber: '123', orderNumberPrefix: 'T1-' };
    const cases: Array<[string, string, RegExp]> = [
      ['https://merchant:s3cret@wallet.paysera.com', 'user name or password', /s3cret/],
      ['https://merchant@wallet.paysera.com', 'user name or password', /merchant@/],
      ['https://wallet.paysera.com/?sandbox=1', 'query', /sandbox/],
      ['https://wallet.paysera.com/?', 'query', /$^/],
      ['https://wallet.paysera.com/#top', 'fragment', /$^/],
      ['https://wallet.paysera.com#', 'fragment', /$^/],
    ];
    for (const [baseUrl, problem, secret] of cases) {
      for (const [field, json] of [
        ['paysera.baseUrl', { paysera: { ...minimal.paysera, baseUrl } }],
        ['centrapay.baseUrl', { ...minimal, centrapay: { ...centrapay, baseUrl } }],
        ['pos.baseUrl', { ...minimal, pos: { ...pos, baseUrl } }],
      ] as const) {
        const err = configError(() => parseConfig(json, 'c.json'));
        expect(err.field, `${field} ${baseUrl}`).toBe(field);
        expect(err.message, baseUrl).toContain(problem);
        expect(err.message, baseUrl).not.toMatch(secret);
      }
    }
  });

  it('a table identifier or name with control characters (they reach the display, the printer and the logs)', () => {
    for (const tables of [['TABLE1', 'TA\u001b[2JBLE2'], ['TABLE1', { id: 'BAR\u0000', number: 9 }], ['TABLE1', { id: 'BAR', name: 'Bar\u0007' }]]) {
      const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, tables } }, 'c.json'));
      expect(err.field).toBe('paysera.tables[1]');
      expect(err.message).toMatch(/contains control characters$/);
      // Named escaped, so the error line itself carries no control character.
      expect([...err.message].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
    }
  });

  it('a table identifier a card cannot carry (a space at either end)', () => {
    for (const id of [' TABLE2', 'TABLE2 ']) {
      const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, tables: ['TABLE1', id] } }, 'c.json'));
      expect(err.field).toBe('paysera.tables[1]');
      expect(err.message).toContain('neither starts nor ends with a space');
    }
    expect(parseConfig({ paysera: { ...minimal.paysera, tables: ['TABLE 2'] } }, 'c.json').config.paysera.tables[0]?.id).toBe('TABLE 2');
  });

  it('a relative dataDir is the config file\'s neighbour, like a secret file, wherever the command runs', () => {
    const dir = tempDir();
    const path = writeConfig(dir, { ...minimal, dataDir: 'journal' });
    expect(loadConfig(path).config.dataDir).toBe(join(dir, 'journal'));
    expect(loadConfig(writeConfig(dir, { ...minimal, dataDir: '../elsewhere/journal' })).config.dataDir).toBe(join(dir, '..', 'elsewhere', 'journal'));
    expect(loadConfig(writeConfig(dir, { ...minimal, dataDir: '/var/lib/x' })).config.dataDir).toBe('/var/lib/x');
  });

  it('a relative file display or file: printer directory is the config file\'s neighbour too; devices under /dev stay as written', () => {
    const dir = tempDir();
    const devices = { display: { driver: 'file', path: 'frames.jsonl' }, printer: { interface: 'file:prints' }, scanner: { driver: 'serial', path: '/dev/ttyACM0' } };
    const { config } = loadConfig(writeConfig(dir, { ...minimal, devices }));
    expect(config.devices.display).toMatchObject({ driver: 'file', path: join(dir, 'frames.jsonl') });
    expect(config.devices.printer.interface).toBe(`file:${join(dir, 'prints')}`);
    expect(config.devices.scanner).toMatchObject({ path: '/dev/ttyACM0' });
    const absolute = loadConfig(writeConfig(dir, { ...minimal, devices: { printer: { interface: '/dev/usb/lp0' }, display: { driver: 'file', path: '/tmp/f.jsonl' } } })).config;
    expect(absolute.devices.printer.interface).toBe('/dev/usb/lp0');
    expect(absolute.devices.display).toMatchObject({ path: '/tmp/f.jsonl' });
  });

  it('exits 78 with one line naming the file and the field', async () => {
    const path = writeConfig(tempDir(), { ...minimal, ui: { timeZone: 'Mars/Olympus' } });
    const { code, err } = await runCli(['run', '--config', path]);
    expect(code).toBe(78);
    expect(err.trim().split('\n')).toEqual([`counterpay run: config error: ${path}: ui.timeZone: unknown time zone "Mars/Olympus": use an IANA name such as "Europe/Vilnius"`]);
  });
});

describe('secrets inline or from a file', () => {
  it('reads macKeyFile relative to the config file, trimming the final newline', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mac.key'), `${KEY}\n`, { mode: 0o600 });
    chmodSync(join(dir, 'mac.key'), 0o600);
    const { config, warnings, secrets } = loadConfig(writeConfig(dir, { paysera: { macId: 'id', macKeyFile: 'mac.key', locationId: 3 } }));
    expect(config.paysera.macKey).toBe(KEY);
    expect(warnings).toEqual([]);
    expect(secrets).toContain(KEY);
    expect(Object.keys(config.paysera)).not.toContain('macKeyFile');
  });

  it('warns when the secret file is readable by others', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mac.key'), KEY);
    chmodSync(join(dir, 'mac.key'), 0o644);
    const { warnings } = loadConfig(writeConfig(dir, { paysera: { macId: 'id', macKeyFile: 'mac.key', locationId: 3 } }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/paysera\.macKeyFile: .*mac\.key is readable by others \(mode 644\)/);
    expect(warnings[0]).not.toContain(KEY);
  });

  it('refuses both, neither, an unreadable file and an empty one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.key'), '\n');
    const base = { macId: 'id', locationId: 3 };
    expect(configError(() => parseConfig({ paysera: { ...base, macKey: KEY, macKeyFile: 'x' } }, join(dir, 'c.json'))).message).toMatch(/either macKey or macKeyFile, not both/);
    expect(configError(() => parseConfig({ paysera: base }, join(dir, 'c.json'))).field).toBe('paysera.macKey');
    expect(configError(() => parseConfig({ paysera: { ...base, macKeyFile: 'missing.key' } }, join(dir, 'c.json'))).message).toMatch(/paysera\.macKeyFile: cannot read .*missing\.key \(ENOENT\)/);
    expect(configError(() => parseConfig({ paysera: { ...base, macKeyFile: 'empty.key' } }, join(dir, 'c.json'))).message).toMatch(/is empty/);
  });

  it('never puts the secret value in an error message', () => {
    const err = configError(() => parseConfig({ paysera: { ...minimal.paysera, locationId: -1 } }, 'c.json'));
    expect(err.message).not.toContain(KEY);
  });
});

describe('optional centrapay and pos sections', () => {
  const centrapay = { apiKey: 'cp-key-1', configId: 'mc_1', merchantAccountId: 'acct-1', terminalId: 'counter-1', deviceId: 'pi-1' };
  const pos = { token: 'pos-token-1', cashRegisterNumber: '123', orderNumberPrefix: 'T1-' };

  it('both absent by default: no Centrapay, no POS sync', () => {
    const { config, secrets } = parseConfig(minimal, 'c.json');
    expect(config.centrapay).toBeUndefined();
    expect(config.pos).toBeUndefined();
    expect(secrets).toEqual([KEY]);
  });

  it('applies the defaults and lists the secrets for the scrubber', () => {
    const { config, secrets } = parseConfig({ ...minimal, centrapay, pos }, 'c.json');
    expect(config.centrapay).toEqual({
      ...centrapay,
      baseUrl: 'https://service.centrapay.com',
      expirySeconds: 120,
      pollIntervalMs: 1000,
      connectTimeoutMs: 3000,
      headersTimeoutMs: 3000,
      bodyTimeoutMs: 3000,
    });
    expect(config.pos).toEqual({
      ...pos,
      baseUrl: 'https://pos.paysera.com/eapi/v1',
      languageCode: 'lt',
      paymentMethod: { table: 'bankTransfer', code: 'bankTransfer', centrapay: 'card' },
      positionTitle: 'Sale',
      connectTimeoutMs: 5000,
      headersTimeoutMs: 20_000,
      bodyTimeoutMs: 20_000,
    });
    expect(secrets).toEqual([KEY, 'cp-key-1', 'pos-token-1']);
  });

  it('reads apiKeyFile and tokenFile relative to the config file; the *File fields do not survive', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'centrapay.key'), 'cp-from-file\n', { mode: 0o600 });
    writeFileSync(join(dir, 'pos.token'), 'pos-from-file', { mode: 0o600 });
    chmodSync(join(dir, 'centrapay.key'), 0o600);
    chmodSync(join(dir, 'pos.token'), 0o600);
    const { apiKey: _k, ...cpNoKey } = centrapay;
    const { token: _t, ...posNoToken } = pos;
    const { config, secrets, warnings } = loadConfig(
      writeConfig(dir, { ...minimal, centrapay: { ...cpNoKey, apiKeyFile: 'centrapay.key' }, pos: { ...posNoToken, tokenFile: 'pos.token' } }),
    );
    expect(config.centrapay?.apiKey).toBe('cp-from-file');
    expect(config.pos?.token).toBe('pos-from-file');
    expect(Object.keys(config.centrapay ?? {})).not.toContain('apiKeyFile');
    expect(Object.keys(config.pos ?? {})).not.toContain('tokenFile');
    expect(secrets).toEqual(expect.arrayContaining(['cp-from-file', 'pos-from-file']));
    expect(warnings).toEqual([]);
  });

  it('pos.paymentMethod: one documented value for every sale kind, or one per kind over the defaults; others refused', () => {
    const kinds = (paymentMethod: unknown) => parseConfig({ ...minimal, pos: { ...pos, paymentMethod } }, 'mem.json').config.pos?.paymentMethod;
    expect(kinds('card')).toEqual({ table: 'card', code: 'card', centrapay: 'card' });
    expect(kinds({ centrapay: 'bankTransfer' })).toEqual({ table: 'bankTransfer', code: 'bankTransfer', centrapay: 'bankTransfer' });
    expect(configError(() => kinds('cash')).message).toContain('pos.paymentMethod');
    expect(configError(() => kinds({ table: 'card', cash: 'card' })).message).toContain('pos.paymentMethod');
  });

  it('a secret given twice or not at all names the section field', () => {
    const { apiKey: _k, ...cpNoKey } = centrapay;
    expect(configError(() => parseConfig({ ...minimal, centrapay: cpNoKey }, 'c.json')).field).toBe('centrapay.apiKey');
    expect(configError(() => parseConfig({ ...minimal, pos: { ...pos, tokenFile: 'x' } }, 'c.json')).message).toMatch(/either token or tokenFile, not both/);
  });

  it('required fields, unknown fields and ranges are checked', () => {
    const { merchantAccountId: _m, ...noAccount } = centrapay;
    expect(configError(() => parseConfig({ ...minimal, centrapay: noAccount }, 'c.json')).field).toBe('centrapay.merchantAccountId');
    expect(configError(() => parseConfig({ ...minimal, centrapay: { ...centrapay, expirySecs: 60 } }, 'c.json')).message).toMatch(/unknown field "expirySecs"/);
    expect(configError(() => parseConfig({ ...minimal, centrapay: { ...centrapay, expirySeconds: 5 } }, 'c.json')).field).toBe('centrapay.expirySeconds');
    expect(configError(() => parseConfig({ ...minimal, pos: { ...pos, orderNumberPrefix: 'has space' } }, 'c.json')).field).toBe('pos.orderNumberPrefix');
    expect(configError(() => parseConfig({ ...minimal, pos: { ...pos, languageCode: 'LT' } }, 'c.json')).field).toBe('pos.languageCode');
    expect(configError(() => parseConfig({ ...minimal, pos: { ...pos, tax: { taxRate: 21, code: 'x' } } }, 'c.json')).field).toBe('pos.tax');
  });

  it('plain http only to loopback, as for paysera.baseUrl', () => {
    expect(configError(() => parseConfig({ ...minimal, centrapay: { ...centrapay, baseUrl: 'http://service.centrapay.com' } }, 'c.json')).field).toBe('centrapay.baseUrl');
    expect(configError(() => parseConfig({ ...minimal, pos: { ...pos, baseUrl: 'http://pos.paysera.com/eapi/v1' } }, 'c.json')).field).toBe('pos.baseUrl');
    const local = parseConfig({ ...minimal, centrapay: { ...centrapay, baseUrl: 'http://127.0.0.1:8080' }, pos: { ...pos, baseUrl: 'http://127.0.0.1:8080/eapi/v1' } }, 'c.json');
    expect(local.config.centrapay?.baseUrl).toBe('http://127.0.0.1:8080');
    expect(local.config.pos?.baseUrl).toBe('http://127.0.0.1:8080/eapi/v1');
  });
});

describe('ui and retention', () => {
  const base = { paysera: { macId: 'id', macKey: 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU', locationId: 3 } };
  it('defaults: max amount 500.00, retention 90 days', () => {
    const { config } = parseConfig(base, 'c.json');
    expect(config.ui.maxAmount).toBe(50_000);
    expect(config.retentionDays).toBe(90);
  });

  it('reads ui.maxAmount exactly, from a string or a number', () => {
    expect(parseConfig({ ...base, ui: { maxAmount: '129.90' } }, 'c.json').config.ui.maxAmount).toBe(12_990);
    expect(parseConfig({ ...base, ui: { maxAmount: 75.5 } }, 'c.json').config.ui.maxAmount).toBe(7_550);
  });

  it('refuses a max amount with three decimals or of zero', () => {
    expect(() => parseConfig({ ...base, ui: { maxAmount: '1.999' } }, 'c.json')).toThrow(/ui\.maxAmount: not an amount/);
    expect(() => parseConfig({ ...base, ui: { maxAmount: 0 } }, 'c.json')).toThrow(/ui\.maxAmount: must be more than 0/);
  });
});

describe('several counters (docs/configuration.md#several-counters)', () => {
  it('reads paysera.otherTables as identifiers numbered by their trailing digits, and terminal.name', () => {
    const { config } = parseConfig({ ...minimal, terminal: { name: 'bar' }, paysera: { ...minimal.paysera, tables: [{ id: 'TABLE1', number: 1 }], otherTables: ['TABLE3', 'TERRACE'] } }, '/etc/c.json');
    expect(config.paysera.otherTables).toEqual([
      { id: 'TABLE3', number: 3, name: 'TABLE3' },
      { id: 'TERRACE', number: undefined, name: 'TERRACE' },
    ]);
    expect(config.terminal.name).toBe('bar');
  });

  it('names the terminal after the host when terminal.name is absent, and Centrapay uses it as the terminal id', () => {
    const centrapay = { apiKey: 'cp-key-1', configId: 'mc_1', merchantAccountId: 'acct-1', deviceId: 'pi-1' };
    const { config } = parseConfig({ ...minimal, centrapay }, '/etc/c.json');
    expect(config.terminal.name).toMatch(/^[^.]{1,32}$/);
    expect(config.centrapay?.terminalId).toBe(config.terminal.name);
  });

  it('refuses a table listed both as ours and as another terminal\'s, naming it', () => {
    const error = configError(() => parseConfig({ ...minimal, paysera: { ...minimal.paysera, tables: ['TABLE1', 'table3'], otherTables: ['TABLE2', 'TABLE3'] } }, '/etc/c.json'));
    expect(error.field).toBe('paysera.otherTables[1]');
    expect(error.message).toContain('"TABLE3" is in both paysera.tables and paysera.otherTables');
  });

  it('exits 78 on that error', async () => {
    const dir = tempDir();
    const path = writeConfig(dir, { ...minimal, paysera: { ...minimal.paysera, tables: ['TABLE1'], otherTables: ['TABLE1'] } });
    const { code, err } = await runCli(['run', '--config', path]);
    expect(err).toContain('paysera.otherTables[0]');
    expect(err).toContain('TABLE1');
    expect(code).toBe(78);
  });
});

describe('ui.supervisorPin', () => {
  it('is 4-8 digits, and a secret for the scrubber', () => {
    const { config, secrets } = parseConfig({ ...minimal, ui: { supervisorPin: '4321' } }, 'c.json');
    expect(config.ui.supervisorPin).toBe('4321');
    expect(secrets).toEqual([KEY, '4321']);
  });

  it('absent: refunds are disabled, nothing more to scrub', () => {
    expect(parseConfig(minimal, 'c.json').config.ui.supervisorPin).toBeUndefined();
  });

  it('refuses a PIN that is not 4-8 digits, naming the field', () => {
    for (const pin of ['123', '123456789', '12a4', 1234]) {
      expect(configError(() => parseConfig({ ...minimal, ui: { supervisorPin: pin } }, 'c.json')).message).toContain('supervisorPin');
    }
  });
});
