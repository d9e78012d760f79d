import { ConfigError } from '../config/config-error.js';
import { loadConfig, resolveConfigPath, type LoadedConfig } from '../config/load-config.js';
import { ExitCode, type CliIo } from './command.js';

/**
 * Loads the configuration for a command: `--config`, else COUNTERPAY_CONFIG, else the default
 * path. A bad file prints one line naming the file, the field and the problem, and yields the
 * config exit code; warnings go to stderr and do not stop the command.
 */
export function loadConfigForCommand(name: string, flag: string | undefined, io: CliIo): LoadedConfig | number {
  try {
    const loaded = loadConfig(resolveConfigPath(flag, io.env));
    for (const warning of loaded.warnings) io.stderr.write(`counterpay ${name}: warning: ${warning}\n`);
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`counterpay ${name}: config error: ${error.message}\n`);
      return ExitCode.config;
    }
    throw error;
  }
}
