import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { identifierKey, spotIdentifierProblem } from '../domain/spot-code.js';
import { closestName } from './closest-name.js';
import { ConfigError } from './config-error.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { knownFieldsAt } from './known-fields.js';
import { configSchema, type RawConfig } from './schema.js';

export const DEFAULT_CONFIG_PATH = '/etc/counterpay/config.json';

/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A table as the engine and UI use it: the spot identifier, the number staff type, a name. */
export interface TableConfig {
  id: string;
  number: number | undefined;
  name: string;
}

/** The `centrapay` section with its API key resolved (inline or from apiKeyFile). */
export type CentrapayConfig = Omit<NonNullable<RawConfig['centrapay']>, 'apiKey' | 'apiKeyFile' | 'terminalId'> & { apiKey: string; terminalId: string };
/** The `pos` section with its token resolved (inline or from tokenFile). */
export type PosConfig = Omit<NonNullable<RawConfig['pos']>, 'token' | 'tokenFile'> & { token: string };

export type Config = Omit<RawConfig, 'paysera' | 'centrapay' | 'pos' | 'terminal'> & {
  /** This terminal among the venue's counters; `name` defaults to the hostname. */
  terminal: { name: string };
  /** `otherTables`: the tables other terminals of the location sell (number from the identifier's trailing digits). */
  paysera: Omit<RawConfig['paysera'], 'macKey' | 'macKeyFile' | 'tables' | 'otherTables'> & { macKey: string; tables: TableConfig[]; otherTables: TableConfig[] };
  /** Absent: Centrapay sales are not configured. */
  centrapay?: CentrapayConfig;
  /** Absent: no POS back-office sync runs. */
  pos?: PosConfig;
};

export interface LoadedConfig {
  path: string;
  config: Config;
  /** Problems that do not stop the terminal (a secret file readable by others). */
  warnings: string[];
  /** Every secret value, for the log scrubber. */
  secrets: string[];
}

/** `--config PATH`, else COUNTERPAY_CONFIG, else /etc/counterpay/config.json. */
/** The printer interface of a directory of print files (development, tests, previews). */
const FILE_PRINTER = 'file:';

export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? env['COUNTERPAY_CONFIG'] ?? DEFAULT_CONFIG_PATH);
}

/** Reads, parses and validates the file; throws ConfigError with one line naming file and field. */
export function loadConfig(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError('config_not_found', path, undefined, 'file not found', { cause: error });
    throw new ConfigError('config_unreadable', path, undefined, `cannot read (${code ?? 'error'})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // Named by line and column, as an editor shows them; JSON.parse's own message is not used:
    // on Node 20 it may quote the whole file, inline secrets included.
    const found = findJsonSyntaxProblem(text);
    const where = found === undefined ? 'cannot parse' : `line ${found.line}, column ${found.column}: ${found.problem}`;
    throw new ConfigError('config_invalid_json', path, undefined, `not valid JSON: ${where}`, { cause: error });
  }
  return parseConfig(json, path);
}

/** Validates already-parsed JSON; `path` names the source in errors and anchors relative secret files. */
export function parseConfig(json: unknown, path: string): LoadedConfig {
  // A missing field is reported as "missing", decided on the issue's input, never on message text.
  const result = configSchema.safeParse(json, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'missing' : undefined),
  });
  if (!result.success) throw fromZod(result.error, path);
  const raw = result.data;
  const warnings: string[] = [];
  const secrets: string[] = [];
  const macKey = readSecret(raw.paysera, 'macKey', 'paysera', path, warnings);
  secrets.push(macKey);
  const tables = normalizeTables(raw.paysera.tables, path);
  const otherTables = normalizeOtherTables(raw.paysera.otherTables, tables, path);
  const { macKeyFile: _file, macKey: _inline, tables: _tables, otherTables: _others, ...paysera } = raw.paysera;
  const { centrapay: rawCentrapay, pos: rawPos, dataDir: rawDataDir, terminal: rawTerminal, ...rest } = raw;
  const terminal = { name: rawTerminal.name ?? terminalNameOf(hostname()) };
  // Like secret files: a relative dataDir, file display or file: printer directory is the config
  // file's neighbour, never the working directory of whoever started the command (systemd, a
  // shell, the doctor).
  const near = (file: string): string => (isAbsolute(file) ? file : resolve(dirname(path), file));
  const dataDir = near(rawDataDir);
  const { display, printer } = rest.devices;
  const devices = {
    ...rest.devices,
    display: display.driver === 'file' ? { ...display, path: near(display.path) } : display,
    printer: printer.interface.startsWith(FILE_PRINTER) ? { ...printer, interface: `${FILE_PRINTER}${near(printer.interface.slice(FILE_PRINTER.length))}` } : printer,
  };
  const config: Config = { ...rest, terminal, devices, dataDir, paysera: { ...paysera, macKey, tables, otherTables } };
  // The supervisor PIN guards refunds: the log redaction scrubs it like the keys.
  if (config.ui.supervisorPin !== undefined) secrets.push(config.ui.supervisorPin);
  if (rawCentrapay !== undefined) {
    const apiKey = readSecret(rawCentrapay, 'apiKey', 'centrapay', path, warnings);
    secrets.push(apiKey);
    const { apiKey: _key, apiKeyFile: _keyFile, ...centrapay } = rawCentrapay;
    config.centrapay = { ...centrapay, apiKey, terminalId: centrapay.terminalId ?? terminal.name };
  }
  if (rawPos !== undefined) {
    const token = readSecret(rawPos, 'token', 'pos', path, warnings);
    secrets.push(token);
    const { token: _token, tokenFile: _tokenFile, ...pos } = rawPos;
    config.pos = { ...pos, token };
  }
  return { path, config, warnings, secrets };
}

/**
 * A secret is inline (`name`) or in a file (`nameFile`), never both and never neither. A file
 * readable by group or others is a warning, not an error: the installer may be mid-setup.
 */
export function readSecret(
  section: Record<string, unknown>,
  name: string,
  sectionPath: string,
  configPath: string,
  warnings: string[],
): string {
  const inline = section[name];
  const file = section[`${name}File`];
  const field = `${sectionPath}.${name}`;
  if (typeof inline === 'string' && typeof file === 'string') {
    throw new ConfigError('config_invalid', configPath, field, `give either ${name} or ${name}File, not both`);
  }
  if (typeof inline === 'string') return inline;
  if (typeof file !== 'string') throw new ConfigError('config_invalid', configPath, field, `missing: give ${name} or ${name}File`);
  const secretPath = isAbsolute(file) ? file : resolve(dirname(configPath), file);
  let value: string;
  try {
    value = readFileSync(secretPath, 'utf8').replace(/\r?\n$/, '');
    const mode = statSync(secretPath).mode;
    if ((mode & 0o077) !== 0) {
      warnings.push(`${configPath}: ${field}File: ${secretPath} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError('config_invalid', configPath, `${field}File`, `cannot read ${secretPath} (${code})`, { cause: error });
  }
  if (value === '') throw new ConfigError('config_invalid', configPath, `${field}File`, `${secretPath} is empty`);
  return value;
}

function normalizeTables(tables: RawConfig['paysera']['tables'], path: string): TableConfig[] {
  const out: TableConfig[] = [];
  const seenIds = new Set<string>();
  const seenNumbers = new Set<number>();
  tables.forEach((entry, index) => {
    const t = typeof entry === 'string' ? { id: entry } : entry;
    const id = t.id;
    const field = `paysera.tables[${index}]`;
    // Identifiers and names reach the display, the printer (as ESC/POS bytes) and the logs.
    for (const text of [id, 'name' in t ? t.name : undefined]) {
      if (text !== undefined && CONTROL_CHARS.test(text)) throw new ConfigError('config_invalid', path, field, `${JSON.stringify(text)} contains control characters`);
    }
    // The identifier is printed on the table's card: a card the scanner would not read back is refused here.
    const problem = spotIdentifierProblem(id);
    if (problem !== undefined) throw new ConfigError('config_invalid', path, field, `table "${id}": ${problem}`);
    if (seenIds.has(identifierKey(id))) throw new ConfigError('config_invalid', path, field, `duplicate table "${id}" (identifiers compare case-insensitively)`);
    seenIds.add(identifierKey(id));
    const trailing = /(\d+)$/.exec(id);
    const number = 'number' in t && t.number !== undefined ? t.number : trailing ? Number(trailing[1]) : undefined;
    if (number !== undefined) {
      if (seenNumbers.has(number)) throw new ConfigError('config_invalid', path, field, `table number ${number} is used twice`);
      seenNumbers.add(number);
    }
    out.push({ id, number, name: ('name' in t ? t.name : undefined) ?? id });
  });
  return out;
}

/**
 * The tables other terminals of this location sell: identifiers like ours (printed on their cards
 * and read back), never one of ours (a table is sold by this terminal or it is not).
 */
function normalizeOtherTables(others: readonly string[], ours: readonly TableConfig[], path: string): TableConfig[] {
  const seen = new Set<string>();
  const mine = new Set(ours.map((t) => identifierKey(t.id)));
  return others.map((id, index) => {
    const field = `paysera.otherTables[${index}]`;
    if (CONTROL_CHARS.test(id)) throw new ConfigError('config_invalid', path, field, `${JSON.stringify(id)} contains control characters`);
    const problem = spotIdentifierProblem(id);
    if (problem !== undefined) throw new ConfigError('config_invalid', path, field, `table "${id}": ${problem}`);
    if (mine.has(identifierKey(id))) throw new ConfigError('config_invalid', path, field, `table "${id}" is in both paysera.tables and paysera.otherTables: a table is sold by this terminal or by another`);
    if (seen.has(identifierKey(id))) throw new ConfigError('config_invalid', path, field, `duplicate table "${id}" (identifiers compare case-insensitively)`);
    seen.add(identifierKey(id));
    const trailing = /(\d+)$/.exec(id);
    return { id, number: trailing ? Number(trailing[1]) : undefined, name: id };
  });
}

/** The hostname as a terminal name: at most 32 characters, as the schema allows for a configured one. */
function terminalNameOf(host: string): string {
  const name = host.split('.')[0]?.slice(0, 32) ?? '';
  return name === '' ? 'counterpay' : name;
}

function fromZod(error: z.ZodError, path: string): ConfigError {
  const issue = error.issues[0];
  if (issue === undefined) return new ConfigError('config_invalid', path, undefined, 'invalid');
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    // A typo is the usual cause: name the field it most likely meant.
    const known = knownFieldsAt(configSchema, issue.path);
    problem = issue.keys
      .map((key) => {
        const meant = closestName(key, known);
        return `unknown field "${key}"${meant === undefined ? '' : `: did you mean "${meant}"?`}`;
      })
      .join('; ');
  }
  return new ConfigError('config_invalid', path, field || undefined, problem, { cause: error });
}
